// [lexicons.NAME] (verb classes), event triggers, [anaphora] and [events].
//
//   [lexicons.acquire]
//   category = "acquisition"
//   verbs = [["acquire", "acquires", "acquired", "acquired", "acquiring"], ...]
//   nouns = { acquisition = "acquire", takeover = "take over" }
//
// A lexicon expands in patterns (%{lex:acquire}, %{lex:acquire.past},
// %{lex:*.participle}) and fills the tables `lemma`, `present` and
// `category` that templates use ({verb|present} -> "acquires").
#include "rules/loader.h"

#include <algorithm>

#include <fmt/format.h>

namespace annals::rules::detail {
namespace {

// The forms a %{lex:NAME.FORM} can select, in the order of a verb's entry.
struct FormName {
  std::string_view name;
  int slot;  // index into a verb's forms; -1 noun, -2 finite (present + past)
};
constexpr FormName kForms[] = {{"base", 0},       {"present", 1}, {"past", 2}, {"participle", 3},
                               {"gerund", 4},     {"noun", -1},   {"finite", -2}};

// A word or phrase of a lexicon or trigger: letters, digits and the
// characters that join words (space, hyphen, apostrophes, period, &).
bool is_literal_phrase(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || c == ' ' || c == '-' || c == '\'' || c == '.' || c == '&' || c >= 0x80)) return false;
  return true;
}

}  // namespace

const std::vector<std::string_view> kLexiconTables{"lemma", "present", "category"};

void Loader::collect_lexicons(const toml::table& doc, const std::string& file) {
  auto lexicons = doc["lexicons"].as_table();
  if (!lexicons) {
    if (auto node = doc.get("lexicons")) error(file, node->source(), "", "\"lexicons\" must be a table: write [lexicons.NAME]");
    return;
  }
  static const std::vector<std::string_view> keys{"category", "verbs", "nouns", "comment"};
  for (auto& [k, v] : *lexicons) {
    std::string name(k.str());
    std::string where = "lexicon \"" + name + "\"";
    auto t = v.as_table();
    if (!t) {
      error(file, v.source(), "", where + " must be a table with category, verbs and nouns");
      continue;
    }
    if (std::any_of(rs->lexicons.begin(), rs->lexicons.end(), [&](const Lexicon& l) { return l.name == name; })) {
      error(file, k.source(), "", where + " is defined twice");
      continue;
    }
    Lexicon lex;
    lex.name = name;
    lex.file = file;
    lex.line = int(k.source().begin.line);
    for (auto& [key, val] : *t)
      if (std::find(keys.begin(), keys.end(), key.str()) == keys.end())
        error(file, key.source(), "", fmt::format("unknown key \"{}\" in {}{}", key.str(), where, did_you_mean(key.str(), keys)));
    if (auto c = t->get("category"); c && c->is_string()) lex.category = *c->value<std::string>();
    else error(file, c ? c->source() : v.source(), "", where + " needs a category (a string)");
    auto verbs = (*t)["verbs"].as_array();
    if (!verbs && t->get("verbs")) error(file, t->get("verbs")->source(), "", where + ": verbs must be an array of arrays");
    if (verbs) {
      for (auto& entry : *verbs) {
        auto forms = entry.as_array();
        std::array<std::string, 5> verb;
        bool ok = forms && forms->size() == 5;
        for (std::size_t i = 0; ok && i < 5; ++i) {
          auto s = (*forms)[i].value<std::string>();
          ok = s && is_literal_phrase(*s);
          if (ok) verb[i] = normalize_key(*s);
        }
        if (!ok) {
          error(file, entry.source(), "",
                where + ": each verb is [base, 3rd person present, past, past participle, -ing form], five words or "
                        "phrases such as [\"buy\", \"buys\", \"bought\", \"bought\", \"buying\"]");
          continue;
        }
        lex.verbs.push_back(verb);
      }
    }
    if (auto nouns = t->get("nouns")) {
      auto table = nouns->as_table();
      if (!table) error(file, nouns->source(), "", where + ": nouns must be a table noun = \"base form of its verb\"");
      for (auto& [noun, verb] : table ? *table : toml::table{}) {
        auto base = verb.value<std::string>();
        bool known = base && std::any_of(lex.verbs.begin(), lex.verbs.end(), [&](auto& f) { return f[0] == normalize_key(*base); });
        if (!known || !is_literal_phrase(noun.str()))
          error(file, noun.source(), "",
                fmt::format("{}: noun \"{}\" must name the base form of one of the lexicon's verbs", where, noun.str()));
        else lex.nouns[normalize_key(noun.str())] = normalize_key(*base);
      }
    }
    if (lex.verbs.empty() && lex.nouns.empty()) error(file, v.source(), "", where + " has no verbs and no nouns");
    rs->lexicons.push_back(std::move(lex));
  }
}

