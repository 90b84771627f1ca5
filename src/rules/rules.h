// rules — loads a rule pack (a folder of TOML files) into compiled RE2
// programs, validating as it goes.
//
// A rule pack holds, in any of its files (read in path order):
//   [fragments]        named regex pieces, used in patterns as %{name}
//   [tables.NAME]      normalization tables (text -> value), used in values
//                      and titles as {group|NAME} and in patterns as
//                      %{table:NAME} (an alternation of the table's keys)
//   [text]             language data for the scanner (abbreviations that do
//                      not end a sentence)
//   [doc_types]        document types: what incomplete dates count from in
//                      news and in narratives (rules/doc_types.h)
//   [[date]]           date rules: pattern + TimeML value expression
//   [[dateline]]       like date rules, but only tried near the top of a
//                      source to find its publication date
//   [[veto]]           negative rules: a date candidate that overlaps a veto
//                      match is dropped ("may" the modal, "march" the verb)
//   [[event]]          event rules: pattern + title template + category,
//                      tried on the sentences that hold one of their
//                      `triggers` (literal words, or every form of a lexicon)
//   [lexicons.NAME]    verb classes: every form of each verb, the nouns
//                      that name the same event, a category. Used in
//                      patterns as %{lex:NAME} / %{lex:NAME.past} / %{lex:*},
//                      in templates through the tables they fill: lemma,
//                      present (the headline form) and category
//   [anaphora]         phrases such as "the company" that stand for the
//                      named actor before them in the paragraph
//   [events]           event extraction settings (the clause fallback)
// The format is documented for rule authors in rules/README.md.
//
// Loading never throws: every problem becomes a Diagnostic with file, line,
// column and rule id, and loading goes on so that one run reports them all
// (`annals rules check`). Positions are those of the offending key, or of
// the offending piece inside a string value (rules/toml_position.h):
//   errors   TOML syntax; RE2 errors (RE2's message + the pattern); a pattern
//            too large for RE2's memory budget; a pattern that can match the
//            empty string; unknown keys (did-you-mean) and keys of the wrong
//            type; missing required keys; duplicate ids across files;
//            %{fragment} / %{table:NAME} / {group|TABLE} naming nothing;
//            {group} the pattern lacks; bad type/date_scope/same_as/reference;
//            value expressions LoadOptions::check_value rejects; lexicon
//            entries of the wrong shape, a form in two lexicons, a trigger
//            that is no literal or lexicon, an exclude naming no table
//   warnings groups nothing uses; unknown top-level or [text] keys; rules
//            without examples (LoadOptions::require_examples); event rules
//            without triggers (tried on every sentence)
// A RuleSet with any error-severity diagnostic is not returned. A loaded
// RuleSet is immutable and safe to share between threads.
#pragma once

#include <filesystem>
#include <functional>
#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "core/status.h"
#include "core/types.h"
#include "rules/doc_types.h"
#include "rules/start_bytes.h"

namespace annals::rules {

// A `text` / `reference` / expected-result triple carried by a rule, run by
// `annals rules test`.
struct Example {
  std::string text;
  std::string reference;   // YYYY-MM-DD or empty
  std::string value;       // expected TimeML value (date rules)
  std::string title;       // expected title (event rules)
  std::string mod;         // expected TimeML mod (date rules), when given
  std::string doc_type;    // the document type the text is read as; empty: the pack's default
  int line = 0;
};

// A rule's RE2 program, compiled by the loader (which checks it) or, for a
// pack the loader was told passed those checks before (LoadOptions::vouched),
// on first use: a build whose sources all come from its extraction cache then
// compiles no pattern, and one that extracts a few sources only the patterns
// their prefilters and triggers pick (compiling the pack's 257 patterns was a
// quarter of a rebuild's instructions). Thread-safe: however many workers ask
// at once, one compiles. Movable, not copyable.
class LazyRE2 {
 public:
  LazyRE2() = default;
  // Compiled already.
  explicit LazyRE2(std::unique_ptr<RE2> re);
  // Compiled from `pattern` with `options` when first used.
  LazyRE2(std::string pattern, const RE2::Options& options);

  // Whether there is a pattern (a rule whose pattern is missing or failed has none).
  explicit operator bool() const { return state_ != nullptr; }
  const RE2& operator*() const { return get(); }
  const RE2* operator->() const { return &get(); }
  // Whether the program exists yet (for tests and counters; compiles nothing).
  bool compiled() const { return state_ && state_->done.load(std::memory_order_acquire); }

