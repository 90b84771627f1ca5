#include "eval/score.h"

#include <algorithm>

namespace annals::eval {
namespace {

bool date_or_time(std::string_view type) { return type == "DATE" || type == "TIME"; }

PRF prf(std::size_t hits, std::size_t system, std::size_t gold) {
  PRF r;
  r.precision = system ? double(hits) / double(system) : 0.0;
  r.recall = gold ? double(hits) / double(gold) : 0.0;
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0.0;
  return r;
}

}  // namespace

Counts& Counts::operator+=(const Counts& o) {
  gold += o.gold;
  system += o.system;
  strict += o.strict;
  relaxed += o.relaxed;
  type += o.type;
  value += o.value;
  return *this;
}

Figures figures(const Counts& c) {
  return Figures{prf(c.strict, c.system, c.gold), prf(c.relaxed, c.system, c.gold), prf(c.type, c.system, c.gold),
                 prf(c.value, c.system, c.gold)};
}

Counts score_document(const std::vector<GoldTimex>& all_gold, const std::vector<DateMention>& all_system,
                      TypeFilter filter, std::vector<Pairing>* pairs) {
  std::vector<const GoldTimex*> gold;
  std::vector<const DateMention*> sys;
  for (auto& g : all_gold)
    if (filter == TypeFilter::All || date_or_time(g.type)) gold.push_back(&g);
  for (auto& s : all_system)
    if (filter == TypeFilter::All || date_or_time(timex_type_name(s.type))) sys.push_back(&s);

  Counts c;
  c.gold = gold.size();
  c.system = sys.size();
  std::vector<int> partner_of_gold(gold.size(), -1), partner_of_sys(sys.size(), -1);
  // Identical extents pair first, then any overlap, each side at most once.
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t g = 0; g < gold.size(); ++g) {
      if (partner_of_gold[g] >= 0) continue;
      for (std::size_t s = 0; s < sys.size(); ++s) {
        if (partner_of_sys[s] >= 0) continue;
        bool ok = pass == 0 ? gold[g]->span == sys[s]->span : gold[g]->span.overlaps(sys[s]->span);
        if (!ok) continue;
        partner_of_gold[g] = int(s);
        partner_of_sys[s] = int(g);
        break;
      }
    }
  for (std::size_t g = 0; g < gold.size(); ++g) {
    int s = partner_of_gold[g];
    if (s < 0) continue;
    const DateMention& m = *sys[std::size_t(s)];
    ++c.relaxed;
    if (gold[g]->span == m.span) ++c.strict;
    if (gold[g]->type == timex_type_name(m.type)) ++c.type;
    if (gold[g]->value == m.value) ++c.value;
  }
  if (pairs) {
    for (std::size_t g = 0; g < gold.size(); ++g) {
      Pairing p{*gold[g], std::nullopt};
      if (partner_of_gold[g] >= 0) p.system = *sys[std::size_t(partner_of_gold[g])];
      pairs->push_back(std::move(p));
    }
    for (std::size_t s = 0; s < sys.size(); ++s)
      if (partner_of_sys[s] < 0) pairs->push_back({std::nullopt, *sys[s]});
    auto begin_of = [](const Pairing& p) { return p.gold ? p.gold->span.begin : p.system->span.begin; };
    std::stable_sort(pairs->begin(), pairs->end(), [&](auto& a, auto& b) { return begin_of(a) < begin_of(b); });
  }
  return c;
}

}  // namespace annals::eval
