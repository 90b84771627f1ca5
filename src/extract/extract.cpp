#include "extract/extract.h"

#include <algorithm>

#include "core/text.h"
#include "rules/scan.h"
#include "rules/template.h"
#include "temporal/tagger.h"

namespace annals::extract {
namespace {

// The sentence holding byte `pos` (sentences are sorted and disjoint).
Span sentence_at(const std::vector<Span>& sentences, std::size_t pos, std::size_t text_size) {
  auto it = std::upper_bound(sentences.begin(), sentences.end(), pos, [](std::size_t p, const Span& s) { return p < s.begin; });
  if (it != sentences.begin() && pos < std::prev(it)->end) return *std::prev(it);
  return Span{0, text_size};
}

// The paragraph holding byte `pos`: bounded by blank lines (core/text.h;
// ingest writes paragraph breaks of HTML and Markdown that way).
Span paragraph_at(std::string_view text, std::size_t pos) {
  BlankLine before = pos == 0 ? BlankLine{} : rfind_blank_line(text, pos - 1);
  std::size_t begin = before.at == std::string_view::npos ? 0 : before.at + before.size;
  std::size_t end = find_blank_line(text, pos).at;
  return Span{begin, end == std::string_view::npos ? text.size() : end};
}

std::size_t gap(const Span& a, const Span& b) {
  if (a.overlaps(b)) return 0;
  return a.end <= b.begin ? b.begin - a.end : a.begin - b.end;
}

// A date that could place an event: DATE/TIME that either resolved to an
// interval or is an unresolved relative date (reported, never invented).
bool can_attach(const DateMention& d) {
  if (d.type != TimexType::Date && d.type != TimexType::Time) return false;
  return d.interval.has_value() || !d.resolved();
}

}  // namespace

Result extract(const rules::RuleSet& rules, const Document& doc) {
  Result r;
  const std::string& text = doc.text;
  auto tagged = temporal::tag_text(rules, text, doc.info.published, doc.info.doc_type);
  r.dates = std::move(tagged.dates);
  r.source = doc.info;
  if (r.source.doc_type.empty() || r.source.doc_type == "auto") {
    r.source.doc_type = tagged.doc_type.name;
    r.source.doc_type_from = tagged.doc_type.reason;
  }
  if (!rules.event_set) return r;
  auto hits = rules::matching_rules(*rules.event_set, text);
  if (hits.empty()) return r;
  r.sentences = split_sentences(text, rules.abbreviations);
  for (int h : hits) {
    const rules::EventRule& rule = rules.events[std::size_t(h)];
    rules::for_each_match(*rule.re, text, [&](Span match) {
      EventMention m;
      m.rule_id = rule.id;
      m.category = rule.category;
      m.recurring = rule.recurring;
      m.tags = rule.tags;
      m.source = r.source;
      m.match = match;
      m.sentence = sentence_at(r.sentences, match.begin, text.size());
      std::vector<std::size_t> map;
      m.evidence = collapse_whitespace(std::string_view(text).substr(m.sentence.begin, m.sentence.size()), map);
      auto relative = [&](Span s) {
        std::size_t b = std::clamp(s.begin, m.sentence.begin, m.sentence.end) - m.sentence.begin;
        std::size_t e = std::clamp(s.end, m.sentence.begin, m.sentence.end) - m.sentence.begin;
        return Span{map[b], map[e]};
      };
      m.evidence_event = relative(match);
      auto groups = rules::groups_at(*rule.re, text, match);
      auto lookup = [&](std::string_view name) -> std::optional<std::string_view> {
        return rules::group_text(rule, groups, name);
      };
      // The loader rejects malformed templates: a loaded rule's always fill.
      auto fill = [&](const std::string& tmpl) {
        auto filled = rules::fill_template(tmpl, lookup, rules.tables);
        return filled.ok() ? std::move(*filled) : tmpl;
      };
      m.title = collapse_whitespace(fill(rule.title));
      m.identity = rule.kind + "|" + rules::normalize_key(fill(rule.identity));
      for (auto& a : rule.actors) {
        std::string actor = collapse_whitespace(fill(a));
        if (!actor.empty()) m.actors.push_back(std::move(actor));
      }
      Span scope = rule.date_scope == "paragraph" ? paragraph_at(text, match.begin) : m.sentence;
      // Nearest attachable date in scope; ties: before the event, then earlier.
      const DateMention* best = nullptr;
      std::size_t best_gap = 0;
      for (auto& d : r.dates) {
        if (d.span.begin < scope.begin || d.span.end > scope.end || !can_attach(d)) continue;
        std::size_t g = gap(d.span, match);
        bool before = d.span.begin < match.begin;
        if (!best || g < best_gap || (g == best_gap && before && best->span.begin >= match.begin)) {
          best = &d;
          best_gap = g;
        }
      }
      if (best) {
        m.date = *best;
        // A date outside the sentence (paragraph scope) is not highlighted in it.
        if (best->span.begin >= m.sentence.begin && best->span.end <= m.sentence.end) m.evidence_date = relative(best->span);
      }
      r.events.push_back(std::move(m));
    });
  }
  std::sort(r.events.begin(), r.events.end(), [](const EventMention& a, const EventMention& b) {
    if (a.match.begin != b.match.begin) return a.match.begin < b.match.begin;
    return a.rule_id < b.rule_id;
  });
  return r;
}

}  // namespace annals::extract
