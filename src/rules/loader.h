// rules/loader — the rule pack loader's internals, shared by the files that
// implement it (not part of the rules library's interface: include
// rules/rules.h). One Loader reads one pack; each concern has its own file:
//   loader_keys.cpp       diagnostics, keys and their types, examples
//   loader_fragments.cpp  [fragments], [tables], [text]; %{...} expansion
//   loader_lexicons.cpp   [lexicons.NAME], event triggers, [anaphora], [events]
//   doc_types_toml.cpp    [doc_types]
//   loader_templates.cpp  title/identity/value templates and value checks
//   loader_rules.cpp      reading and compiling each kind of rule
//   prefilter.cpp         the RE2::Sets that pick the rules to run
//   rules.cpp             load_rules: the order of the passes
// Every problem becomes a Diagnostic in `diags`; nothing throws.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>
#include <toml++/toml.h>

#include "core/types.h"
#include "rules/doc_types_toml.h"
#include "rules/rules.h"
#include "rules/toml_position.h"

namespace annals::rules::detail {

// Small edit distance, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b);
// " (did you mean \"x\"?)" for the nearest of `known`, or "".
std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& known);

// Where an expansion failed: the message, and the offset of the offending
// "%{" in the pattern (or in the fragment named by `fragment`).
struct ExpandError {
  std::string message;
  std::string fragment;   // empty: the error is in the pattern being expanded
  std::size_t offset = 0;
  // When fragments refer to each other in a circle: the fragments on it, in
  // the order they refer to each other, the first repeated at the end.
  std::vector<std::string> cycle;
  // Past Limits::kExpandedPattern or kExpandedTotal: `message` says how
  // ("expands to more than ..."), `fragment` is the outermost fragment the
  // expansion was in, and the error belongs to what was being expanded.
  bool budget = false;
};

struct FragmentDef {
  std::string text;
  std::string file;
  const toml::node* node = nullptr;
};

// The type a known key must have.
enum class KeyType { String, Bool, Array, Table };  // Array, Table: checked by the key's own reader

struct KeySpec {
  std::string_view name;
  KeyType type;
};

// The keys of every rule, and those of each kind.
extern const std::vector<KeySpec> kBaseKeys, kDateKeys, kEventKeys, kVetoKeys;
// The tables the lexicons fill (form -> base form, headline form, category).
extern const std::vector<std::string_view> kLexiconTables;

// What a date rule contributes to the date prefilter (prefilter.cpp).
std::string prefilter_core(const std::string& expanded);
// `core` with every digit it spells out written as \d and its groups unnamed (prefilter.cpp).
std::string loosen_digits(std::string_view core);

struct Loader {
  std::vector<Diagnostic> diags;
  std::map<std::string, FragmentDef> fragments;
  std::set<std::string> broken_fragments;                 // reported once, at their definition
  std::map<std::string, std::string_view> sources;        // file -> text, for precise columns
  const LoadOptions* options = nullptr;
  bool vouched = false;                                   // LoadOptions::vouched said yes: compile patterns lazily
  RuleSet* rs = nullptr;
  std::map<std::string, TextPosition> same_as_at;         // event rule id -> its same_as value
  std::vector<std::string> unparsed;                      // files with a TOML syntax error
  const toml::table* anaphora_node = nullptr;             // the pack's [anaphora], read once tables are known
  std::string anaphora_file;
  std::size_t expanded_total = 0;                         // bytes every expansion produced (Limits::kExpandedTotal)
  std::map<std::string, std::string> alternations;        // table name -> table_alternation, built once
  // [doc_types] of every file (rules/doc_types_toml.h), read by collect_shared.
  DocTypesReader doc_types{[this](Severity sev, const std::string& file, const toml::node& node, std::size_t offset, std::string msg) {
    report(sev, file, offset == std::string::npos ? start_of(node.source()) : inside(file, node, offset), "", std::move(msg));
  }};

  // --- diagnostics, keys, examples (loader_keys.cpp)
  // A name may be "undefined" only because the file defining it did not parse.
  std::string unparsed_note() const;
  void report(Severity sev, const std::string& file, TextPosition at, std::string rule, std::string msg);
  void error(const std::string& file, const toml::source_region& src, std::string rule, std::string msg,
             Severity sev = Severity::Error);
  static TextPosition start_of(const toml::source_region& src) { return {int(src.begin.line), int(src.begin.column)}; }
  // The position of byte `offset` of the string value `node`.
  TextPosition inside(const std::string& file, const toml::node& node, std::size_t offset);
  void read_examples(const toml::table& rule, const char* key, std::vector<Example>& into, const std::string& file,
                     const std::string& id);
  static bool valid_iso_day(std::string_view s);
  // Unknown keys (with a did-you-mean) and keys of the wrong type.
  void check_keys(const toml::table& rule, const std::vector<KeySpec>& extra, const std::string& file, const std::string& id);
  const toml::array* rule_array(const toml::table& doc, const char* kind, const std::string& file);
  static std::optional<TimexType> timex_type(std::string_view s);

