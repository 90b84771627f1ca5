// `annals tag FILE... [--reference-date D] [--format jsonl|timeml]`: prints
// every time expression of each source, one JSON object per line:
//   {"file":..., "start":..., "end":..., "text":..., "type":"DATE",
//    "value":"2025-03-07", "mod":"START" (when present), "rule":"date.iso"}
// start/end are byte offsets into the document's text: for plain .txt files
// that is the file as read; for .md and .html it is the cleaned text (see
// ingest.h). An unresolved expression has "value":"" and a "reason".
// --format timeml writes each document as TimeML with TIMEX3 tags instead.
#include <cstdio>
#include <iterator>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "eval/timeml.h"
#include "ingest/ingest.h"
#include "pipeline/pipeline.h"
#include "rules/rules.h"
#include "temporal/calendar.h"
#include "temporal/tagger.h"

namespace annals::cli {
namespace {

struct TagArgs {
  std::vector<std::string> files;
  std::string rules_dir, reference_date, doc_type, format = "jsonl";
  unsigned threads = 0;
  bool quiet = false;
};

// Appends `s` as a JSON string literal. The bytes that need no escape are
// copied a run at a time (a byte-by-byte append was most of the writer's cost).
void json_string(std::string_view s, std::string& out) {
  out.push_back('"');
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: fmt::format_to(std::back_inserter(out), FMT_COMPILE("\\u{:04x}"), int(c));
    }
  }
  out.append(s.substr(run));
  out.push_back('"');
}

// One JSON object per mention. The file name is escaped once per document;
// numbers are formatted in place (FMT_COMPILE), with no temporary strings.
std::string jsonl(const std::string& file, const std::vector<DateMention>& mentions) {
  std::string file_field = "{\"file\":";
  json_string(file, file_field);
  std::string out;
  for (auto& m : mentions) {
    out += file_field;
    fmt::format_to(std::back_inserter(out), FMT_COMPILE(",\"start\":{},\"end\":{},\"text\":"), m.span.begin, m.span.end);
    json_string(m.text, out);
    out += ",\"type\":\"";
    out += timex_type_name(m.type);
    out += "\",\"value\":";
    json_string(m.value, out);
    if (!m.mod.empty()) {
      out += ",\"mod\":";
      json_string(m.mod, out);
    }
    out += ",\"rule\":";
    json_string(m.rule_id, out);
    if (!m.unresolved_reason.empty()) {  // unresolved, or a value off the calendar
      out += ",\"reason\":";
      json_string(m.unresolved_reason, out);
    }
    if (m.anchor) {  // the earlier date it counts from, as in timeline.json
      out += ",\"anchor\":{\"text\":";
      json_string(m.anchor->text, out);
      fmt::format_to(std::back_inserter(out), FMT_COMPILE(",\"start\":{},\"end\":{}}}"), m.anchor->span.begin, m.anchor->span.end);
    }
    out += "}\n";
  }
  return out;
}

int run_tag(const TagArgs& a) {
  auto reference = parse_reference_date(a.reference_date);
  if (!reference.ok()) return fail(reference.status());
  if (a.format != "jsonl" && a.format != "timeml") {
    std::fprintf(stderr, "annals: --format must be jsonl or timeml, got \"%s\"\n", a.format.c_str());
    return kUsageError;
  }
  auto loaded = load_rule_pack(a.rules_dir, "", PackPart::DatesOnly);
  if (!loaded.ok()) return fail(loaded.status());
  const rules::RuleSet& pack = **loaded;
  if (Status known = check_doc_type(pack, a.doc_type); !known.ok()) return fail(known);
  auto list = pipeline::list_sources(a.files);
  std::vector<Diagnostic> diags = std::move(list.diagnostics);
  ingest::Options options{*reference, a.doc_type};
  // Each document's output is written as soon as it is its turn, so memory
  // holds the documents in flight, not the corpus.
  struct Tagged {
    std::string output;
    std::vector<Diagnostic> diags;
    std::uintmax_t bytes = 0;
  };
  Progress progress(!a.quiet, list.files.size(), list.total_bytes);
  pipeline::ordered_for<Tagged>(
      list.files.size(), a.threads,
      [&](std::size_t i) {
        Tagged t;
        if (list.stamps[i]) t.bytes = list.stamps[i]->size;
        auto doc = ingest::read_source(list.files[i], list.manifests, pack, options, t.diags);
        if (!doc) return t;
        auto mentions = temporal::tag_text(pack, doc->text, doc->info.published, doc->info.doc_type).dates;
        t.output = a.format == "timeml" ? eval::write_timeml(doc->text, mentions, doc->info.published) : jsonl(doc->info.file, mentions);
        return t;
      },
      [&](Tagged&& t) {
        progress.advance(t.bytes);
        std::fwrite(t.output.data(), 1, t.output.size(), stdout);
        diags.insert(diags.end(), t.diags.begin(), t.diags.end());
      });
  progress.clear();
  return report_diagnostics(diags) ? kInputProblems : kOk;
}

}  // namespace

void register_tag(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<TagArgs>();
  auto* cmd = app.add_subcommand("tag", "Print every time expression of FILES (JSON Lines or TimeML)");
  cmd->add_option("files", args->files, "Source files or folders (.txt, .md, .html)")->required();
  add_rules_option(cmd, args->rules_dir);
  cmd->add_option("--reference-date", args->reference_date, "Reference (publication) date for every file, YYYY-MM-DD");
  cmd->add_option("--format", args->format, "jsonl (default) or timeml");
  add_doc_type_option(cmd, args->doc_type);
  add_threads_option(cmd, args->threads);
  cmd->footer(
      "Examples:\n"
      "  annals tag sources/wire-report.txt\n"
      "      every date expression of the file, one JSON object per line\n"
      "  annals tag notes.txt --reference-date 2025-03-07 --format timeml\n"
      "      the text with TIMEX3 tags, relative dates resolved against 7 March 2025");
  add_quiet_option(cmd, args->quiet);
  cmd->callback([args, &exit_code] { exit_code = run_tag(*args); });
}

}  // namespace annals::cli