 private:
  struct State {
    std::string pattern;
    RE2::Options options;
    std::once_flag once;
    std::atomic<bool> done{false};
    std::unique_ptr<RE2> re;
  };
  const RE2& get() const {
    if (!state_->done.load(std::memory_order_acquire)) compile();
    return *state_->re;
  }
  void compile() const;
  std::unique_ptr<State> state_;
};

// What every rule has: an id, where it was defined, its compiled pattern.
struct RuleBase {
  std::string id;
  std::string file;
  int line = 0;                        // the rule's [[kind]] header
  int column = 0;
  int id_line = 0, id_column = 0;      // its `id` value
  std::string pattern;                 // as written, before fragment expansion
  std::string expanded;                // what RE2 compiles
  LazyRE2 re;
  // Named group -> capture index; std::less<> so that lookups by
  // string_view (once per match) need no allocation.
  std::map<std::string, int, std::less<>> groups;
  std::vector<Example> examples;
  std::vector<Example> counterexamples;
};

struct DateRule : RuleBase {
  TimexType type = TimexType::Date;
  std::string value;                   // value expression template
  std::string mod;                     // TimeML mod template, may be empty
  // When set, why the value, a TimeML value as the guidelines write it,
  // places nothing on the calendar ("its fiscal fourth quarter": the
  // company's fiscal year is not known). The mention keeps the value, has
  // no interval and carries this as its unresolved reason.
  std::string unplaced;
};

// A veto drops the date candidates its match overlaps (applies_to =
// "dates", the default); with "events", the event mentions it overlaps; with
// "sentences", every event mention of a sentence it matches (matched against
// the sentence alone: ^ and $ are its ends); with "lines", every event
// mention of a line it matches (a photo caption whose credit the sentence
// splitter cut off as a sentence of its own).
enum class VetoTarget { Dates, Events, Sentences, Lines };
struct VetoRule : RuleBase {
  VetoTarget target = VetoTarget::Dates;
};

// Where a match of an event rule can begin, read from the start of its
// expanded pattern (after a leading (?i)): `\b` (a word boundary), `^` (the
// sentence's start, since each sentence is the whole text RE2 sees),
// `(?:^|\s)` (the start or a whitespace byte), or anywhere. The extractor
// runs a rule that says where anchored at each such place, in order, instead
// of one unanchored search: the first anchored match is the leftmost-first
// match an unanchored search would give, but RE2 then builds the lazy DFA of
// one start at a time, whose states recur from text to text. Unanchored,
// every state holds the threads of every earlier start still alive (a name
// and an 80-byte appositive gap per start): on te3-silver the event rules
// built 759,000 DFA transitions at about 16,000 instructions each, 68% of
// a build, and the count kept growing with new text.
enum class MatchStart { Anywhere, WordBoundary, SentenceStart, SpaceOrStart };
MatchStart match_start_of(std::string_view expanded);

// True when the expanded pattern says that each of its matches holds a whole
// word of its triggers: the pattern has no top-level `|`, and one of its
// top-level groups, not optional, holds nothing but expansions of the rule's
// %{lex:...} / %{table:...} triggers (`trigger_expansions`, each as
// %{...} expands), with whitespace required right before it and no word
// character possible right after it ("\s+(?P<verb>%{lex:*.finite})\s+").
// A trigger is found as a whole word, so such a match begins at or before
// the start of a trigger the one trigger pass reports, or inside one. A
// conservative reading: false whenever the pattern's shape is not plain.
bool trigger_bounds_match(std::string_view expanded, const std::vector<std::string>& trigger_expansions);

struct EventRule : RuleBase {
  MatchStart start = MatchStart::Anywhere;
  std::string title;                   // title template over named groups
  std::string identity;                // identity template (default: title)
  // The event kind this rule recognizes: its own id, or the id named by
  // `same_as` when several rules describe one kind of event in different
  // phrasings. Event identity is kind + filled identity template.
  std::string kind;
  std::string category;
  bool recurring = false;
  // Where the event's date may be: "sentence" (default) or "paragraph".
  std::string date_scope = "sentence";
  std::vector<std::string> actors;     // templates over named groups
  std::vector<std::string> tags;       // carried into the outputs as written
  // The category is a template too ("{verb|category}": the lexicon of the
  // matched verb), for rules that span several verb classes.
  // Literal words and phrases (normalized: lower case, single spaces), one
  // of which a sentence must hold for the rule to be tried on it. Empty: the
  // rule is tried on every sentence.
  std::vector<std::string> triggers;
  // A fallback rule (the general clause rule) gives way: its mentions are
  // dropped where they overlap a mention of another rule, it yields only
  // dated mentions, and `[events] fallback = false` or
  // LoadOptions::fallback = false turns it off.
  bool fallback = false;
  // group -> table: a match whose group begins with a key of the table (as
  // whole words: "the", "on friday") is skipped, and the search goes on one
  // character later ("Later Microsoft launched" then yields "Microsoft").
  std::vector<std::pair<std::string, std::string>> exclude;
  // A mention with no date in scope that stands in the source's lead (its
  // first paragraph after the headline) is dated to the publication day.
  bool lead_publication_date = false;
  // Whether every match holds one of the rule's triggers as a whole word
  // (rules::trigger_bounds_match): then no match starts after the last
  // trigger of a sentence, and the extractor tries no start past it.
  bool trigger_in_match = false;
  // The first two bytes its matches can have (rules/start_bytes.h), for a
  // rule tried anchored (start != Anywhere): the extractor does not call RE2
  // at a place whose bytes no match begins with. Null when not read.
  std::unique_ptr<const StartBytes> start_bytes;
};

// A verb class ([lexicons.NAME]): the forms of its verbs, in the order
// base, 3rd person present, past, past participle, -ing form, and nouns
// naming the same event with the base form of the verb they stand for.
enum class VerbForm { Base, Present, Past, Participle, Gerund };
struct Lexicon {
  std::string name;
  std::string category;
  std::vector<std::array<std::string, 5>> verbs;
  std::map<std::string, std::string> nouns;
  std::string file;
  int line = 0;
};

// [anaphora]: a group whose text is one of `phrases` (a table's keys: "the
// company", "it") takes the text of the last match of `antecedent` before
// the mention in its paragraph, skipping matches that begin with a key of
// `exclude`. Only the groups listed in `groups` are resolved.
struct Anaphora {
  std::string phrases;                 // table name; empty: no anaphora
  std::string exclude;                 // table name, may be empty
  std::vector<std::string> groups;
  std::unique_ptr<RE2> antecedent;
};

// A normalization table. Keys are stored normalized (see normalize_key).
struct Table {
  std::map<std::string, std::string> entries;
};

// Lower-cases ASCII, collapses runs of whitespace to one space and drops a
// trailing period: "Sept." -> "sept", "New  Year" -> "new year".
std::string normalize_key(std::string_view text);

// What an RE2::Set answers (which of its patterns match somewhere in a
// text), held as several smaller sets whose answers are joined. One lazy DFA
// over every pattern builds a state for each combination of patterns alive
// at once, and new text keeps meeting new combinations; apart, the sets'
// states add up instead of multiplying, while each part is one more pass
// over the text (on te3-silver the date prefilter in three parts cost two
// thirds of the instructions of one set: rules/prefilter.cpp).
// Immutable once built; safe to share between threads.
class PrefilterSet {
 public:
  // Appends one part: `set` (compiled) whose pattern j stands for index ids[j].
  void add_part(std::unique_ptr<RE2::Set> set, std::vector<int> ids);
  // Like RE2::Set::Match: false when no pattern matches `text`, or when a part
  // failed (error->kind says why); else true with the indices of every
  // pattern that matches, in no particular order.
  bool Match(re2::StringPiece text, std::vector<int>* hits, RE2::Set::ErrorInfo* error = nullptr) const;

