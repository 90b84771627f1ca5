// `annals explain FILE [--rule ID] [--rules DIR] [--reference-date D]
//                 [--context PATH...] [--color auto|always|never]`:
// prints the source text (as annals reads it, markup removed) with every
// date and event match marked and labelled with its rule and resolved value,
// then says for each event mention whether it became a timeline entry and
// why not (no date in scope, unresolved relative date), or which entry it was
// merged into and which entries it conflicts with. It runs the real pipeline
// (pipeline::scan_sources + merge::merge) on FILE plus any --context sources,
// so what it says is what `annals build` does with the same inputs.
//
// Marks: colour when stdout is a terminal, else plain text:
//   [[7 March 2025]]{date rule=date.day-month-year value=2025-03-07}
//   [[banned the export of ...]]{event rule=export-ban title="Export ban: ..."}
//   [[Published 7 March 2025]]{dateline rule=dateline.published value=2025-03-07}
// With --rule ID only that rule's matches are marked, and for a date rule the
// matches of its pattern that were dropped (vetoed, or a longer match won)
// are listed with the reason.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "cli/commands.h"
#include "merge/merge.h"
#include "pipeline/pipeline.h"
#include "rules/scan.h"
#include "temporal/calendar.h"
#include "temporal/tagger.h"

namespace annals::cli {
namespace {

struct ExplainArgs {
  std::string file, rule, rules_dir, reference_date, doc_type, color = "auto";
  bool no_fallback = false;
  std::vector<std::string> context;
};

struct Mark {
  Span span;
  bool event = false;
  std::string label;
};

struct Style {
  bool color = false;
  std::string open(const Mark& m) const { return color ? (m.event ? "\x1b[1;33m" : "\x1b[4;36m") : "[["; }
  std::string close(const Mark& m) const {
    return color ? fmt::format("\x1b[0m\x1b[2m{{{}}}\x1b[0m", m.label) : fmt::format("]]{{{}}}", m.label);
  }
};

std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  for (char c : s) out += c == '\n' ? ' ' : c;
  return out + '"';
}

std::string date_label(const DateMention& d) {
  if (!d.resolved()) return fmt::format("date rule={} unresolved: {}", d.rule_id, d.unresolved_reason);
  return fmt::format("date rule={} value={}{}{}", d.rule_id, d.value, d.mod.empty() ? "" : " mod=" + d.mod,
                     d.unresolved_reason.empty() ? "" : " off the calendar: " + d.unresolved_reason);
}

// The text with marks inserted. Marks may nest (a date inside an event
// match); the colour of the enclosing mark resumes after an inner one closes.
std::string render_marked(std::string_view text, const std::vector<Mark>& marks, const Style& style) {
  std::map<std::size_t, std::vector<const Mark*>> opens, closes;
  for (auto& m : marks) {
    opens[m.span.begin].push_back(&m);
    closes[m.span.end].push_back(&m);
  }
  for (auto& [pos, v] : opens)  // outer (longer) marks open first
    std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->span.end > b->span.end; });
  for (auto& [pos, v] : closes)  // inner (shorter) marks close first
    std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->span.begin > b->span.begin; });
  std::string out;
  std::vector<const Mark*> active;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (auto c = closes.find(i); c != closes.end()) {
      for (auto* m : c->second) {
        std::erase(active, m);
        out += style.close(*m);
        if (style.color && !active.empty()) out += style.open(*active.back());
      }
    }
    if (auto o = opens.find(i); o != opens.end())
      for (auto* m : o->second) {
        out += style.open(*m);
        active.push_back(m);
      }
    if (i < text.size()) out += text[i];
  }
  return out;
}

std::string line_col(std::string_view text, std::size_t pos) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, col = 1;
    else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++col;
  }
  return fmt::format("{}:{}", line, col);
}

// " from=\"27 January 2025\" (1:4)" for a date counted from an earlier one.
std::string anchor_note(const DateMention& d, std::string_view text) {
  if (!d.anchor) return "";
  return fmt::format(" from={} ({})", in_quotes(d.anchor->text), line_col(text, d.anchor->span.begin));
}

const TimelineEntry* entry_of(const Timeline& t, const EventMention& m) {
  for (auto& e : t.entries)
    for (auto& o : e.mentions)
      if (o.source->file == m.source->file && o.match == m.match && o.rule_id == m.rule_id) return &e;
  return nullptr;
}