void Loader::build_lexicon_tables() {
  if (rs->lexicons.empty()) return;
  for (auto name : kLexiconTables)
    if (rs->tables.count(std::string(name))) {
      report(Severity::Error, rs->lexicons.front().file, {rs->lexicons.front().line, 1}, "",
             fmt::format("table \"{}\" is filled by the lexicons; a [tables.{}] of the pack cannot have that name", name, name));
      return;
    }
  Table &lemma = rs->tables["lemma"], &present = rs->tables["present"], &category = rs->tables["category"];
  std::map<std::string, const Lexicon*> owner;  // form -> the lexicon that has it
  auto add = [&](const Lexicon& lex, const std::string& form, const std::string& base, const std::string& third) {
    auto [it, fresh] = owner.emplace(form, &lex);
    if (!fresh && it->second != &lex) {
      report(Severity::Error, lex.file, {lex.line, 1}, "",
             fmt::format("\"{}\" is in lexicons \"{}\" ({}:{}) and \"{}\": a word belongs to one verb class", form,
                         it->second->name, it->second->file, it->second->line, lex.name));
      return;
    }
    lemma.entries[form] = base;
    present.entries[form] = third;
    category.entries[form] = lex.category;
  };
  for (auto& lex : rs->lexicons) {
    for (auto& v : lex.verbs)
      for (auto& form : v) add(lex, form, v[0], v[1]);
    for (auto& [noun, base] : lex.nouns) {
      const auto& verb_base = base;  // not the binding itself: clang 14 cannot capture one in a lambda
      auto verb = std::find_if(lex.verbs.begin(), lex.verbs.end(), [&](auto& f) { return f[0] == verb_base; });
      add(lex, noun, base, (*verb)[1]);
    }
  }
}