 private:
  std::vector<std::unique_ptr<RE2::Set>> parts_;
  std::vector<std::vector<int>> ids_;  // ids_[p][j]: the index part p's pattern j stands for
};

struct RuleSet {
  std::string dir;
  // What the pack's results depend on, as one value (rules/fingerprint.h).
  std::string fingerprint;
  std::vector<DateRule> dates;
  std::vector<DateRule> datelines;
  std::vector<VetoRule> vetoes;         // date vetoes
  std::vector<VetoRule> event_vetoes;   // applies_to = "events" or "sentences"
  std::vector<EventRule> events;
  std::vector<Lexicon> lexicons;
  Anaphora anaphora;
  // Whether fallback event rules run ([events] fallback, LoadOptions::fallback).
  bool fallback = true;
  // [events] dangling: the table of words a title's group never ends with
  // (prepositions, articles); when a group is cut before a date inside it
  // ("acquired in 2021" -> "acquired"), they go too. Empty: none.
  std::string dangling;
  std::map<std::string, Table> tables;
  std::vector<std::string> abbreviations;   // normalized, without the period
  std::vector<std::string> stopwords;       // lower case; ignored when comparing sources
  // Prefilters: one RE2::Set pass over a text says which rules can match in
  // it. date_prefilter (a PrefilterSet, above) holds the core of every date
  // rule: its `core` group, else its `timex` group, when it has one (every reported match contains a
  // match of it, and the cue-word context stays out of the set's automaton),
  // with the \b, space or comma around the group that every match has.
  // Rules with the same core (group names aside) share one set pattern:
  // set index i stands for the date rules
  // date_core_rules[i]. The tagger runs it on every paragraph, and
  // veto_prefilter (index i = vetoes[i]) only on the paragraphs that have
  // date candidates: in one set with the dates, the vetoes' broad patterns
  // (any capitalized word before "-1998") multiplied the states RE2 builds.
  // In dateline_set, index i is datelines[i].
  std::unique_ptr<PrefilterSet> date_prefilter;
  std::unique_ptr<RE2::Set> veto_prefilter, dateline_set;
  std::vector<std::vector<std::size_t>> date_core_rules;
  // Event rules are picked by their triggers, not by a set of their
  // patterns: one pass of `event_triggers` (every rule's trigger words, one
  // case-insensitive alternation of literals, which RE2 runs as a small
  // trie-shaped automaton) finds each trigger in a text; the matched words,
  // normalized (normalize_key), index `trigger_rules`: the event rules that
  // word triggers, and the rules of every trigger it holds as whole words,
  // which the one pass cannot report beside it (indices into `events`,
  // ascending). Each rule then runs
  // only on the sentences that hold one of its triggers. The rules in
  // `untriggered_events` have none and are tried on every sentence. Null
  // when no rule has a trigger.
  std::unique_ptr<RE2> event_triggers;
  std::map<std::string, std::vector<std::size_t>, std::less<>> trigger_rules;
  std::vector<std::size_t> untriggered_events;
  std::size_t dateline_window = 800;        // bytes from the top searched for a dateline
  DocTypes doc_types = builtin_doc_types();

