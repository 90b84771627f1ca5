#include "merge/merge.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

namespace annals::merge {
namespace {

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool mention_order(const EventMention& a, const EventMention& b) {
  if (a.source.file != b.source.file) return a.source.file < b.source.file;
  if (a.match.begin != b.match.begin) return a.match.begin < b.match.begin;
  return a.rule_id < b.rule_id;
}

}  // namespace

std::string event_id(const std::string& identity, const std::string& date_value) {
  return fmt::format("ev-{:012x}", fnv1a(identity + "@" + date_value) & 0xffffffffffffull);
}

Timeline merge(std::vector<EventMention> mentions, std::vector<SourceRecord> sources, std::vector<Diagnostic> diagnostics,
               const Options& options) {
  Timeline t;
  std::sort(sources.begin(), sources.end(), [](auto& a, auto& b) { return a.info.file < b.info.file; });
  std::vector<std::pair<std::string, Signature>> signatures;
  for (auto& s : sources) {
    signatures.emplace_back(s.info.file, s.signature);
    t.sources.push_back(s.info);
  }
  t.near_duplicates = near_duplicate_groups(signatures, options.near_duplicates);
  std::map<std::string, std::string> group_of;  // file -> first file of its near-duplicate group
  for (auto& g : t.near_duplicates)
    for (auto& f : g) group_of[f] = g.front();
  std::sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column, a.rule_id, a.message) < std::tie(b.file, b.line, b.column, b.rule_id, b.message);
  });
  t.diagnostics = std::move(diagnostics);
  std::sort(mentions.begin(), mentions.end(), mention_order);
  std::map<std::string, std::vector<EventMention>> by_identity;
  for (auto& m : mentions) {
    if (m.dated()) by_identity[m.identity].push_back(std::move(m));
    else t.undated.push_back(std::move(m));
  }
  for (auto& [identity, group] : by_identity) {
    // Coarse dates first, so that a finer one finds the entry it refines.
    std::stable_sort(group.begin(), group.end(), [](const EventMention& a, const EventMention& b) {
      const auto &x = *a.date->interval, &y = *b.date->interval;
      if (x.first != y.first) return x.first < y.first;
      return x.last > y.last;
    });
    std::vector<std::vector<EventMention>> clusters;
    for (auto& m : group) {
      const DateInterval& d = *m.date->interval;
      auto fits = [&](const std::vector<EventMention>& c) {
        return std::all_of(c.begin(), c.end(), [&](const EventMention& o) { return o.date->interval->nested_with(d); });
      };
      auto it = std::find_if(clusters.begin(), clusters.end(), fits);
      if (it == clusters.end()) clusters.emplace_back().push_back(std::move(m));
      else it->push_back(std::move(m));
    }
    std::size_t first_entry = t.entries.size();
    for (auto& c : clusters) {
      TimelineEntry e;
      const EventMention* finest = &c.front();
      for (auto& m : c)
        if (finest->date->interval->contains(*m.date->interval)) finest = &m;
      e.date = *finest->date->interval;
      e.title = finest->title;
      e.category = finest->category;
      e.rule_id = finest->rule_id;
      e.event_id = event_id(identity, e.date.value);
      std::sort(c.begin(), c.end(), mention_order);
      e.mentions = std::move(c);
      t.entries.push_back(std::move(e));
    }
    // A once-only event with more than one entry: its sources disagree.
    std::size_t n = t.entries.size() - first_entry;
    if (n > 1 && !t.entries[first_entry].mentions.front().recurring) {
      for (std::size_t i = first_entry; i < t.entries.size(); ++i)
        for (std::size_t j = first_entry; j < t.entries.size(); ++j)
          if (i != j) t.entries[i].conflicts_with.push_back(t.entries[j].event_id);
    }
  }
  std::sort(t.entries.begin(), t.entries.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    if (a.date.first != b.date.first) return a.date.first < b.date.first;
    if (a.date.last != b.date.last) return a.date.last > b.date.last;  // coarser first
    if (a.title != b.title) return a.title < b.title;
    return a.event_id < b.event_id;
  });
  for (auto& e : t.entries) {
    std::sort(e.conflicts_with.begin(), e.conflicts_with.end());
    std::set<std::string> independent;
    for (auto& f : e.source_files()) independent.insert(group_of.count(f) ? group_of[f] : f);
    e.independent_sources = independent.size();
  }
  return t;
}

}  // namespace annals::merge
