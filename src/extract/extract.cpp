#include "extract/extract.h"

#include <algorithm>

#include "core/text.h"
#include "rules/scan.h"
#include "rules/template.h"
#include "temporal/calendar.h"
#include "temporal/tagger.h"

namespace annals::extract {
namespace {

// How far from its triggers a rule searches in a sentence longer than
// twice this (a page with no punctuation is one long "sentence").
constexpr std::size_t kWindow = 600;
// How far a paragraph reaches from the byte it is looked up for, at most.
constexpr std::size_t kParagraphReach = 4096;
// How many sentences with terminal punctuation make a source's lead.
constexpr std::size_t kLeadSentences = 3;

// The index of the sentence holding byte `pos`, or npos.
std::size_t sentence_index(const std::vector<Span>& sentences, std::size_t pos) {
  auto it = std::upper_bound(sentences.begin(), sentences.end(), pos, [](std::size_t p, const Span& s) { return p < s.begin; });
  if (it != sentences.begin() && pos < std::prev(it)->end) return std::size_t(std::prev(it) - sentences.begin());
  return std::string::npos;
}

// The paragraph holding byte `pos`: bounded by blank lines (core/text.h;
// ingest writes paragraph breaks of HTML and Markdown that way), and by
// kParagraphReach bytes either side of `pos`, so that a text without blank
// lines (one 50 MB line) costs each look-up a bounded scan, not the text.
Span paragraph_at(std::string_view text, std::size_t pos) {
  std::size_t lo = pos > kParagraphReach ? pos - kParagraphReach : 0;
  std::size_t hi = std::min(text.size(), pos + kParagraphReach);
  std::string_view near = text.substr(lo, hi - lo);
  std::size_t p = pos - lo;
  BlankLine before = p == 0 ? BlankLine{} : rfind_blank_line(near, p - 1);
  std::size_t begin = before.at == std::string_view::npos ? lo : lo + before.at + before.size;
  std::size_t end = find_blank_line(near, p).at;
  return Span{begin, end == std::string_view::npos ? hi : lo + end};
}

std::size_t gap(const Span& a, const Span& b) {
  if (a.overlaps(b)) return 0;
  return a.end <= b.begin ? b.begin - a.end : a.begin - b.end;
}

// A date that could place an event: DATE/TIME that either resolved to an
// interval or is an unresolved relative date or one a rule leaves off the
// calendar (a fiscal quarter; reported, never invented).
bool can_attach(const DateMention& d) {
  if (d.type != TimexType::Date && d.type != TimexType::Time) return false;
  return d.interval.has_value() || !d.resolved() || !d.unresolved_reason.empty();
}

// Dates that head what follows them: a line that holds only a date ("March
// 2024", "22 Nov 2023:") dates the text below it, up to the next such line;
// a line that starts with a date and a colon or dash ("Jan. 5 — ...",
// "Aug. 5, 2024: ...") dates the rest of its paragraph. The first lines of a
// source are its dateline, not a heading: they stay out.
struct Heading {
  Span covers;
  const DateMention* date;
};
std::vector<Heading> find_headings(std::string_view text, const std::vector<DateMention>& dates, std::size_t dateline_window) {
  std::vector<Heading> out;
  auto is_alnum = [&](std::size_t i) { return std::isalnum(static_cast<unsigned char>(text[i])) != 0; };
  for (auto& d : dates) {
    if (!d.interval || d.span.begin < dateline_window) continue;
    if (text.substr(d.span.begin, d.span.size()).find('\n') != std::string_view::npos) continue;
    // Only punctuation between the line's start and the date: scanned
    // backwards, stopping at the first letter or digit, so a date inside a
    // long line costs a few bytes, not the line.
    std::size_t b = d.span.begin;
    while (b > 0 && text[b - 1] != '\n' && !is_alnum(b - 1)) --b;
    if (b > 0 && text[b - 1] != '\n') continue;
    std::size_t e = d.span.end;
    while (e < text.size() && text[e] != '\n' && !is_alnum(e)) ++e;
    if (e == text.size() || text[e] == '\n') {  // a line that holds only the date
      if (!out.empty() && out.back().covers.end == text.size()) out.back().covers.end = b;
      out.push_back({Span{e, text.size()}, &d});
      continue;
    }
    std::size_t k = d.span.end;
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
    std::string_view rest = text.substr(k, 3);
    if (rest.starts_with(":") || rest.starts_with("-") || rest.starts_with("\xE2\x80\x94") || rest.starts_with("\xE2\x80\x93"))
      out.push_back({Span{d.span.end, paragraph_at(text, d.span.begin).end}, &d});
  }
  return out;
}

// The lead: the first sentences that end in terminal punctuation (a headline,
// a byline or a dateline has none), up to kLeadSentences of them.
Span find_lead(std::string_view text, const std::vector<Span>& sentences) {
  std::size_t n = 0;
  Span lead{0, 0};
  for (auto& s : sentences) {
    char last = text[s.end - 1];
    std::size_t k = s.end;
    while (k > s.begin && (text[k - 1] == '"' || text[k - 1] == ')' || static_cast<unsigned char>(text[k - 1]) >= 0x80)) --k;
    if (k > s.begin) last = text[k - 1];
    if (last != '.' && last != '!' && last != '?') continue;
    if (n == 0) lead.begin = s.begin;
    lead.end = s.end;
    if (++n == kLeadSentences) break;
  }
  return lead;
}

// True when the normalized text equals a key of `table` or begins with one
// followed by a space ("on friday apple" begins with "on friday").
bool begins_with_key(const rules::Table& table, const std::string& text) {
  if (table.entries.count(text)) return true;
  for (std::size_t sp = text.find(' '); sp != std::string::npos; sp = text.find(' ', sp + 1))
    if (table.entries.count(text.substr(0, sp))) return true;
  return false;
}

// A headline starts with a capital: "the bridge collapses" -> "The bridge collapses".
std::string headline(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
  return s;
}

class Extractor {
 public:
  Extractor(const rules::RuleSet& rules, const Document& doc, Result& r)
      : rules_(rules), doc_(doc), text_(doc.text), r_(r), source_(r.source) {}

