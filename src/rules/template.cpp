#include "rules/template.h"

#include <fmt/format.h>

#include "rules/rules.h"

namespace annals::rules {

const BuiltinPlaceholder* find_builtin(std::string_view name) {
  for (const auto& b : builtin_placeholders)
    if (b.name == name) return &b;
  return nullptr;
}

bool looks_builtin(std::string_view name) {
  return name.starts_with("ref.") || name == "anchor" || name.starts_with("anchor.");
}

std::vector<Placeholder> placeholders(std::string_view t) {
  std::vector<Placeholder> out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '{') continue;
    auto close = t.find('}', i);
    if (close == std::string_view::npos) break;
    std::string_view body = t.substr(i + 1, close - i - 1);
    auto bar = body.find('|');
    Placeholder p;
    p.group = std::string(body.substr(0, bar));
    if (bar != std::string_view::npos) p.filter = std::string(body.substr(bar + 1));
    p.offset = i;
    out.push_back(std::move(p));
    i = close;
  }
  return out;
}

Result<std::string> fill_template(std::string_view t, const GroupLookup& group,
                                  const std::map<std::string, Table>& tables) {
  std::string out;
  out.reserve(t.size() + 16);
  std::size_t i = 0;
  while (i < t.size()) {
    auto open = t.find('{', i);
    if (open == std::string_view::npos) {
      out.append(t.substr(i));
      break;
    }
    out.append(t.substr(i, open - i));
    auto close = t.find('}', open);
    if (close == std::string_view::npos) return Status::error(fmt::format("unterminated {{ in template \"{}\"", t));
    std::string_view body = t.substr(open + 1, close - open - 1);
    auto bar = body.find('|');
    std::string_view name = body.substr(0, bar);
    std::string_view filter = bar == std::string_view::npos ? std::string_view{} : body.substr(bar + 1);
    std::string_view text = group(name).value_or(std::string_view{});
    if (filter.empty() || text.empty()) {
      out.append(text);
    } else if (filter == "lower") {
      for (char c : text) out.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
    } else {
      auto table = tables.find(std::string(filter));
      std::string key = normalize_key(text);
      const std::string* hit = nullptr;
      if (table != tables.end()) {
        auto e = table->second.entries.find(key);
        if (e != table->second.entries.end()) hit = &e->second;
      }
      // Not in the table: the text stands for itself (alias tables list only
      // the names that need rewriting).
      out.append(hit ? std::string_view(*hit) : text);
    }
    i = close + 1;
  }
  return out;
}

}  // namespace annals::rules
