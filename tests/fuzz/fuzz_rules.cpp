// Fuzz target: the rule loader. Any bytes as one rule file (TOML text ->
// RuleSet, with fragment expansion, templates and value expressions checked
// the way `annals rules check` does), then each loaded rule's examples
// through the tagger and the extractor. The same bytes also go straight to
// the template parser and the value-expression evaluator.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/types.h"
#include "extract/extract.h"
#include "rules/rules.h"
#include "rules/template.h"
#include "temporal/normalize.h"
#include "temporal/tagger.h"

using namespace annals;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const date::sys_days reference = date::year{2025} / date::March / 7;

  // The value language and the placeholder language on their own.
  (void)temporal::evaluate_value(text, reference);
  (void)temporal::evaluate_value(text, std::nullopt);
  (void)temporal::check_value_expression(text);
  (void)rules::placeholders(text);
  (void)rules::fill_template(text, [](std::string_view name) -> std::optional<std::string_view> { return name; }, {});

  rules::LoadOptions options;
  options.require_examples = true;
  options.check_value = temporal::check_value_expression;
  auto loaded = rules::load_rules_from({{"fuzz.toml", text}}, "fuzz", options);
  if (!loaded.ok()) return 0;
  const rules::RuleSet& rs = *loaded.rules;
  auto run_examples = [&](const auto& rules) {
    for (auto& r : rules)
      for (auto& ex : r.examples) {
        Document doc;
        doc.info.file = "example";
        doc.info.published = reference;
        doc.text = ex.text;
        (void)extract::extract(rs, doc);
        (void)temporal::find_dateline(rs, ex.text);
      }
  };
  run_examples(rs.dates);
  run_examples(rs.events);
  return 0;
}