  // How many of the rules' patterns are compiled so far (LazyRE2).
  std::size_t compiled_patterns() const;
};

// What a rule pack may cost, checked while loading (past any of them the
// pack has an error naming the file, line and rule): rule packs are edited by
// hand and shared, and a few lines can ask for exponential work ("billion
// laughs" fragments) or patterns that make every later scan slow.
struct Limits {
  static constexpr std::size_t kRuleFileBytes = 4 << 20;      // one rule file
  static constexpr std::size_t kPackBytes = 16 << 20;         // all the files of a pack
  static constexpr std::size_t kTableEntries = 100000;        // one [tables.NAME]
  static constexpr std::size_t kExpandedPattern = 256 << 10;  // a pattern or fragment after %{...} expansion
  static constexpr std::size_t kExpandedTotal = 32 << 20;     // every expansion of the pack together
  static constexpr int kCaptureGroups = 100;                  // capture groups of one pattern
};

struct LoadResult {
  std::unique_ptr<RuleSet> rules;           // null when errors were found
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return rules != nullptr; }
};

// Extra checks for rule authors (`annals rules check`); a plain load skips them.
struct LoadOptions {
  // Warn about rules that carry no `examples`.
  bool require_examples = false;
  // Checks a value expression (placeholders already filled in): an error
  // Status says why it is malformed. The loader calls it on
  // every expression it can build without a match: the literal value itself,
  // or the value with each {group|TABLE} replaced by each of that table's
  // values ({ref.*} by a sample reference). Given by the caller so that the
  // loader does not depend on the evaluator (temporal/normalize.h).
  std::function<Status(std::string_view expression)> check_value;
  // False: [[event]] tables are skipped, neither compiled nor checked, for
  // commands that only tag dates (`annals tag`, `annals eval`): compiling
  // the event rules and their set was a third of such a run's start-up.
  bool event_rules = true;
  // Overrides the pack's `[events] fallback`: false turns the fallback
  // rules off (`--no-fallback`), true turns them on (`rules test`).
  std::optional<bool> fallback;
  // Given the pack's fingerprint (rules/fingerprint.h), true when this same
  // annals binary loaded the pack before without errors (build asks its
  // extraction cache, whose header names both: pipeline/cache.h). Then the
  // checks that need each pattern compiled (RE2's syntax and memory budget,
  // capture groups, matching the empty string) passed already, and the rules'
  // patterns are compiled on first use (LazyRE2) instead of at load; their
  // named groups are read from the pattern text (capture_groups), so every
  // other check and warning is the same. Unset: every pattern is compiled and
  // checked at load.
  std::function<bool(std::string_view fingerprint)> vouched;
};

// The named capture groups of a pattern RE2 accepts, each with its capture
// index, read from its text as RE2 numbers them (every "(" that is not
// escaped, in a character class or \Q...\E, and not "(?" unless "(?P<"):
// what RE2::NamedCapturingGroups gives, without compiling.
std::map<std::string, int, std::less<>> capture_groups(std::string_view pattern);

// Loads every *.toml under `dir` (recursively, sorted by path). A folder or
// file of the pack that cannot be read is an error diagnostic (with the OS's
// reason), like any other problem of the pack.
[[nodiscard]] LoadResult load_rules(const std::filesystem::path& dir, const LoadOptions& options = {});

// Loads from in-memory files (name, content), in the given order. For tests
// and for callers that already hold the text.
[[nodiscard]] LoadResult load_rules_from(const std::vector<std::pair<std::string, std::string>>& files, std::string dir_label = "",
                                         const LoadOptions& options = {});

}  // namespace annals::rules
