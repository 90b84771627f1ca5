// `annals rules check [--rules DIR] [--strict]`: loads every rule file and
// reports every problem at once, like a compiler
// (`file:line:column: error|warning: message [rule-id]`).
//   exit 0 clean (or warnings only), 1 warnings only with --strict, 2 errors.
//
// `annals rules test [--rules DIR] [--rule ID]`: runs the `examples` and
// `counterexamples` every rule carries, through the real tagger and
// extractor, and prints one line per rule with a diff for each failure.
//   exit 0 all pass, 1 some example failed, 2 the rule pack has errors.
//
// What an example asserts, by rule kind:
//   date      the tagger, run on `text` with `reference` as the publication
//             date, yields a mention of this rule whose value is `value`
//             (and whose TimeML mod is `mod`, when given)
//   dateline  the dateline found in `text` comes from this rule, = `value`
//   veto      the veto's pattern matches `text`
//   event     the extractor yields a mention of this rule whose title is
//             `title` (and whose attached date is `value`, when given)
// A counterexample asserts that the rule yields no mention (veto: no match).
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "extract/extract.h"
#include "rules/rules.h"
#include "rules/scan.h"
#include "temporal/calendar.h"
#include "temporal/normalize.h"
#include "temporal/tagger.h"

namespace annals::cli {
namespace {

// Static check of a value expression: evaluate it against an arbitrary
// reference date and keep only the "malformed" verdict.
Status check_value_expression(std::string_view expression) {
  using namespace date;
  if (auto ev = temporal::evaluate_value(expression, sys_days{year{2025} / March / 7}); !ev.ok()) return ev.status();
  // Anything else that looks like a call would pass through as a literal.
  if (auto open = expression.find('('); open != std::string_view::npos && !temporal::is_relative_expression(expression))
    return Status::error(
        fmt::format("\"{}\" is not a function of the value language (see rules/README.md)", expression.substr(0, open)));
  return Status();
}

std::filesystem::path rules_dir_of(const std::string& given) {
  return given.empty() ? default_data_path("rules") : std::filesystem::path(given);
}

void sort_diagnostics(std::vector<Diagnostic>& diags) {
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
}

int run_check(const std::string& dir, bool strict) {
  auto path = rules_dir_of(dir);
  auto loaded = rules::load_rules(path, {.require_examples = true, .check_value = check_value_expression});
  sort_diagnostics(loaded.diagnostics);
  std::size_t errors = 0, warnings = 0;
  for (auto& d : loaded.diagnostics) {
    std::printf("%s\n", format_diagnostic(d).c_str());
    errors += d.severity == Severity::Error;
    warnings += d.severity == Severity::Warning;
  }
  if (loaded.ok()) {
    auto& r = *loaded.rules;
    std::printf("annals rules check: %s: %zu date, %zu dateline, %zu veto, %zu event and %zu event veto rules, %zu lexicons; "
                "%zu error(s), %zu warning(s)\n",
                path.string().c_str(), r.dates.size(), r.datelines.size(), r.vetoes.size(), r.events.size(), r.event_vetoes.size(),
                r.lexicons.size(), errors, warnings);
  } else {
    std::printf("annals rules check: %s: %zu error(s), %zu warning(s)\n", path.string().c_str(), errors, warnings);
  }
  if (errors) return kUsageError;
  return strict && warnings ? kInputProblems : kOk;
}

// ---- rules test -------------------------------------------------------------

struct Failure {
  std::string what;      // "example 2 (file:line): \"text\" (reference ...)"
  std::string expected;
  std::string actual;
};

struct RuleReport {
  std::string id;
  std::size_t examples = 0, counterexamples = 0;
  std::vector<Failure> failures;
};

std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '"') out += "\\\"";
    else out += c;
  }
  return out + '"';
}

std::string describe(const DateMention& d) {
  std::string v = d.resolved() ? d.value : "unresolved (" + d.unresolved_reason + ")";
  return fmt::format("{} {} = {}{}", d.rule_id, in_quotes(d.text), v, d.mod.empty() ? "" : " mod " + d.mod);
}

std::string describe_all(const std::vector<DateMention>& ds) {
  if (ds.empty()) return "no date found";
  std::string out;
  for (auto& d : ds) out += (out.empty() ? "" : "; ") + describe(d);
  return out;
}

std::optional<date::sys_days> reference_of(const rules::Example& ex) {
  if (ex.reference.empty()) return std::nullopt;
  return temporal::parse_iso_day(ex.reference);
}

std::string where(const rules::RuleBase& rule, const rules::Example& ex, const char* kind, std::size_t n) {
  std::string s = fmt::format("{} {} ({}:{}): {}", kind, n, rule.file, ex.line, in_quotes(ex.text));
  if (!ex.reference.empty()) s += " reference " + ex.reference;
  return s;
}

