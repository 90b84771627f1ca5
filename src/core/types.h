// annals — the data types that cross pipeline stages, in one place.
//
//   ingest   : files           -> Document         (clean text + metadata)
//   temporal : Document text   -> DateMention      (span + resolved TimeValue)
//   extract  : Document text   -> EventMention     (event rule match + its date)
//   merge    : EventMention[]  -> Timeline         (deduplicated entries)
//   render   : Timeline        -> HTML / CSV / JSON
//
// Every type here is a plain value: copyable, no ownership subtleties, no
// pointers into other objects (spans are byte offsets into Document::text).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

namespace annals {

// A half-open byte range [begin, end) into a document's text.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
  bool overlaps(const Span& o) const { return begin < o.end && o.begin < end; }
  friend bool operator==(const Span&, const Span&) = default;
};

// How precise a resolved date is. Ordered from coarse to fine.
enum class Granularity { Century, Decade, Year, Half, Quarter, Season, Month, Week, Day };

// The name used in CSV/JSON ("year", "week", ...).
const char* granularity_name(Granularity g);

// A date that denotes a stretch of calendar days: the TimeML value that names
// it ("2025", "2025-W10", "2025-03-07") and the first and last day it covers.
struct DateInterval {
  std::string value;           // TimeML value at its own granularity
  Granularity granularity = Granularity::Day;
  date::sys_days first{};      // inclusive
  date::sys_days last{};       // inclusive

  bool contains(const DateInterval& o) const { return first <= o.first && o.last <= last; }
  // "Compatible" in the merge sense: one interval lies inside the other.
  bool nested_with(const DateInterval& o) const { return contains(o) || o.contains(*this); }
};

// TimeML TIMEX3 types.
enum class TimexType { Date, Time, Duration, Set };
const char* timex_type_name(TimexType t);

// One time expression found in a document.
struct DateMention {
  Span span;
  std::string text;            // the matched text
  std::string rule_id;         // the date rule that matched
  TimexType type = TimexType::Date;
  std::string value;           // TimeML value; empty when unresolved
  std::string mod;             // TimeML mod (START, MID, END, ...) or empty
  // Set when the value denotes a point or interval on the calendar; that is
  // what the timeline can place. Durations, sets and vague references
  // (PRESENT_REF) have a value but no interval.
  std::optional<DateInterval> interval;
  // Why no value could be given (e.g. relative expression, no reference date).
  std::string unresolved_reason;
  // The earlier date of the same text that the value counts from ("27
  // January 2025" for "two days later"), when the rule's value used one
  // (temporal/tagger.h); empty otherwise, also when it fell back to the
  // reference date.
  struct Anchor {
    Span span;
    std::string text;
  };
  std::optional<Anchor> anchor;

  bool resolved() const { return !value.empty(); }
};

// Where a document came from and what is known about it.
struct SourceInfo {
  std::string file;            // path as given on the command line / found in a folder
  std::string title;
  std::string outlet;
  std::string url;
  std::string image;           // a picture that illustrates it (og:image, front matter, sources.toml); may be empty
  // The publication date and where it came from ("--reference-date",
  // "sources.toml", "front matter", "html meta", "dateline").
  std::optional<date::sys_days> published;
  std::string published_from;
  // The document type its dates are read as (rules/doc_types.h: "news",
  // "narrative"), and where that came from ("--doc-type", "sources.toml",
  // "front matter", or "auto: ..." with the reason). Before tagging: the type
  // asked for, empty or "auto" to let annals choose.
  std::string doc_type;
  std::string doc_type_from;
};

// A source's metadata as its mentions hold it: one copy per source, shared
// by every mention of it (merge holds every mention of a corpus, and a copy
// per mention was a few hundred bytes each). Never null: a default one is an
// empty SourceInfo. Read through -> and *; edit() copies it first when other
// mentions share it, so an edit never reaches another mention.
class SharedSource {
 public:
  SharedSource();
  SharedSource(SourceInfo info);  // NOLINT(google-explicit-constructor): a mention is made from its source
  const SourceInfo& operator*() const { return *info_; }
  const SourceInfo* operator->() const { return info_.get(); }
  SourceInfo& edit();