  void run() {
    struct Candidate {
      std::size_t sentence, rule, lo, hi;  // lo, hi: the first and last trigger in the sentence
    };
    std::vector<Candidate> candidates;
    auto wanted = [&](std::size_t rule) { return !rules_.events[rule].fallback || rules_.fallback; };
    if (rules_.event_triggers) {
      re2::StringPiece m;
      rules::for_each_match(*rules_.event_triggers, text_, Span{0, text_.size()}, &m, 1, [&](Span hit) {
        hits_.push_back(hit);
        auto found = rules_.trigger_rules.find(rules::normalize_key(text_.substr(hit.begin, hit.size())));
        if (found == rules_.trigger_rules.end()) return;
        if (r_.sentences.empty()) split();
        std::size_t s = sentence_index(r_.sentences, hit.begin);
        if (s == std::string::npos) return;
        for (std::size_t rule : found->second)
          if (wanted(rule)) candidates.push_back({s, rule, hit.begin, hit.end});
      });
    }
    if (!rules_.untriggered_events.empty()) {
      if (r_.sentences.empty()) split();
      for (std::size_t s = 0; s < r_.sentences.size(); ++s)
        for (std::size_t rule : rules_.untriggered_events)
          if (wanted(rule)) candidates.push_back({s, rule, r_.sentences[s].begin, r_.sentences[s].end});
    }
    if (candidates.empty()) return;
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return a.sentence != b.sentence ? a.sentence < b.sentence : a.rule != b.rule ? a.rule < b.rule : a.lo < b.lo;
    });
    headings_ = find_headings(text_, r_.dates, rules_.dateline_window);
    lead_ = find_lead(text_, r_.sentences);
    for (std::size_t i = 0; i < candidates.size();) {
      std::size_t j = i;
      Candidate c = candidates[i];
      while (j < candidates.size() && candidates[j].sentence == c.sentence && candidates[j].rule == c.rule) c.hi = candidates[j++].hi;
      const Span& sentence = r_.sentences[c.sentence];
      // A fallback rule yields only dated mentions: a sentence where nothing
      // could date one is not searched.
      if (rules_.events[c.rule].fallback && !could_be_dated(rules_.events[c.rule], sentence)) {
        i = j;
        continue;
      }
      Span window = sentence;
      if (sentence.size() > 2 * kWindow)
        window = {std::max(sentence.begin, c.lo > kWindow ? c.lo - kWindow : 0), std::min(sentence.end, c.hi + kWindow)};
      match_rule(rules_.events[c.rule], c.sentence, window, last_start(rules_.events[c.rule], sentence));
      i = j;
    }
    apply_event_vetoes();
    give_way_fallbacks();
    for (auto& f : found_) r_.events.push_back(std::move(f.mention));
    std::sort(r_.events.begin(), r_.events.end(), [](const EventMention& a, const EventMention& b) {
      if (a.match.begin != b.match.begin) return a.match.begin < b.match.begin;
      return a.rule_id < b.rule_id;
    });
  }

