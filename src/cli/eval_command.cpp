// `annals eval --timeml DIR [--doc-type T] [--errors] [--json]`: tags the
// plain text of every TimeML gold file in DIR (with its <DCT> as the
// reference date, read as document type T, default auto) and prints
// TempEval-3 figures: strict and relaxed extent P/R/F1, type F1 and value F1,
// for all types and for DATE+TIME only. --errors lists every miss, false
// alarm, extent, type and value difference with its context and rule.
#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/files.h"
#include "core/text.h"
#include "eval/score.h"
#include "eval/timeml.h"
#include "pipeline/pipeline.h"
#include "rules/rules.h"
#include "temporal/calendar.h"
#include "temporal/tagger.h"

namespace annals::cli {
namespace {

struct EvalArgs {
  std::string timeml_dir, rules_dir, doc_type = "auto";
  bool errors = false, json = false;
  unsigned threads = 0;
};

struct Scored {
  std::string problem;  // why the file was skipped; empty when it was scored
  eval::GoldDocument gold;
  std::vector<DateMention> system;
  eval::Counts all, date_time;
  std::vector<eval::Pairing> pairs;
  temporal::DocTypeChoice doc_type;
};

std::string context(std::string_view text, Span span) {
  std::size_t from = span.begin > 50 ? span.begin - 50 : 0;
  std::size_t to = std::min(text.size(), span.end + 50);
  return collapse_whitespace(text.substr(from, span.begin - from)) + " [" +
         collapse_whitespace(text.substr(span.begin, span.size())) + "] " +
         collapse_whitespace(text.substr(span.end, to - span.end));
}

void print_errors(const Scored& s) {
  for (auto& p : s.pairs) {
    std::string kind;
    if (!p.system) kind = "miss";
    else if (!p.gold) kind = "false alarm";
    else if (p.gold->value != p.system->value) kind = "wrong value";
    else if (p.gold->type != timex_type_name(p.system->type)) kind = "wrong type";
    else if (p.gold->span != p.system->span) kind = "extent";
    else continue;
    Span where = p.gold ? p.gold->span : p.system->span;
    if (p.gold && p.system) where = {std::min(p.gold->span.begin, p.system->span.begin), std::max(p.gold->span.end, p.system->span.end)};
    std::string gold = p.gold ? fmt::format("gold \"{}\" {} {}", p.gold->text, p.gold->type, p.gold->value) : "gold -";
    std::string sys = p.system ? fmt::format("annals \"{}\" {} {} [{}]", p.system->text, timex_type_name(p.system->type),
                                             p.system->value.empty() ? "(" + p.system->unresolved_reason + ")" : p.system->value,
                                             p.system->rule_id)
                               : "annals -";
    std::printf("%s: %s: %s | %s | ref %s %s\n    %s\n", s.gold.file.c_str(), kind.c_str(), gold.c_str(), sys.c_str(),
                s.gold.reference ? temporal::format_iso_day(*s.gold.reference).c_str() : "-", s.doc_type.name.c_str(),
                context(s.gold.text, where).c_str());
  }
}

nlohmann::json to_json(const eval::Counts& c) {
  auto f = eval::figures(c);
  auto prf = [](const eval::PRF& p) { return nlohmann::json{{"precision", p.precision}, {"recall", p.recall}, {"f1", p.f1}}; };
  return {{"gold", c.gold}, {"system", c.system}, {"strict", prf(f.strict)}, {"relaxed", prf(f.relaxed)},
          {"type", prf(f.type)}, {"value", prf(f.value)}};
}

void print_table(const eval::Counts& all, const eval::Counts& dt, std::size_t docs) {
  std::printf("TempEval-3 figures, micro-averaged over %zu document(s) (%%; type and value F1 over relaxed matches)\n\n", docs);
  std::printf("| scope | gold | annals | strict P / R / F1 | relaxed P / R / F1 | type F1 | value F1 |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  auto row = [](const char* name, const eval::Counts& c) {
    auto f = eval::figures(c);
    std::printf("| %s | %zu | %zu | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %.1f | %.1f |\n", name, c.gold, c.system,
                100 * f.strict.precision, 100 * f.strict.recall, 100 * f.strict.f1, 100 * f.relaxed.precision,
                100 * f.relaxed.recall, 100 * f.relaxed.f1, 100 * f.type.f1, 100 * f.value.f1);
  };
  row("all types", all);
  row("DATE+TIME", dt);
}

int run_eval(const EvalArgs& a) {
  auto loaded = load_rule_pack(a.rules_dir, "", PackPart::DatesOnly);
  if (!loaded.ok()) return fail(loaded.status());
  const rules::RuleSet& pack = **loaded;
  if (a.doc_type != "auto" && !pack.doc_types.find(a.doc_type)) {
    std::fprintf(stderr, "annals: --doc-type: the rule pack defines no document type \"%s\" (it has: %s; or auto)\n",
                 a.doc_type.c_str(), pack.doc_types.names().c_str());
    return kUsageError;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(a.timeml_dir, ec)) {
    std::fprintf(stderr, "annals: --timeml: not a folder: %s\n", a.timeml_dir.c_str());
    return kUsageError;
  }
  // A folder or file that cannot be read is an input problem: reported,
  // skipped, and the figures are those of the rest.
  std::vector<Diagnostic> problems;
  auto files = list_files(
      a.timeml_dir, [](const std::filesystem::path& p) { return p.extension() == ".tml" || p.extension() == ".xml"; },
      [&](const std::filesystem::path& folder, std::error_code why) {
        problems.push_back({Severity::Error, folder.string(), 0, 0, "", "cannot be read: " + why.message() + "; skipped"});
      });
  if (files.empty()) {
    report_diagnostics(problems);
    std::fprintf(stderr, "annals: no .tml files in %s\n", a.timeml_dir.c_str());
    return kInputProblems;
  }

  std::vector<Scored> scored(files.size());
  pipeline::parallel_for(files.size(), a.threads, [&](std::size_t i) {
    Scored& s = scored[i];
    std::string bytes;
    if (std::error_code read_ec = read_file(files[i], bytes)) {
      s.problem = "cannot be read: " + read_ec.message() + "; skipped";
      return;
    }
    auto gold = eval::parse_timeml(bytes, files[i].filename().string());
    if (!gold.ok()) {
      s.problem = "not read as TimeML: " + gold.status().message() + "; skipped";
      return;
    }
    s.gold = std::move(*gold);
    auto tagged = temporal::tag_text(pack, s.gold.text, s.gold.reference, a.doc_type);
    s.system = std::move(tagged.dates);
    s.doc_type = std::move(tagged.doc_type);
    s.all = eval::score_document(s.gold.timexes, s.system, eval::TypeFilter::All, a.errors ? &s.pairs : nullptr);
    s.date_time = eval::score_document(s.gold.timexes, s.system, eval::TypeFilter::DateTime);
  });

  eval::Counts all, dt;
  std::size_t docs = 0;
  std::map<std::string, std::size_t> types;  // documents read as each type
  for (std::size_t i = 0; i < scored.size(); ++i) {
    const Scored& s = scored[i];
    if (!s.problem.empty()) {
      problems.push_back({Severity::Error, files[i].string(), 0, 0, "", s.problem});
      continue;
    }
    ++docs;
    ++types[s.doc_type.name];
    all += s.all;
    dt += s.date_time;
    if (a.errors) print_errors(s);
  }
  if (a.json) {
    nlohmann::json j{{"documents", docs}, {"doc_type", a.doc_type}, {"doc_types", types},
                     {"all_types", to_json(all)}, {"date_time", to_json(dt)}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    if (a.errors) std::printf("\n");
    print_table(all, dt, docs);
    std::string read_as;
    for (auto& [name, n] : types) read_as += fmt::format("{}{} {}", read_as.empty() ? "" : ", ", n, name);
    std::printf("\nDocument types (--doc-type %s): %s\n", a.doc_type.c_str(), read_as.c_str());
  }
  return report_diagnostics(problems) ? kInputProblems : kOk;
}

}  // namespace

void register_eval(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand("eval", "Measure date recognition against TimeML gold files (TempEval-3 figures)");
  cmd->add_option("--timeml", args->timeml_dir, "Folder of TimeML gold files (.tml); <DCT> is each one's reference date")->required();
  add_rules_option(cmd, args->rules_dir);
  cmd->add_flag("--errors", args->errors, "List every miss, false alarm and wrong extent, type or value with its context and rule");
  cmd->add_flag("--json", args->json, "Print the figures as JSON");
  cmd->add_option("--doc-type", args->doc_type,
                  "Read every document as this type of the rule pack's [doc_types] (news, narrative), or auto: "
                  "choose per document, as annals build does (default)");
  add_threads_option(cmd, args->threads);
  cmd->callback([args, &exit_code] { exit_code = run_eval(*args); });
}

}  // namespace annals::cli
