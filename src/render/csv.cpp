#include "render/csv.h"

#include <fmt/format.h>

#include "render/display.h"
#include "temporal/calendar.h"

namespace annals::render {

std::string csv_field(std::string_view text) {
  std::string cell;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' || text[0] == '\r'))
    cell.push_back('\'');
  cell.append(text);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string render_csv(const Timeline& t) {
  std::string out = "date,date_start,date_end,granularity,display_date,title,category,event_id,sources,source_files,evidence,conflicts_with\n";
  for (const auto& e : t.entries) {
    std::string files, evidence;
    for (auto& f : e.source_files()) files += (files.empty() ? "" : ";") + f;
    for (auto& m : e.mentions) evidence += (evidence.empty() ? "" : "\n") + fmt::format("[{}] {}", m.source.file, m.evidence);
    std::string conflicts;
    for (auto& c : e.conflicts_with) conflicts += (conflicts.empty() ? "" : ";") + c;
    std::string mod;
    for (auto& m : e.mentions)
      if (m.date && m.date->value == e.date.value) mod = m.date->mod;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(e.date.value),
                       temporal::format_iso_day(e.date.first), temporal::format_iso_day(e.date.last),
                       granularity_name(e.date.granularity), csv_field(display_date(e.date, mod)), csv_field(e.title),
                       csv_field(e.category), e.event_id, e.source_files().size(), csv_field(files), csv_field(evidence),
                       csv_field(conflicts));
  }
  return out;
}

}  // namespace annals::render