 private:
  void split() { r_.sentences = split_sentences(text_, rules_.abbreviations); }

  // The last byte where a match of `rule` in `sentence` can begin: for a
  // rule whose every match holds one of its triggers as a whole word
  // (EventRule::trigger_in_match), the last byte of the last trigger hit in
  // the sentence. Each whole-word occurrence of a trigger begins a hit of
  // the one pass or lies inside one (its leftmost-first scan skips only what
  // a hit covers), so a match beginning past that byte holds none.
  std::size_t last_start(const rules::EventRule& rule, const Span& sentence) const {
    if (!rule.trigger_in_match) return std::string::npos;
    auto it = std::lower_bound(hits_.begin(), hits_.end(), sentence.end, [](const Span& h, std::size_t p) { return h.begin < p; });
    if (it == hits_.begin() || std::prev(it)->end <= sentence.begin) return std::string::npos;
    return std::prev(it)->end - 1;
  }

  // Every match of `rule` in `window` (inside sentence `s`) that begins at
  // or before `last_start`; a match an `exclude` rejects is skipped and the
  // search goes on one byte later.
  void match_rule(const rules::EventRule& rule, std::size_t s, Span window, std::size_t last_start) {
    int n = rule.re->NumberOfCapturingGroups() + 1;
    groups_.resize(std::size_t(n));
    // The sentence is the text RE2 sees, so that ^ and $ are its ends (RE2
    // matches ^ only at the start of the text it is given, not at startpos).
    const Span& sentence = r_.sentences[s];
    re2::StringPiece whole(text_.data() + sentence.begin, sentence.size());
    // The next match at or after `from`: anchored at each place the rule's
    // matches can begin (rules::MatchStart), else one unanchored search.
    auto next = [&](std::size_t from) {
      if (rule.start == rules::MatchStart::Anywhere)
        return rule.re->Match(whole, from - sentence.begin, window.end - sentence.begin, RE2::UNANCHORED, groups_.data(), n);
      // RE2 is not asked where no match can begin by its first two bytes
      // (rules/start_bytes.h). Where one can, it is asked first whether
      // any match begins there, without groups: RE2 then runs its
      // earliest-match DFA (with groups and a small pattern it would run
      // its bit-state engine over the rest of the sentence, 0.6 G
      // instructions on te3-silver in two rules alone); the groups only
      // for a match.
      for (std::size_t p = from; p <= std::min(window.end, last_start); ++p) {
        if (!can_start(rule.start, sentence, p)) continue;
        if (rule.start_bytes && !rule.start_bytes->may_start(text_, p, window.end)) continue;
        if (!rule.re->Match(whole, p - sentence.begin, window.end - sentence.begin, RE2::ANCHOR_START, nullptr, 0)) continue;
        return rule.re->Match(whole, p - sentence.begin, window.end - sentence.begin, RE2::ANCHOR_START, groups_.data(), n);
      }
      return false;
    };
    std::size_t pos = window.begin;
    while (pos <= window.end && next(pos)) {
      Span match{std::size_t(groups_[0].data() - text_.data()), 0};
      match.end = match.begin + groups_[0].size();
      if (match.end == match.begin) {
        pos = match.begin + 1;
        continue;
      }
      if (excluded(rule)) {
        pos = match.begin + 1;
        continue;
      }
      add_mention(rule, s, match);
      pos = match.end;
    }
  }