// Why an event mention did or did not become a timeline entry.
std::string fate(const Timeline& t, const rules::RuleSet& rs, const EventMention& m, std::string_view text) {
  if (!m.date) {
    std::string scope = "sentence";
    for (auto& r : rs.events)
      if (r.id == m.rule_id) scope = r.date_scope;
    return fmt::format("not on the timeline: no date in scope (no date expression in its {})", scope);
  }
  if (!m.date->resolved())
    return fmt::format("not on the timeline: unresolved relative date {} ({})", in_quotes(m.date->text), m.date->unresolved_reason);
  const TimelineEntry* e = entry_of(t, m);
  if (!e)
    return fmt::format("not on the timeline: its date {} = {} places nothing on the calendar{}", in_quotes(m.date->text), m.date->value,
                       m.date->unresolved_reason.empty() ? "" : " (" + m.date->unresolved_reason + ")");
  std::string out;
  if (e->mentions.size() == 1) {
    out = fmt::format("timeline entry {} {} {}", e->event_id, e->date.value, in_quotes(e->title));
  } else {
    std::vector<std::string> others;
    for (auto& o : e->mentions) {
      if (o.source->file == m.source->file && o.match == m.match) continue;
      others.push_back(o.source->file == m.source->file ? "this file at " + line_col(text, o.match.begin) : o.source->file);
    }
    out = fmt::format("merged into entry {} {} {} with {} other mention(s): {}", e->event_id, e->date.value, in_quotes(e->title),
                      others.size(), fmt::join(others, ", "));
    if (e->date.value != m.date->value) out += fmt::format(" (its own date {} is refined to {})", m.date->value, e->date.value);
  }
  for (auto& id : e->conflicts_with) {
    auto other = std::find_if(t.entries.begin(), t.entries.end(), [&](auto& x) { return x.event_id == id; });
    std::string sources = other == t.entries.end() ? "" : fmt::format("{}", fmt::join(other->source_files(), ", "));
    out += fmt::format("\n      conflict with {} dated {} ({})", id, other == t.entries.end() ? "?" : other->date.value, sources);
  }
  if (e->conflict_count > e->conflicts_with.size())
    out += fmt::format("\n      and {} more conflicting dates", e->conflict_count - e->conflicts_with.size());
  return out;
}

// For --rule on a date rule: pattern matches that did not become mentions.
void print_dropped(const rules::RuleSet& rs, const rules::DateRule& rule, std::string_view text,
                   const std::vector<DateMention>& dates) {
  std::vector<Span> vetoed;
  std::map<std::size_t, std::string> veto_of;
  bool header = false;
  rules::for_each_match(*rule.re, text, [&](Span s) {
    bool kept = std::any_of(dates.begin(), dates.end(), [&](auto& d) { return d.rule_id == rule.id && d.span == s; });
    if (kept) return;
    std::string why;
    for (auto& v : rs.vetoes)
      rules::for_each_match(*v.re, text, [&](Span vs) {
        if (why.empty() && vs.overlaps(s)) why = "vetoed by " + v.id + " (" + in_quotes(text.substr(vs.begin, vs.size())) + ")";
      });
    for (auto& d : dates)
      if (why.empty() && d.span.overlaps(s)) why = "overlapped by a longer match: " + d.rule_id + " " + in_quotes(d.text);
    if (why.empty()) why = "dropped";
    if (!header) std::printf("\nDropped matches of %s:\n", rule.id.c_str()), header = true;
    std::printf("  %-8s %s: %s\n", line_col(text, s.begin).c_str(), in_quotes(text.substr(s.begin, s.size())).c_str(), why.c_str());
  });
}