 private:
  std::shared_ptr<SourceInfo> info_;
};

// A source after ingest: its cleaned text and metadata.
struct Document {
  SourceInfo info;
  std::string text;            // UTF-8, markup removed
};

// An event rule match together with the date it was attached to.
struct EventMention {
  std::string rule_id;
  std::string title;           // the rule's title template, filled in
  std::string identity;        // what makes two mentions the same event
  // The content words of the filled identity (lower case, the pack's
  // stopwords left out, sorted, distinct): what merge compares when two
  // sources phrase one event differently (merge/merge.h).
  std::vector<std::string> terms;
  std::string category;
  bool recurring = false;      // a recurring event never conflicts with itself
  std::vector<std::string> actors;  // the rule's actor templates, filled in
  std::vector<std::string> tags;    // the rule's tags
  SharedSource source;         // its source's metadata, shared with the source's other mentions
  Span match;                  // the event match
  Span sentence;               // the sentence that holds it
  std::string evidence;        // the sentence text, whitespace collapsed
  Span evidence_event;         // the event match, as offsets into `evidence`
  std::optional<Span> evidence_date;  // the attached date, as offsets into `evidence`
  std::optional<DateMention> date;  // the date attached, if any in scope
  // Where the date comes from when it is not in the event's own sentence:
  // "paragraph" (date_scope = "paragraph"), "heading" (a line that holds
  // only a date, or a list line that starts with one, above the event), or
  // "publication" (the source's publication day: the event is reported in
  // the lead with no date of its own, see extract/extract.h). Empty: the
  // sentence.
  std::string date_basis;

  bool dated() const { return date && date->interval.has_value(); }
};

// A problem or note, collected and reported together (never thrown past a
// module boundary). `file:line:column: severity: message [rule]`.
enum class Severity { Note, Warning, Error };
struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;
  int line = 0;                // 1-based; 0 when not known
  int column = 0;              // 1-based; 0 when not known
  std::string rule_id;
  std::string message;
};
std::string format_diagnostic(const Diagnostic& d);

// One entry of the merged timeline: one event, one date, every mention.
struct TimelineEntry {
  std::string event_id;        // stable: derived from identity and date
  std::string title;
  std::string category;
  std::string rule_id;
  DateInterval date;           // the most specific date its mentions support
  std::vector<EventMention> mentions;  // in (file, offset) order
  // Other entries of the same once-only event whose dates disagree with this
  // one (their event_ids): the best-supported ones, at most
  // merge::kConflictsListed, so that memory stays linear in the entries
  // however many dates the sources give one event. Empty when sources agree.
  std::vector<std::string> conflicts_with;
  std::size_t conflict_count = 0;  // all of them: conflicts_with.size() or more
  // How many independent sources state it: near-duplicate sources (the same
  // article syndicated or translated) count once. Set by merge.
  std::size_t independent_sources = 0;

  std::vector<std::string> source_files() const;  // distinct, sorted
  std::vector<std::string> actors() const;        // union over mentions, sorted
  std::vector<std::string> tags() const;          // union over mentions, sorted
};

struct Timeline {
  std::vector<TimelineEntry> entries;          // chronological
  std::vector<EventMention> undated;           // event mentions with no usable date
  std::vector<SourceInfo> sources;             // every source that was read
  std::vector<Diagnostic> diagnostics;         // problems met along the way
  // Groups of sources that are near-duplicates of each other (each group
  // sorted, groups sorted by first file). Sources not listed are unique.
  std::vector<std::vector<std::string>> near_duplicates;
  std::string rules_dir;                       // the rule pack used
  // What the timeline is about, for the page and the TimelineJS title slide
  // (--title / --description, or the [timeline] table of sources.toml). May be empty.
  std::string title;
  std::string description;
};

}  // namespace annals