  // Whether a match of a rule that starts as `start` says can begin at byte
  // `p` of `sentence` (the text RE2 sees, so its start has nothing before it).
  bool can_start(rules::MatchStart start, const Span& sentence, std::size_t p) const {
    auto word = [&](std::size_t i) {
      char c = text_[i];  // RE2's \w: ASCII only, whatever the locale
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    };
    switch (start) {
      case rules::MatchStart::SentenceStart: return p == sentence.begin;
      case rules::MatchStart::SpaceOrStart: {
        if (p == sentence.begin) return true;
        if (p >= sentence.end) return false;
        char c = text_[p];
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';  // RE2's \s
      }
      case rules::MatchStart::WordBoundary: {
        bool before = p > sentence.begin && word(p - 1), after = p < sentence.end && word(p);
        return before != after;
      }
      case rules::MatchStart::Anywhere: return true;
    }
    return true;
  }

  std::optional<std::string_view> group(const rules::RuleBase& rule, std::string_view name) const {
    auto g = rule.groups.find(name);
    if (g == rule.groups.end()) return std::nullopt;
    const auto& sp = groups_[std::size_t(g->second)];
    if (sp.data() == nullptr) return std::nullopt;
    return std::string_view(sp.data(), sp.size());
  }

  // An anaphor ("the company") is resolved, never excluded, though it may
  // begin with a word that opens no name ("the").
  bool excluded(const rules::EventRule& rule) const {
    for (auto& [name, table] : rule.exclude) {
      auto t = group(rule, name);
      auto tab = rules_.tables.find(table);
      if (!t || tab == rules_.tables.end()) continue;
      std::string key = rules::normalize_key(*t);
      if (is_anaphor(name, key)) continue;
      if (begins_with_key(tab->second, key)) return true;
    }
    return false;
  }

  bool is_anaphor(std::string_view group, const std::string& key) const {
    const auto& a = rules_.anaphora;
    if (a.phrases.empty() || std::find(a.groups.begin(), a.groups.end(), group) == a.groups.end()) return false;
    auto phrases = rules_.tables.find(a.phrases);
    if (phrases == rules_.tables.end()) return false;
    if (phrases->second.entries.count(key)) return true;
    // "the consumer genetics firm" stands for a name as "the firm" does.
    if (!key.starts_with("the ")) return false;
    auto last = key.find_last_of(' ');
    return last > 3 && phrases->second.entries.count("the " + key.substr(last + 1));
  }