int run_explain(const ExplainArgs& a) {
  auto reference = parse_reference_date(a.reference_date);
  if (!reference.ok()) return fail(reference.status());
  auto loaded = load_rule_pack(a.rules_dir, "; run `annals rules check`", event_pack(a.no_fallback));
  if (!loaded.ok()) return fail(loaded.status());
  const rules::RuleSet& rs = **loaded;
  const std::string& rules_dir = rs.dir;
  const rules::DateRule* date_rule = nullptr;
  if (!a.rule.empty()) {
    bool known = false;
    for (auto* list : {&rs.dates, &rs.datelines})
      for (auto& r : *list)
        if (r.id == a.rule) known = true, date_rule = list == &rs.dates ? &r : nullptr;
    for (auto& r : rs.events) known |= r.id == a.rule;
    for (auto* list : {&rs.vetoes, &rs.event_vetoes})
      for (auto& r : *list) known |= r.id == a.rule;
    if (!known) {
      std::fprintf(stderr, "annals: no rule with id \"%s\" in %s\n", a.rule.c_str(), rules_dir.c_str());
      return kUsageError;
    }
  }

  std::vector<std::string> inputs{a.file};
  inputs.insert(inputs.end(), a.context.begin(), a.context.end());
  if (Status known = check_doc_type(rs, a.doc_type); !known.ok()) return fail(known);
  auto scan = pipeline::scan_sources(rs, inputs, {*reference, 0, a.doc_type});
  report_diagnostics(scan.diagnostics);
  std::error_code ec;
  auto same_file = [&](const std::string& f) { return f == a.file || std::filesystem::equivalent(f, a.file, ec); };
  auto src = std::find_if(scan.sources.begin(), scan.sources.end(), [&](auto& s) { return same_file(s.doc.info.file); });
  if (src == scan.sources.end()) {
    std::fprintf(stderr, "annals: %s could not be read as a source\n", a.file.c_str());
    return kInputProblems;
  }
  Timeline t = merge::merge(merge::MentionQueue(scan.mentions.begin(), scan.mentions.end()));

  const Document& doc = src->doc;
  const extract::Result& result = src->result;
  auto shown = [&](const std::string& rule_id) { return a.rule.empty() || a.rule == rule_id; };
  std::vector<Mark> marks;
  for (auto& d : result.dates)
    if (shown(d.rule_id)) marks.push_back({d.span, false, date_label(d)});
  for (auto& m : result.events)
    if (shown(m.rule_id)) marks.push_back({m.match, true, fmt::format("event rule={} title={}", m.rule_id, in_quotes(m.title))});
  // The dateline that gave the source its publication date, when one did.
  std::optional<DateMention> dateline;
  if (doc.info.published_from == "dateline") dateline = temporal::find_dateline(rs, doc.text);
  if (dateline && shown(dateline->rule_id))
    marks.push_back({dateline->span, false, fmt::format("dateline rule={} value={}", dateline->rule_id, dateline->value)});
  for (auto* list : {&rs.vetoes, &rs.event_vetoes})
    for (auto& v : *list)
      if (v.id == a.rule)
        rules::for_each_match(*v.re, doc.text, [&](Span s) { marks.push_back({s, false, "veto rule=" + v.id}); });

  bool color = a.color == "always" || (a.color == "auto" && isatty(fileno(stdout)));
  std::string published = doc.info.published
                              ? fmt::format("published {} (from {}{})", temporal::format_iso_day(*doc.info.published), doc.info.published_from,
                                            dateline ? " " + dateline->rule_id : "")
                              : std::string("no publication date: relative dates stay unresolved");
  std::printf("== %s: %s; read as %s (%s)\n\n", doc.info.file.c_str(), published.c_str(), doc.info.doc_type.c_str(),
              doc.info.doc_type_from.c_str());
  std::printf("%s\n", render_marked(doc.text, marks, Style{color}).c_str());

  std::printf("\nDates (%zu):\n", std::count_if(result.dates.begin(), result.dates.end(), [&](auto& d) { return shown(d.rule_id); }));
  for (auto& d : result.dates)
    if (shown(d.rule_id))
      std::printf("  %-8s %s  %s%s\n", line_col(doc.text, d.span.begin).c_str(), in_quotes(d.text).c_str(), date_label(d).substr(5).c_str(),
                  anchor_note(d, doc.text).c_str());
  if (date_rule) print_dropped(rs, *date_rule, doc.text, result.dates);

  std::printf("\nEvents (%zu):\n", std::count_if(result.events.begin(), result.events.end(), [&](auto& m) { return shown(m.rule_id); }));
  for (auto& m : result.events) {
    if (!shown(m.rule_id)) continue;
    std::printf("  %-8s %s %s\n", line_col(doc.text, m.match.begin).c_str(), m.rule_id.c_str(), in_quotes(m.title).c_str());
    if (m.date_basis == "publication")
      std::printf("      date: the publication day %s (the lead reports it with no date of its own)\n", m.date->value.c_str());
    else if (m.date)
      std::printf("      date: %s (%s%s)%s\n", in_quotes(m.date->text).c_str(), date_label(*m.date).substr(5).c_str(),
                  anchor_note(*m.date, doc.text).c_str(),
                  m.date_basis == "heading" ? fmt::format(" from the heading at {}", line_col(doc.text, m.date->span.begin)).c_str()
                  : m.date_basis == "paragraph" ? " in its paragraph" : "");
    std::printf("      -> %s\n", fate(t, rs, m, doc.text).c_str());
  }
  return kOk;
}

}  // namespace

void register_explain(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand("explain", "Show a source with every date and event match marked, and why each event is or is not on the timeline");
  cmd->add_option("file", args->file, "The source file to explain (.txt, .md, .html)")->required();
  cmd->add_option("--rule", args->rule, "Only this rule's matches (for a date rule, also its dropped matches)");
  add_rules_option(cmd, args->rules_dir);
  add_fallback_option(cmd, args->no_fallback);
  cmd->add_option("--reference-date", args->reference_date, "Publication date of the source, YYYY-MM-DD (overrides all others)");
  add_doc_type_option(cmd, args->doc_type);
  cmd->add_option("--context", args->context, "Other sources merged with FILE, as `build` would (not printed)");
  cmd->add_option("--color", args->color, "auto (when stdout is a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->footer(
      "Examples:\n"
      "  annals explain sources/column.txt\n"
      "      the text with every date and event marked, and why each event is or is not on the timeline\n"
      "  annals explain sources/analysis.md --rule model-release --context sources\n"
      "      only that rule's matches, merged with the other sources as build would");
  cmd->callback([args, &exit_code] { exit_code = run_explain(*args); });
}

}  // namespace annals::cli