  // --- fragments, tables, [text] (loader_fragments.cpp)
  // %{name} -> (?:fragment), %{table:name} -> (?:key|key...). Returns false and
  // fills *err on an undefined name, a cycle, or an expansion past
  // Limits::kExpandedPattern (or past kExpandedTotal for the whole pack).
  bool expand(std::string_view pattern, std::string& out, ExpandError* err, std::vector<std::string>& active);
  // expand() from the top: counts the result against kExpandedTotal.
  bool expand_pattern(std::string_view pattern, std::string& out, ExpandError* err, std::vector<std::string> active = {});
  std::vector<std::string_view> table_names() const;
  // Any key of the table, longest first; spaces in a key match any run of whitespace.
  static std::string table_alternation(const Table& table);
  // The same for a list of words or phrases.
  static std::string literal_alternation(std::vector<std::string> words);
  // Every fragment is checked once, where it is defined, whether used or not.
  void check_fragments();
  void collect_shared(const toml::table& doc, const std::string& file);

  // --- lexicons, triggers, [anaphora], [events] (loader_lexicons.cpp)
  void collect_lexicons(const toml::table& doc, const std::string& file);
  // Fills the tables `lemma`, `present` and `category` from every lexicon;
  // a word in two lexicons is an error.
  void build_lexicon_tables();
  // The words %{lex:SPEC} stands for ("acquire", "acquire.past", "*.noun"),
  // sorted; false and *message when SPEC names no lexicon or form.
  bool lexicon_words(std::string_view spec, std::vector<std::string>& words, std::string* message);
  // Reads `triggers`; the expansions of its %{...} entries go to *expansions.
  void read_triggers(const toml::table& rule, EventRule& r, const std::string& file, std::vector<std::string>* expansions);
  void read_exclude(const toml::table& rule, EventRule& r, const std::string& file);
  void collect_settings(const toml::table& doc, const std::string& file);
  void build_anaphora();

  // --- templates and value checks (loader_templates.cpp)
  // Checks that a template only uses groups the pattern has and tables that exist.
  void check_template(const std::string& tmpl, const toml::node& where, const RuleBase& rule, const std::string& file,
                      const char* key, std::set<std::string>* used);
  void warn_unused_groups(const RuleBase& rule, const std::set<std::string>& used, const toml::table& t, const std::string& file);
  // Statically checks a value expression: the expressions it can become
  // without a match (each table value in turn) go through options->check_value.
  void check_value_expression(const std::string& tmpl, const toml::node& where, const RuleBase& rule, const std::string& file);

  // --- rules of each kind (loader_rules.cpp)
  // An RE2 program can match the empty string if it does on any of a few
  // probes (anchors and \b make "" alone too weak a test).
  static bool matches_empty(const RE2& re);
  // Reads the fields common to every rule. Returns false when the rule has no
  // id; `out.re` stays null when its pattern is missing or does not compile
  // (the caller still checks its other keys).
  bool read_base(const toml::table& rule, RuleBase& out, const std::string& file, const char* kind,
                 const std::vector<KeySpec>& extra_keys);
  void load_date_rules(const toml::table& doc, const char* kind, std::vector<DateRule>& into, const std::string& file);
  void load_vetoes(const toml::table& doc, const std::string& file);
  void load_events(const toml::table& doc, const std::string& file);

  // --- prefilters (prefilter.cpp)
  // An entry of a prefilter set: its pattern, the rule it stands for (for
  // diagnostics), and what to add instead should RE2 refuse the pattern.
  struct SetEntry {
    std::string pattern;
    const RuleBase* rule;
    std::string fallback;  // "" = the pattern is the rule's own
  };
  // One RE2::Set over the entries, in order; null (and a diagnostic naming
  // the rule) when RE2 refuses a pattern or the whole set.
  std::unique_ptr<RE2::Set> build_set(const std::vector<SetEntry>& entries);
  // The same over parts of the entries (rules/rules.h, PrefilterSet).
  std::unique_ptr<PrefilterSet> build_parted_set(const std::vector<SetEntry>& entries);
  // Builds every prefilter of the pack, and the event triggers; false (with
  // diagnostics) when RE2 refuses one.
  bool build_prefilters();
  bool build_event_triggers();
};

}  // namespace annals::rules::detail