bool Loader::lexicon_words(std::string_view spec, std::vector<std::string>& words, std::string* message) {
  std::string_view name = spec, form;
  if (auto dot = spec.find('.'); dot != std::string_view::npos) name = spec.substr(0, dot), form = spec.substr(dot + 1);
  int slot = -3;  // every verb form
  if (!form.empty()) {
    auto f = std::find_if(std::begin(kForms), std::end(kForms), [&](auto& k) { return k.name == form; });
    if (f == std::end(kForms)) {
      std::vector<std::string_view> known;
      for (auto& k : kForms) known.push_back(k.name);
      *message = fmt::format("%{{lex:{}}}: \"{}\" is no form (base, present, past, participle, gerund, noun, finite){}", spec,
                             form, did_you_mean(form, known));
      return false;
    }
    slot = f->slot;
  }
  bool any = false;
  for (auto& lex : rs->lexicons) {
    if (name != "*" && lex.name != name) continue;
    any = true;
    for (auto& v : lex.verbs) {
      if (slot == -3) words.insert(words.end(), v.begin(), v.end());
      else if (slot == -2) words.insert(words.end(), {v[1], v[2]});
      else if (slot >= 0) words.push_back(v[std::size_t(slot)]);
    }
    if (slot == -1)
      for (auto& [noun, base] : lex.nouns) words.push_back(noun);
  }
  if (!any) {
    std::vector<std::string_view> known;
    for (auto& l : rs->lexicons) known.push_back(l.name);
    *message = fmt::format("%{{lex:{}}} names no lexicon: no [lexicons.{}] is defined{}{}", spec, name, did_you_mean(name, known),
                           unparsed_note());
    return false;
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return true;
}

std::string Loader::literal_alternation(std::vector<std::string> words) {
  std::sort(words.begin(), words.end(), [](auto& a, auto& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
  std::string out = "(?:";
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (k) out += '|';
    std::string quoted = RE2::QuoteMeta(words[k]);
    for (std::size_t c = 0; c < quoted.size(); ++c) {
      if (quoted[c] == '\\' && c + 1 < quoted.size() && quoted[c + 1] == ' ') {
        out += "\\s+";
        ++c;
      } else {
        out += quoted[c];
      }
    }
  }
  return out + ')';
}

void Loader::read_triggers(const toml::table& rule, EventRule& r, const std::string& file, std::vector<std::string>* expansions) {
  auto node = rule.get("triggers");
  if (!node) {
    if (options->require_examples)  // `rules check`: say what it costs
      report(Severity::Warning, file, {r.id_line, r.id_column}, r.id,
             "event rule has no triggers: it is tried on every sentence of every source; add triggers = [\"%{lex:NAME}\", "
             "\"word\", ...] naming words every match holds");
    return;
  }
  auto list = node->as_array();
  if (!list || list->empty()) {
    error(file, node->source(), r.id, "triggers must be a non-empty array of words, phrases, \"%{lex:NAME}\" or \"%{table:NAME}\"");
    return;
  }
  for (auto& item : *list) {
    auto s = item.value<std::string>();
    if (!s) {
      error(file, item.source(), r.id, "a trigger must be a string");
      continue;
    }
    std::string_view t = *s;
    if (t.starts_with("%{") && t.ends_with("}") && t.find('}') == t.size() - 1) {
      std::string_view ref = t.substr(2, t.size() - 3);
      std::string message;
      std::string expanded;
      ExpandError err;
      std::vector<std::string> active;
      if (expand(t, expanded, &err, active)) expansions->push_back(std::move(expanded));
      if (ref.starts_with("lex:")) {
        if (!lexicon_words(ref.substr(4), r.triggers, &message)) error(file, item.source(), r.id, message);
      } else if (ref.starts_with("table:")) {
        auto table = rs->tables.find(std::string(ref.substr(6)));
        if (table == rs->tables.end())
          error(file, item.source(), r.id,
                fmt::format("trigger {} names no table{}{}", t, did_you_mean(ref.substr(6), table_names()), unparsed_note()));
        else
          for (auto& [key, value] : table->second.entries) r.triggers.push_back(key);
      } else {
        error(file, item.source(), r.id, fmt::format("trigger {} must be %{{lex:NAME}} or %{{table:NAME}}", t));
      }
    } else if (is_literal_phrase(t)) {
      r.triggers.push_back(normalize_key(t));
    } else {
      error(file, item.source(), r.id,
            fmt::format("trigger \"{}\" is not a literal word or phrase (letters, digits, spaces, - ' . &) nor one "
                        "\"%{{lex:NAME}}\" / \"%{{table:NAME}}\"",
                        t));
    }
  }
  std::sort(r.triggers.begin(), r.triggers.end());
  r.triggers.erase(std::unique(r.triggers.begin(), r.triggers.end()), r.triggers.end());
}

void Loader::read_exclude(const toml::table& rule, EventRule& r, const std::string& file) {
  auto node = rule.get("exclude");
  if (!node) return;
  auto table = node->as_table();
  if (!table) {
    error(file, node->source(), r.id, "exclude must be a table: { group = \"TABLE\" }");
    return;
  }
  for (auto& [group, name] : *table) {
    auto s = name.value<std::string>();
    if (!s || !rs->tables.count(*s)) {
      error(file, name.source(), r.id,
            fmt::format("exclude.{} must name a table{}{}", group.str(), s ? did_you_mean(*s, table_names()) : "", unparsed_note()));
      continue;
    }
    if (r.re && !r.groups.count(group.str())) {
      error(file, group.source(), r.id, fmt::format("exclude names group \"{}\" but the pattern has no (?P<{}>...)", group.str(), group.str()));
      continue;
    }
    r.exclude.emplace_back(std::string(group.str()), *s);
  }
}

void Loader::collect_settings(const toml::table& doc, const std::string& file) {
  if (auto events = doc["events"].as_table()) {
    static const std::vector<std::string_view> keys{"fallback", "dangling"};
    for (auto& [k, v] : *events)
      if (std::find(keys.begin(), keys.end(), k.str()) == keys.end())
        error(file, k.source(), "", fmt::format("unknown key \"{}\" in [events]{}", k.str(), did_you_mean(k.str(), keys)));
    if (auto f = events->get("fallback")) {
      if (!f->is_boolean()) error(file, f->source(), "", "[events] fallback must be true or false");
      else rs->fallback = *f->value<bool>();
    }
    if (auto d = events->get("dangling")) {
      auto name = d->value<std::string>();
      if (!name || !rs->tables.count(*name))
        error(file, d->source(), "",
              fmt::format("[events] dangling must name a table{}{}", name ? did_you_mean(*name, table_names()) : "", unparsed_note()));
      else rs->dangling = *name;
    }
  }
  if (auto a = doc["anaphora"].as_table()) {
    static const std::vector<std::string_view> keys{"phrases", "antecedent", "exclude", "groups", "comment"};
    for (auto& [k, v] : *a)
      if (std::find(keys.begin(), keys.end(), k.str()) == keys.end())
        error(file, k.source(), "", fmt::format("unknown key \"{}\" in [anaphora]{}", k.str(), did_you_mean(k.str(), keys)));
    anaphora_file = file;
    anaphora_node = a;
  }
}

void Loader::build_anaphora() {
  if (!anaphora_node) return;
  const toml::table& a = *anaphora_node;
  const std::string& file = anaphora_file;
  auto table_key = [&](const char* key, std::string& into, bool required) {
    auto node = a.get(key);
    if (!node) {
      if (required) error(file, a.source(), "", fmt::format("[anaphora] needs {} = \"TABLE\"", key));
      return;
    }
    auto s = node->value<std::string>();
    if (!s || !rs->tables.count(*s)) {
      error(file, node->source(), "",
            fmt::format("[anaphora] {} must name a table{}{}", key, s ? did_you_mean(*s, table_names()) : "", unparsed_note()));
      return;
    }
    into = *s;
  };
  table_key("phrases", rs->anaphora.phrases, true);
  table_key("exclude", rs->anaphora.exclude, false);
  if (auto groups = a["groups"].as_array()) {
    for (auto& g : *groups)
      if (auto s = g.value<std::string>()) rs->anaphora.groups.push_back(*s);
      else error(file, g.source(), "", "[anaphora] groups must be an array of group names");
  } else {
    error(file, a.source(), "", "[anaphora] needs groups = [\"actor\", ...]: the groups whose text may be an anaphor");
  }
  auto pnode = a.get("antecedent");
  if (!pnode || !pnode->is_string()) {
    error(file, pnode ? pnode->source() : a.source(), "", "[anaphora] needs antecedent = 'PATTERN' (what a named actor looks like)");
    rs->anaphora.phrases.clear();
    return;
  }
  std::string body;
  ExpandError err;
  std::vector<std::string> active;
  if (!expand(*pnode->value<std::string>(), body, &err, active)) {
    report(Severity::Error, file, inside(file, *pnode, err.offset), "", "[anaphora] antecedent: " + err.message);
    rs->anaphora.phrases.clear();
    return;
  }
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_case_sensitive(true);  // a name's shape is its capitals
  auto re = std::make_unique<RE2>(body, opts);
  if (!re->ok()) {
    report(Severity::Error, file, start_of(pnode->source()), "", "[anaphora] antecedent: RE2 error: " + re->error());
    rs->anaphora.phrases.clear();
    return;
  }
  rs->anaphora.antecedent = std::move(re);
}

}  // namespace annals::rules::detail
