#include "rules/doc_types_toml.h"

#include <algorithm>

#include <fmt/format.h>

namespace annals::rules {

void DocTypesReader::read(const toml::table& table, const std::string& file) {
  any_ = true;
  static const std::vector<std::string_view> settings{"default", "undated", "past", "past_years", "past_share", "past_min", "past_precision", "comment"};
  for (auto& [k, v] : table) {
    std::string key(k.str());
    if (auto t = v.as_table()) {
      if (key == "auto") {
        report_(Severity::Error, file, v, std::string::npos, "\"auto\" is not a document type name: it asks annals to choose one");
        continue;
      }
      if (auto old = std::find_if(types_.types.begin(), types_.types.end(), [&](auto& d) { return d.name == key; });
          old != types_.types.end()) {
        report_(Severity::Error, file, v, std::string::npos,
                fmt::format("document type \"{}\" is already defined in {}", key, type_files_[std::size_t(old - types_.types.begin())]));
        continue;
      }
      DocType type;
      type.name = key;
      for (auto& [tk, tv] : *t)
        if (tk.str() != "ref" && tk.str() != "anchor" && tk.str() != "comment")
          report_(Severity::Error, file, tv, std::string::npos,
                  fmt::format("unknown key \"{}\" in [doc_types.{}] (a type has ref, anchor and comment)", tk.str(), key));
      type.comment = (*t)["comment"].value_or(std::string{});
      bool ok = true;
      for (const char* base : {"ref", "anchor"}) {
        auto node = t->get(base);
        if (!node || !node->is_string()) {
          report_(Severity::Error, file, node ? *node : v, std::string::npos,
                  fmt::format("[doc_types.{}] needs \"{}\", an anchor expression such as \"published\" or \"last_named | published\"", key, base));
          ok = false;
          continue;
        }
        auto parsed = parse_anchor_expression(*node->value<std::string>());
        if (!parsed.ok()) {
          // "at column N: ..." -> point at that character of the string.
          const std::string msg = parsed.status().message();
          std::size_t column = 0;
          if (msg.starts_with("at column ")) column = std::size_t(std::stoul(msg.substr(10))) - 1;
          report_(Severity::Error, file, *node, column, fmt::format("[doc_types.{}] {}: {}", key, base, msg.substr(msg.find(": ") + 2)));
          ok = false;
          continue;
        }
        (std::string_view(base) == "ref" ? type.ref : type.anchor) = std::move(*parsed);
      }
      if (!ok) continue;
      types_.types.push_back(std::move(type));
      type_files_.push_back(file);
      continue;
    }
    if (std::find(settings.begin(), settings.end(), key) == settings.end()) {
      report_(Severity::Error, file, v, std::string::npos,
              fmt::format("unknown key \"{}\" in [doc_types] (settings: default, undated, past, past_years, past_share, "
                          "past_min, past_precision; a type is a table [doc_types.NAME])", key));
      continue;
    }
    if (key == "comment") continue;
    if (key == "default" || key == "undated" || key == "past") {
      auto s = v.value<std::string>();
      if (!s) {
        report_(Severity::Error, file, v, std::string::npos, fmt::format("[doc_types] {} must be a document type name", key));
        continue;
      }
      (key == "default" ? types_.default_type : key == "undated" ? types_.automatic.undated : types_.automatic.past) = *s;
      names_.push_back({key, file, &v});
    } else if (key == "past_precision") {
      auto g = v.value<std::string>();
      std::optional<Granularity> want;
      for (Granularity c : {Granularity::Year, Granularity::Quarter, Granularity::Month, Granularity::Day})
        if (g && *g == granularity_name(c)) want = c;
      if (!want) report_(Severity::Error, file, v, std::string::npos, "[doc_types] past_precision must be year, quarter, month or day");
      else types_.automatic.past_precision = *want;
    } else if (key == "past_share") {
      auto d = v.value<double>();
      if (!d || *d <= 0 || *d > 1) report_(Severity::Error, file, v, std::string::npos, "[doc_types] past_share must be a number in (0, 1]");
      else types_.automatic.past_share = *d;
    } else {
      auto n = v.value<int64_t>();
      if (!n || *n < 0) report_(Severity::Error, file, v, std::string::npos, fmt::format("[doc_types] {} must be a whole number, 0 or more", key));
      else (key == "past_years" ? types_.automatic.past_years : types_.automatic.past_min) = int(*n);
    }
  }
}

DocTypes DocTypesReader::finish() {
  if (!any_ || types_.types.empty()) {
    DocTypes builtin = builtin_doc_types();
    if (any_) builtin.automatic = types_.automatic;
    types_ = std::move(builtin);
  }
  for (auto& n : names_) {
    std::string name = n.node->value_or(std::string{});
    if (!types_.find(name))
      report_(Severity::Error, n.file, *n.node, std::string::npos,
              fmt::format("[doc_types] {} = \"{}\" names no document type (defined: {})", n.key, name, types_.names()));
  }
  return std::move(types_);
}

}  // namespace annals::rules