// Why the rule's own pattern match did not survive in the tagger's output.
std::string why_dropped(const rules::RuleSet& rs, const rules::DateRule& rule, std::string_view text,
                        const std::vector<DateMention>& found) {
  std::vector<Span> own;
  rules::for_each_match(*rule.re, text, [&](Span s) { own.push_back(s); });
  if (own.empty()) return "the pattern does not match";
  for (auto& v : rs.vetoes) {
    std::string by;
    rules::for_each_match(*v.re, text, [&](Span s) {
      if (by.empty() && std::any_of(own.begin(), own.end(), [&](const Span& o) { return o.overlaps(s); })) by = v.id;
    });
    if (!by.empty()) return fmt::format("the pattern matches but veto {} drops it", by);
  }
  for (auto& d : found)
    if (std::any_of(own.begin(), own.end(), [&](const Span& o) { return o.overlaps(d.span); }))
      return fmt::format("the pattern matches but a longer match wins: {}", describe(d));
  return "the pattern matches but yields no mention";
}

void test_date_rule(const rules::RuleSet& rs, const rules::DateRule& rule, bool dateline, RuleReport& rep) {
  auto mine = [&](const rules::Example& ex) {
    std::vector<DateMention> found;
    if (dateline) {
      if (auto d = temporal::find_dateline(rs, ex.text)) found.push_back(*d);
    } else {
      found = temporal::find_dates(rs, ex.text, reference_of(ex));
    }
    std::vector<DateMention> own;
    for (auto& d : found)
      if (d.rule_id == rule.id) own.push_back(d);
    return std::pair{found, own};
  };
  std::size_t n = 0;
  for (auto& ex : rule.examples) {
    ++n;
    auto [found, own] = mine(ex);
    bool ok = std::any_of(own.begin(), own.end(), [&](auto& d) {
      return (ex.value.empty() || d.value == ex.value) && (ex.mod.empty() || d.mod == ex.mod);
    });
    if (ok) continue;
    std::string actual = !own.empty() ? describe_all(own)
                         : dateline   ? (found.empty() ? std::string("no dateline found") : "dateline from " + describe(found[0]))
                                      : why_dropped(rs, rule, ex.text, found) + "; tagged: " + describe_all(found);
    std::string expected = ex.value.empty() ? "a match of " + rule.id : "value " + ex.value;
    if (!ex.mod.empty()) expected += " mod " + ex.mod;
    rep.failures.push_back({where(rule, ex, "example", n), expected, actual});
  }
  n = 0;
  for (auto& ex : rule.counterexamples) {
    ++n;
    auto [found, own] = mine(ex);
    if (own.empty()) continue;
    rep.failures.push_back({where(rule, ex, "counterexample", n), "no match of " + rule.id, describe_all(own)});
  }
}

void test_veto(const rules::VetoRule& rule, RuleReport& rep) {
  auto matches = [&](const std::string& text) {
    std::string first;
    rules::for_each_match(*rule.re, text, [&](Span s) {
      if (first.empty()) first = text.substr(s.begin, s.size());
    });
    return first;
  };
  std::size_t n = 0;
  for (auto& ex : rule.examples) {
    ++n;
    if (matches(ex.text).empty()) rep.failures.push_back({where(rule, ex, "example", n), "a match of the veto", "no match"});
  }
  n = 0;
  for (auto& ex : rule.counterexamples) {
    ++n;
    if (auto m = matches(ex.text); !m.empty())
      rep.failures.push_back({where(rule, ex, "counterexample", n), "no match of the veto", "matches " + in_quotes(m)});
  }
}

std::string describe(const EventMention& m) {
  std::string date = !m.date ? "no date" : m.date->resolved() ? m.date->value : "unresolved date " + in_quotes(m.date->text);
  return fmt::format("{} {} ({})", m.rule_id, in_quotes(m.title), date);
}

void test_event(const rules::RuleSet& rs, const rules::EventRule& rule, RuleReport& rep) {
  auto run = [&](const rules::Example& ex) {
    Document doc;
    doc.info.file = rule.file;
    doc.info.published = reference_of(ex);
    doc.text = ex.text;
    auto result = extract::extract(rs, doc);
    std::vector<EventMention> own;
    for (auto& m : result.events)
      if (m.rule_id == rule.id) own.push_back(m);
    return own;
  };
  auto list = [](const std::vector<EventMention>& ms) {
    std::string out;
    for (auto& m : ms) out += (out.empty() ? "" : "; ") + describe(m);
    return out;
  };
  std::size_t n = 0;
  for (auto& ex : rule.examples) {
    ++n;
    auto own = run(ex);
    bool ok = std::any_of(own.begin(), own.end(), [&](const EventMention& m) {
      return (ex.title.empty() || m.title == ex.title) && (ex.value.empty() || (m.date && m.date->value == ex.value));
    });
    if (ok) continue;
    std::string expected = ex.title.empty() ? "a match of " + rule.id : "title " + in_quotes(ex.title);
    if (!ex.value.empty()) expected += " dated " + ex.value;
    rep.failures.push_back({where(rule, ex, "example", n), expected, own.empty() ? "no match of " + rule.id : list(own)});
  }
  n = 0;
  for (auto& ex : rule.counterexamples) {
    ++n;
    if (auto own = run(ex); !own.empty())
      rep.failures.push_back({where(rule, ex, "counterexample", n), "no match of " + rule.id, list(own)});
  }
}