  // A group's text as a title uses it: cut before a date expression that
  // starts inside it ("disruptions around the world Friday"), or after one
  // that opens it.
  std::string_view trimmed(std::string_view g) const {
    std::size_t b = std::size_t(g.data() - text_.data()), e = b + g.size();
    auto it = std::lower_bound(r_.dates.begin(), r_.dates.end(), b, [](const DateMention& d, std::size_t p) { return d.span.end <= p; });
    for (; it != r_.dates.end() && it->span.begin < e; ++it) {
      if (it->type != TimexType::Date && it->type != TimexType::Time) continue;
      if (it->span.begin <= b) {
        b = std::min(e, it->span.end);
      } else {
        e = it->span.begin;
        break;
      }
    }
    std::string_view out = text_.substr(b, e - b);
    auto junk = [](char c) { return c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r'; };
    auto strip = [&] {
      while (!out.empty() && junk(out.front())) out.remove_prefix(1);
      while (!out.empty() && junk(out.back())) out.remove_suffix(1);
    };
    strip();
    // "acquired in [2021]", "halted on": a word the pack says never ends a
    // group goes (with the date cut after it, or alone).
    auto dangling = !rules_.dangling.empty() ? rules_.tables.find(rules_.dangling) : rules_.tables.end();
    // A verb of a lexicon keeps its particle: "kick in", "step in".
    auto lemma = rules_.tables.find("lemma");
    if (lemma != rules_.tables.end() && lemma->second.entries.count(rules::normalize_key(out))) return out;
    while (dangling != rules_.tables.end() && !out.empty()) {
      auto sp = out.find_last_of(" \t\n");
      std::string_view last = sp == std::string_view::npos ? out : out.substr(sp + 1);
      if (!dangling->second.entries.count(rules::normalize_key(last))) break;
      out.remove_suffix(last.size());
      strip();
    }
    return out;
  }

  bool inside_date(Span s) const {
    auto it = std::lower_bound(r_.dates.begin(), r_.dates.end(), s.begin, [](const DateMention& d, std::size_t p) { return d.span.end <= p; });
    return it != r_.dates.end() && it->span.overlaps(s);
  }

  // [anaphora]: the text of the last named actor before `pos` in its
  // paragraph, for a group whose text is an anaphor ("the company").
  std::optional<std::string_view> antecedent(std::size_t pos) {
    const auto& a = rules_.anaphora;
    Span para = paragraph_at(text_, pos);
    std::optional<std::string_view> last;
    auto exclude = a.exclude.empty() ? rules_.tables.end() : rules_.tables.find(a.exclude);
    auto phrases = rules_.tables.find(a.phrases);
    rules::for_each_match(*a.antecedent, text_, Span{para.begin, pos}, [&](Span s) {
      if (inside_date(s)) return;  // "May" of "2 May 2024" names no one
      std::string key = rules::normalize_key(text_.substr(s.begin, s.size()));
      if (exclude != rules_.tables.end() && begins_with_key(exclude->second, key)) return;
      if (phrases != rules_.tables.end() && phrases->second.entries.count(key)) return;
      last = text_.substr(s.begin, s.size());
    });
    return last;
  }

  void add_mention(const rules::EventRule& rule, std::size_t s, Span match) {
    const Span& sentence = r_.sentences[s];
    EventMention m;
    m.rule_id = rule.id;
    m.recurring = rule.recurring;
    m.tags = rule.tags;
    m.match = match;
    m.sentence = sentence;
    if (!attach_date(rule, m)) return;
    // Group texts as the templates see them: trimmed, anaphors resolved.
    std::map<std::string, std::string_view, std::less<>> resolved;
    const auto& a = rules_.anaphora;
    for (auto& [name, index] : rule.groups) {
      auto g = group(rule, name);
      if (!g) continue;
      std::string_view t = trimmed(*g);
      if (a.antecedent && is_anaphor(name, rules::normalize_key(t))) {
        auto ante = antecedent(match.begin);
        if (!ante) return;  // "it" with nothing to stand for: no event
        t = *ante;
      }
      resolved.emplace(name, t);
    }
    auto lookup = [&](std::string_view name) -> std::optional<std::string_view> {
      auto it = resolved.find(name);
      if (it == resolved.end()) return std::nullopt;
      return it->second;
    };
    // The loader rejects malformed templates: a loaded rule's always fill.
    auto fill = [&](const std::string& tmpl) {
      auto filled = rules::fill_template(tmpl, lookup, rules_.tables);
      return collapse_whitespace(filled.ok() ? *filled : tmpl);
    };
    m.title = headline(fill(rule.title));
    std::string identity = fill(rule.identity);
    m.identity = rule.kind + "|" + rules::normalize_key(identity);
    m.terms = content_terms(identity, rules_.stopwords);
    m.category = rule.category.find('{') == std::string::npos ? rule.category : fill(rule.category);
    for (auto& t : rule.actors) {
      std::string actor = fill(t);
      if (!actor.empty()) m.actors.push_back(std::move(actor));
    }
    m.source = source_;  // with the document type its dates were read as
    std::vector<std::size_t> map;
    m.evidence = collapse_whitespace(text_.substr(sentence.begin, sentence.size()), map);
    auto relative = [&](Span sp) {
      std::size_t b = std::clamp(sp.begin, sentence.begin, sentence.end) - sentence.begin;
      std::size_t e = std::clamp(sp.end, sentence.begin, sentence.end) - sentence.begin;
      return Span{map[b], map[e]};
    };
    m.evidence_event = relative(match);
    // A date outside the sentence (paragraph scope, a heading) is not highlighted in it.
    if (m.date && m.date_basis.empty()) m.evidence_date = relative(m.date->span);
    found_.push_back({std::move(m), &rule});
  }

  // The date of a mention: the nearest attachable date in scope (ties: the
  // one before the event, then the earlier); else the heading above it; else,
  // for rules that allow it, the publication day when the mention is in the
  // lead. False when a fallback rule's mention has no calendar date.
  bool attach_date(const rules::EventRule& rule, EventMention& m) {
    Span scope = rule.date_scope == "paragraph" ? paragraph_at(text_, m.match.begin) : m.sentence;
    const DateMention* best = nullptr;
    std::size_t best_gap = 0;
    auto it = std::lower_bound(r_.dates.begin(), r_.dates.end(), scope.begin,
                               [](const DateMention& d, std::size_t p) { return d.span.begin < p; });
    for (; it != r_.dates.end() && it->span.begin < scope.end; ++it) {
      const DateMention& d = *it;
      if (d.span.end > scope.end || !can_attach(d)) continue;
      std::size_t g = gap(d.span, m.match);
      bool before = d.span.begin < m.match.begin;
      if (!best || g < best_gap || (g == best_gap && before && best->span.begin >= m.match.begin)) {
        best = &d;
        best_gap = g;
      }
    }
    if (best) {
      m.date = *best;
      if (!(best->span.begin >= m.sentence.begin && best->span.end <= m.sentence.end)) m.date_basis = "paragraph";
    } else if (auto h = heading_of(m.match.begin)) {
      m.date = *h;
      m.date_basis = "heading";
    } else if (rule.lead_publication_date && doc_.info.published && m.sentence.begin >= lead_.begin && m.sentence.end <= lead_.end) {
      DateMention d;
      d.value = temporal::format_iso_day(*doc_.info.published);
      d.interval = temporal::interval_of(d.value);
      m.date = std::move(d);
      m.date_basis = "publication";
    }
    return !rule.fallback || (m.date && m.date->interval);
  }

  // Whether a mention of `rule` in `sentence` could get a calendar date:
  // one in its scope, a heading above it, or the publication day in the lead.
  bool could_be_dated(const rules::EventRule& rule, const Span& sentence) const {
    Span scope = rule.date_scope == "paragraph" ? paragraph_at(text_, sentence.begin) : sentence;
    auto it = std::lower_bound(r_.dates.begin(), r_.dates.end(), scope.begin,
                               [](const DateMention& d, std::size_t p) { return d.span.begin < p; });
    for (; it != r_.dates.end() && it->span.begin < scope.end; ++it)
      if (it->interval && (it->type == TimexType::Date || it->type == TimexType::Time)) return true;
    if (heading_of(sentence.begin)) return true;
    return rule.lead_publication_date && doc_.info.published && sentence.begin >= lead_.begin && sentence.end <= lead_.end;
  }

  const DateMention* heading_of(std::size_t pos) const {
    const DateMention* best = nullptr;
    std::size_t best_size = std::string::npos;
    for (auto& h : headings_)
      if (h.covers.begin <= pos && pos < h.covers.end && h.covers.size() < best_size) best = h.date, best_size = h.covers.size();
    return best;
  }

  // Event vetoes: applies_to = "events" drops the mentions a match overlaps;
  // applies_to = "sentences" is matched against each sentence on its own (^
  // and $ are its ends) and drops every mention in a sentence it matches;
  // applies_to = "lines" likewise with the line that holds the mention.
  void apply_event_vetoes() {
    if (rules_.event_vetoes.empty() || found_.empty()) return;
    std::map<std::size_t, bool> vetoed_sentence, vetoed_line;  // its begin -> vetoed
    auto vetoed = [&](std::map<std::size_t, bool>& seen, Span span, rules::VetoTarget target) {
      auto [it, fresh] = seen.emplace(span.begin, false);
      if (fresh) {
        re2::StringPiece piece(text_.data() + span.begin, span.size());
        for (auto& v : rules_.event_vetoes)
          if (v.target == target && RE2::PartialMatch(piece, *v.re)) it->second = true;
      }
      return it->second;
    };
    auto line_of = [&](std::size_t pos) {
      std::size_t b = text_.rfind('\n', pos == 0 ? 0 : pos - 1);
      b = (b == std::string_view::npos || pos == 0) ? 0 : b + 1;
      std::size_t e = text_.find('\n', pos);
      return Span{b, e == std::string_view::npos ? text_.size() : e};
    };
    auto drop = [&](const Found& f) {
      const EventMention& m = f.mention;
      if (vetoed(vetoed_sentence, m.sentence, rules::VetoTarget::Sentences)) return true;
      if (vetoed(vetoed_line, line_of(m.match.begin), rules::VetoTarget::Lines)) return true;
      for (auto& v : rules_.event_vetoes) {
        if (v.target != rules::VetoTarget::Events) continue;
        bool hit = false;
        rules::for_each_match(*v.re, text_, m.sentence, [&](Span s) { hit = hit || s.overlaps(m.match); });
        if (hit) return true;
      }
      return false;
    };
    std::erase_if(found_, drop);
  }

  // A fallback mention gives way to any other rule's mention it overlaps, and
  // of overlapping fallback mentions the one that starts first (then the one
  // of the rule defined first, then the longest) stays.
  void give_way_fallbacks() {
    std::vector<Span> specific;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < found_.size(); ++i) {
      if (found_[i].rule->fallback) order.push_back(i);
      else specific.push_back(found_[i].mention.match);
    }
    if (order.empty()) return;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const Span &x = found_[a].mention.match, &y = found_[b].mention.match;
      if (x.begin != y.begin) return x.begin < y.begin;
      if (found_[a].rule != found_[b].rule) return found_[a].rule < found_[b].rule;  // rules_.events order
      return x.end != y.end ? x.end > y.end : a < b;
    });
    std::vector<bool> gone(found_.size(), false);
    std::vector<Span> kept;
    for (std::size_t i : order) {
      const Span& s = found_[i].mention.match;
      auto over = [&](const Span& o) { return o.overlaps(s); };
      if (std::any_of(specific.begin(), specific.end(), over) || std::any_of(kept.begin(), kept.end(), over)) gone[i] = true;
      else kept.push_back(s);
    }
    std::size_t i = 0;
    std::erase_if(found_, [&](const Found&) { return gone[i++]; });
  }

  const rules::RuleSet& rules_;
  const Document& doc_;
  std::string_view text_;
  Result& r_;
  const SharedSource source_;  // one copy of r_.source for all the mentions
  std::vector<re2::StringPiece> groups_;
  std::vector<Heading> headings_;
  std::vector<Span> hits_;  // every hit of the trigger pass, in text order
  Span lead_{0, 0};
  // The mentions found so far, with their rules (vetoes and fallbacks need them).
  struct Found {
    EventMention mention;
    const rules::EventRule* rule;
  };
  std::vector<Found> found_;
};

}  // namespace

Result extract(const rules::RuleSet& rules, const Document& doc) {
  Result r;
  auto tagged = temporal::tag_text(rules, doc.text, doc.info.published, doc.info.doc_type);
  r.dates = std::move(tagged.dates);
  r.source = doc.info;
  if (r.source.doc_type.empty() || r.source.doc_type == "auto") {
    r.source.doc_type = tagged.doc_type.name;
    r.source.doc_type_from = tagged.doc_type.reason;
  }
  if (rules.events.empty()) return r;
  Extractor(rules, doc, r).run();
  return r;
}

}  // namespace annals::extract
