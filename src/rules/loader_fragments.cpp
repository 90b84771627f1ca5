// [fragments], [tables] and [text]: collected from every file, then
// %{name} and %{table:NAME} expanded in patterns.
#include "rules/loader.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace annals::rules::detail {

bool Loader::expand(std::string_view pattern, std::string& out, ExpandError* err, std::vector<std::string>& active) {
  std::size_t i = 0;
  while (i < pattern.size()) {
    auto at = pattern.find("%{", i);
    if (at == std::string_view::npos) {
      out.append(pattern.substr(i));
      return true;
    }
    // A backslash-escaped "%" stays literal.
    if (at > 0 && pattern[at - 1] == '\\') {
      out.append(pattern.substr(i, at + 2 - i));
      i = at + 2;
      continue;
    }
    out.append(pattern.substr(i, at - i));
    auto close = pattern.find('}', at);
    err->offset = at;
    if (close == std::string_view::npos) {
      err->message = "unterminated %{ in pattern";
      return false;
    }
    std::string name(pattern.substr(at + 2, close - at - 2));
    if (name.rfind("table:", 0) == 0) {
      std::string tname = name.substr(6);
      auto t = rs->tables.find(tname);
      if (t == rs->tables.end()) {
        err->message = fmt::format("%{{table:{}}} names no table: no [tables.{}] is defined{}{}", tname, tname,
                                   did_you_mean(tname, table_names()), unparsed_note());
        return false;
      }
      out += table_alternation(t->second);
    } else if (name.rfind("lex:", 0) == 0) {
      std::vector<std::string> words;
      if (!lexicon_words(std::string_view(name).substr(4), words, &err->message)) return false;
      out += literal_alternation(std::move(words));
    } else {
      auto f = fragments.find(name);
      if (f == fragments.end()) {
        std::vector<std::string_view> known;
        for (auto& [k, v] : fragments) known.push_back(k);
        err->message = fmt::format("%{{{}}} names no fragment: \"{}\" is not defined in [fragments]{}{}", name, name,
                                   did_you_mean(name, known), unparsed_note());
        return false;
      }
      if (std::find(active.begin(), active.end(), name) != active.end()) {
        err->message = fmt::format("fragment \"{}\" refers to itself", name);
        return false;
      }
      active.push_back(name);
      out += "(?:";
      if (!expand(f->second.text, out, err, active)) {
        if (err->fragment.empty()) err->fragment = name;
        return false;
      }
      out += ')';
      active.pop_back();
    }
    i = close + 1;
  }
  return true;
}

std::vector<std::string_view> Loader::table_names() const {
  std::vector<std::string_view> names;
  for (auto& [k, v] : rs->tables) names.push_back(k);
  return names;
}

std::string Loader::table_alternation(const Table& table) {
  std::vector<std::string> keys;
  for (auto& [k, v] : table.entries) keys.push_back(k);
  return literal_alternation(std::move(keys));
}

void Loader::check_fragments() {
  for (auto& [name, def] : fragments) {
    std::string out;
    ExpandError err;
    std::vector<std::string> active{name};
    if (expand(def.text, out, &err, active)) continue;
    broken_fragments.insert(name);
    if (!err.fragment.empty() && err.fragment != name) continue;  // reported at that fragment
    report(Severity::Error, def.file, inside(def.file, *def.node, err.offset), "",
           fmt::format("in fragment \"{}\": {}", name, err.message));
  }
}

void Loader::collect_shared(const toml::table& doc, const std::string& file) {
  static const std::vector<std::string_view> top{"fragments", "tables", "text",     "doc_types", "date",  "dateline",
                                                 "veto",      "event",  "lexicons", "anaphora",  "events"};
  for (auto& [k, v] : doc)
    if (std::find(top.begin(), top.end(), k.str()) == top.end())
      error(file, k.source(), "", fmt::format("unknown top-level key \"{}\"{}", k.str(), did_you_mean(k.str(), top)), Severity::Warning);
  if (auto frags = doc["fragments"].as_table()) {
    for (auto& [k, v] : *frags) {
      std::string name(k.str());
      if (!v.is_string()) {
        error(file, v.source(), "", fmt::format("fragment \"{}\" must be a string", name));
        continue;
      }
      if (auto old = fragments.find(name); old != fragments.end()) {
        error(file, k.source(), "", fmt::format("fragment \"{}\" is already defined at {}:{}", name, old->second.file,
                                                old->second.node->source().begin.line));
        continue;
      }
      fragments[name] = {*v.value<std::string>(), file, &v};
    }
  }
  if (auto tables = doc["tables"].as_table()) {
    for (auto& [k, v] : *tables) {
      auto t = v.as_table();
      if (!t) {
        error(file, v.source(), "", fmt::format("table \"{}\" must be a table of key = value", k.str()));
        continue;
      }
      Table& into = rs->tables[std::string(k.str())];
      for (auto& [key, val] : *t) {
        std::string s;
        if (auto str = val.value<std::string>()) s = *str;
        else if (auto n = val.value<int64_t>()) s = std::to_string(*n);
        else {
          error(file, val.source(), "", fmt::format("entry \"{}\" of table \"{}\" must be a string or an integer", key.str(), k.str()));
          continue;
        }
        into.entries[normalize_key(key.str())] = s;
      }
    }
  }
  if (auto types = doc["doc_types"].as_table()) doc_types.read(*types, file);
  if (auto text = doc["text"].as_table()) {
    static const std::vector<std::string_view> text_keys{"abbreviations", "dateline_window", "stopwords"};
    for (auto& [k, v] : *text)
      if (std::find(text_keys.begin(), text_keys.end(), k.str()) == text_keys.end())
        error(file, k.source(), "", fmt::format("unknown key \"{}\" in [text]{}", k.str(), did_you_mean(k.str(), text_keys)),
              Severity::Warning);
    if (auto abbr = (*text)["abbreviations"].as_array())
      for (auto& a : *abbr)
        if (auto s = a.value<std::string>()) rs->abbreviations.push_back(normalize_key(*s));
    if (auto w = (*text)["dateline_window"].value<int64_t>()) rs->dateline_window = std::size_t(*w);
    if (auto stop = (*text)["stopwords"].as_array())
      for (auto& a : *stop)
        if (auto s = a.value<std::string>()) rs->stopwords.push_back(normalize_key(*s));
  }
}

}  // namespace annals::rules::detail
