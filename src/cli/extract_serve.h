// cli/extract_serve — `annals extract --serve`: the map step (extract_map.h)
// as a long-lived process. It loads the rule pack once, then runs one task
// per request line on stdin and answers one reply line per task on stdout,
// so a cluster worker (scripts/annals-dask keeps one per Dask worker) pays
// the pack's load and RE2's warm-up once, not once per task.
//
// The protocol, one JSON object per line each way:
//
//   request (stdin), a task:
//     {"task":T, "sources":[PATH...], "partition":"K/N"?, "seed":S?}
//         the share K of N (default 0/1, seed 0) of those source folders and
//         files, as `annals extract --partition K/N --partition-seed S` takes it;
//     {"task":T, "shard":PATH, "begin":B, "end":E}
//         the JSON Lines documents of a shard whose lines start in bytes
//         [B, E), as `annals extract --stdin` reads them (ranges that tile
//         the file give each line to one task);
//     plus where its records go, one of:
//       "part":PATH             one part file, as one-shot extract writes on stdout;
//       "buckets":N, "out":DIR  the bucket files of `extract --buckets N --task T
//                               --out DIR` (N from 1 to 4096).
//     T is a task name (letters, digits, -_.). Blank lines are skipped.
//
//   reply (stdout), one per request, in order, flushed:
//     {"task":T, "exit":0|1|2, "sources":N, "error"?:WHY, "cpu_s":X, "max_rss_kib":K}
//     exit is that of the one-shot `annals extract` of the task: 0, 1 (input
//     problems, reported on stderr and written as records; the output is
//     complete), or 2 (a bad request, or an output that cannot be written:
//     "error" says why, nothing is written, and the next request runs).
//     sources counts the source records written; cpu_s (user+sys) and
//     max_rss_kib (peak RSS) are this process's so far.
//
// Outputs are replaced whole: a part through core/files.h's AtomicFile
// (.NAME.tmp-PID, renamed when complete), bucket files by BucketWriter; so a
// task run again (a retry) replaces its own output, and a server killed
// midway leaves only temporaries, which the next task writing to that folder
// removes. The server ends with exit 0 at the end of stdin, or 2 when stdout
// cannot be written.
#pragma once

#include <optional>
#include <string>

#include <date/date.h>

#include "rules/rules.h"

namespace annals::cli {

// What every task of one server shares (its command line's options).
struct ServeOptions {
  std::optional<date::sys_days> reference;  // --reference-date
  std::string doc_type;                     // --doc-type
  unsigned threads = 0;                     // -j
};

// Runs the protocol above over stdin and stdout until stdin ends; the
// server's exit code.
int serve(const rules::RuleSet& pack, const ServeOptions& options);

}  // namespace annals::cli
