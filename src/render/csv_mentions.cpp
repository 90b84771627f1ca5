#include "render/csv_mentions.h"

#include "temporal/calendar.h"

namespace annals::render {
namespace {

// One row: a mention and the entry it was merged into (null when undated).
struct MentionRow {
  const TimelineEntry* entry = nullptr;
  const EventMention* mention = nullptr;
};

std::string offset(std::size_t n) { return std::to_string(n); }

const std::vector<CsvColumn<MentionRow>>& mention_columns() {
  using R = MentionRow;
  static const std::vector<CsvColumn<R>> columns{
      {"event_id", [](const R& r) { return r.entry ? r.entry->event_id : std::string{}; }},
      {"entry_date", [](const R& r) { return r.entry ? r.entry->date.value : std::string{}; }},
      {"date_text", [](const R& r) { return r.mention->date ? r.mention->date->text : std::string{}; }},
      {"date_value", [](const R& r) { return r.mention->date ? r.mention->date->value : std::string{}; }},
      {"date_start",
       [](const R& r) { return r.mention->dated() ? temporal::format_iso_day(r.mention->date->interval->first) : std::string{}; }},
      {"date_end",
       [](const R& r) { return r.mention->dated() ? temporal::format_iso_day(r.mention->date->interval->last) : std::string{}; }},
      {"date_rule", [](const R& r) { return r.mention->date ? r.mention->date->rule_id : std::string{}; }},
      {"unresolved", [](const R& r) { return r.mention->date ? r.mention->date->unresolved_reason : std::string{}; }},
      {"date_basis",
       [](const R& r) {
         if (!r.mention->date) return std::string{};
         return r.mention->date_basis.empty() ? std::string("sentence") : r.mention->date_basis;
       }},
      {"event_title", [](const R& r) { return r.mention->title; }},
      {"category", [](const R& r) { return r.mention->category; }},
      {"rule", [](const R& r) { return r.mention->rule_id; }},
      {"source_file", [](const R& r) { return r.mention->source->file; }},
      {"source_title", [](const R& r) { return r.mention->source->title; }},
      {"outlet", [](const R& r) { return r.mention->source->outlet; }},
      {"url", [](const R& r) { return r.mention->source->url; }},
      {"published",
       [](const R& r) { return r.mention->source->published ? temporal::format_iso_day(*r.mention->source->published) : std::string{}; }},
      {"published_from", [](const R& r) { return r.mention->source->published_from; }},
      {"evidence", [](const R& r) { return r.mention->evidence; }},
      {"match_start", [](const R& r) { return offset(r.mention->match.begin); }},
      {"match_end", [](const R& r) { return offset(r.mention->match.end); }},
      {"evidence_event_start", [](const R& r) { return offset(r.mention->evidence_event.begin); }},
      {"evidence_event_end", [](const R& r) { return offset(r.mention->evidence_event.end); }},
      {"evidence_date_start",
       [](const R& r) { return r.mention->evidence_date ? offset(r.mention->evidence_date->begin) : std::string{}; }},
      {"evidence_date_end",
       [](const R& r) { return r.mention->evidence_date ? offset(r.mention->evidence_date->end) : std::string{}; }},
  };
  return columns;
}

}  // namespace

void render_mentions_csv(const Timeline& t, CsvDialect dialect, OutputSink& out) {
  CsvWriter<MentionRow> csv(mention_columns(), dialect, out);
  for (auto& e : t.entries)
    for (auto& m : e.mentions) csv.row({&e, &m});
  for (auto& m : t.undated) csv.row({nullptr, &m});
}

std::string render_mentions_csv(const Timeline& t, CsvDialect dialect) {
  return collect_text([&](OutputSink& out) { render_mentions_csv(t, dialect, out); });
}

}  // namespace annals::render
