#include "core/types.h"

#include <algorithm>

#include <fmt/format.h>

namespace annals {

const char* granularity_name(Granularity g) {
  switch (g) {
    case Granularity::Century: return "century";
    case Granularity::Decade: return "decade";
    case Granularity::Year: return "year";
    case Granularity::Half: return "half";
    case Granularity::Quarter: return "quarter";
    case Granularity::Season: return "season";
    case Granularity::Month: return "month";
    case Granularity::Week: return "week";
    case Granularity::Day: return "day";
  }
  return "day";
}

const char* timex_type_name(TimexType t) {
  switch (t) {
    case TimexType::Date: return "DATE";
    case TimexType::Time: return "TIME";
    case TimexType::Duration: return "DURATION";
    case TimexType::Set: return "SET";
  }
  return "DATE";
}

std::string format_diagnostic(const Diagnostic& d) {
  const char* sev = d.severity == Severity::Error     ? "error"
                    : d.severity == Severity::Warning ? "warning"
                                                      : "note";
  std::string where = d.file;
  if (d.line > 0) where += fmt::format(":{}", d.line);
  if (d.line > 0 && d.column > 0) where += fmt::format(":{}", d.column);
  std::string out = where.empty() ? fmt::format("{}: {}", sev, d.message)
                                  : fmt::format("{}: {}: {}", where, sev, d.message);
  if (!d.rule_id.empty()) out += fmt::format(" [{}]", d.rule_id);
  return out;
}

SharedSource::SharedSource() {
  static const auto empty = std::make_shared<SourceInfo>();  // never edited: edit() copies a shared one
  info_ = empty;
}

SharedSource::SharedSource(SourceInfo info) : info_(std::make_shared<SourceInfo>(std::move(info))) {}

SourceInfo& SharedSource::edit() {
  if (info_.use_count() != 1) info_ = std::make_shared<SourceInfo>(*info_);
  return *info_;
}

std::vector<std::string> TimelineEntry::source_files() const {
  std::vector<std::string> files;
  for (const auto& m : mentions) files.push_back(m.source->file);
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

namespace {
template <typename F>
std::vector<std::string> sorted_union(const std::vector<EventMention>& mentions, F field) {
  std::vector<std::string> out;
  for (const auto& m : mentions)
    for (const auto& v : field(m)) out.push_back(v);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}
}  // namespace

std::vector<std::string> TimelineEntry::actors() const {
  return sorted_union(mentions, [](const EventMention& m) -> const std::vector<std::string>& { return m.actors; });
}

std::vector<std::string> TimelineEntry::tags() const {
  return sorted_union(mentions, [](const EventMention& m) -> const std::vector<std::string>& { return m.tags; });
}

}  // namespace annals