std::vector<RuleReport> run_examples(const rules::RuleSet& rs, const std::string& only) {
  std::vector<RuleReport> out;
  auto wanted = [&](const rules::RuleBase& r) { return only.empty() || r.id == only; };
  auto start = [&](const rules::RuleBase& r) -> RuleReport& {
    out.push_back({r.id, r.examples.size(), r.counterexamples.size(), {}});
    return out.back();
  };
  for (auto& r : rs.dates)
    if (wanted(r)) test_date_rule(rs, r, false, start(r));
  for (auto& r : rs.datelines)
    if (wanted(r)) test_date_rule(rs, r, true, start(r));
  for (auto* list : {&rs.vetoes, &rs.event_vetoes})
    for (auto& r : *list)
      if (wanted(r)) test_veto(r, start(r));
  for (auto& r : rs.events)
    if (wanted(r)) test_event(rs, r, start(r));
  return out;
}

int run_test(const std::string& dir, const std::string& only) {
  auto path = rules_dir_of(dir);
  // Fallback rules are tested even where the pack turns them off.
  auto loaded = rules::load_rules(path, {.fallback = true});
  if (!loaded.ok()) {
    sort_diagnostics(loaded.diagnostics);
    for (auto& d : loaded.diagnostics) std::printf("%s\n", format_diagnostic(d).c_str());
    std::printf("annals rules test: the rule pack in %s has errors; run `annals rules check`\n", path.string().c_str());
    return kUsageError;
  }
  auto reports = run_examples(*loaded.rules, only);
  if (reports.empty()) {
    std::printf("annals rules test: no rule with id \"%s\" in %s\n", only.c_str(), path.string().c_str());
    return kUsageError;
  }
  std::size_t cases = 0, failed = 0, failed_rules = 0, bare = 0;
  for (auto& r : reports) {
    std::size_t n = r.examples + r.counterexamples;
    cases += n;
    failed += r.failures.size();
    failed_rules += !r.failures.empty();
    bare += r.examples == 0;
    const char* status = !r.failures.empty() ? "FAIL" : r.examples == 0 ? "NONE" : "PASS";
    std::printf("%s %-32s %zu example(s), %zu counterexample(s)\n", status, r.id.c_str(), r.examples, r.counterexamples);
    for (auto& f : r.failures)
      std::printf("  %s\n    - expected: %s\n    + actual:   %s\n", f.what.c_str(), f.expected.c_str(), f.actual.c_str());
  }
  std::printf("annals rules test: %zu rule(s) (%zu without examples), %zu failing; %zu cases: %zu ok, %zu failed\n",
              reports.size(), bare, failed_rules, cases, cases - failed, failed);
  return failed ? kInputProblems : kOk;
}

}  // namespace

void register_rules(CLI::App& app, int& exit_code) {
  auto* rules_cmd = app.add_subcommand("rules", "Check rule files and run the examples they carry");
  rules_cmd->require_subcommand(1);

  struct CheckArgs {
    std::string dir;
    bool strict = false;
  };
  auto check_args = std::make_shared<CheckArgs>();
  auto* check = rules_cmd->add_subcommand("check", "Report every problem of a rule pack (exit 0 clean, 1 warnings with --strict, 2 errors)");
  add_rules_option(check, check_args->dir);
  check->add_flag("--strict", check_args->strict, "Exit 1 when there are warnings");
  check->callback([check_args, &exit_code] { exit_code = run_check(check_args->dir, check_args->strict); });

  struct TestArgs {
    std::string dir, rule;
  };
  auto test_args = std::make_shared<TestArgs>();
  auto* test = rules_cmd->add_subcommand("test", "Run every rule's examples and counterexamples (exit 0 all pass, 1 failures, 2 rule errors)");
  add_rules_option(test, test_args->dir);
  test->add_option("--rule", test_args->rule, "Only this rule id");
  test->callback([test_args, &exit_code] { exit_code = run_test(test_args->dir, test_args->rule); });
}

}  // namespace annals::cli
