// Benchmark of the merge stage: merging N generated event mentions (dates at
// mixed granularities, ~1 identity per 20 mentions, 5,000 sources) into a
// timeline. Reports time per run, mentions per second, and the process's
// resident memory after the merge, so that linear growth can be checked by
// comparing sizes:
//   build/bench/annals_merge_bench --benchmark_filter=Merge
#include <fstream>
#include <random>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "merge/merge.h"
#include "temporal/calendar.h"

namespace {

using namespace annals;

std::vector<EventMention> generate(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::vector<EventMention> out;
  out.reserve(n);
  std::size_t identities = std::max<std::size_t>(1, n / 20);
  for (std::size_t i = 0; i < n; ++i) {
    EventMention m;
    std::size_t id = rng() % identities;
    m.rule_id = fmt::format("rule-{}", id % 12);
    m.title = fmt::format("Actor {} releases Model-{}", id % 997, id);
    m.identity = fmt::format("{}|actor{} model{}", m.rule_id, id % 997, id);
    m.category = "model release";
    m.recurring = id % 5 == 0;
    m.source.edit().file = fmt::format("corpus/source-{:05}.txt", rng() % 5000);
    m.evidence = fmt::format("On the day in question, Actor {} released Model-{} to developers, the company said in a "
                             "statement that analysts read closely.", id % 997, id);
    m.match = {std::size_t(rng() % 10000), 0};
    m.match.end = m.match.begin + 30;
    // Each identity has a "true" day; sources report it at a random granularity.
    int year = 2015 + int(id % 10);
    unsigned month = 1 + unsigned(id % 12), day = 1 + unsigned(id % 28);
    std::string value;
    switch (rng() % 4) {
      case 0: value = fmt::format("{}", year); break;
      case 1: value = fmt::format("{}-{:02}", year, month); break;
      case 2: value = fmt::format("{}-{:02}-{:02}", year, month, day); break;
      default: value = fmt::format("{}-{:02}-{:02}", year + (rng() % 50 == 0), month, day); break;  // a few disagree
    }
    DateMention d;
    d.value = value;
    d.text = value;
    d.interval = temporal::interval_of(value);
    m.date = d;
    out.push_back(std::move(m));
  }
  return out;
}

double resident_mib() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return double(pages_resident) * 4096.0 / (1024.0 * 1024.0);
}

void BM_Merge(benchmark::State& state) {
  auto n = std::size_t(state.range(0));
  auto mentions = generate(n, 42);
  std::size_t entries = 0;
  double rss = 0;
  for (auto _ : state) {
    state.PauseTiming();
    merge::MentionQueue copy(mentions.begin(), mentions.end());
    state.ResumeTiming();
    Timeline t = merge::merge(std::move(copy));
    entries = t.entries.size();
    rss = resident_mib();
    benchmark::DoNotOptimize(t);
  }
  state.counters["mentions_per_s"] = benchmark::Counter(double(n) * double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["entries"] = double(entries);
  state.counters["rss_MiB"] = rss;
}
BENCHMARK(BM_Merge)->Arg(250'000)->Arg(500'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
