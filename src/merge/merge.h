// merge — folds the event mentions of every source into one timeline.
//
//   Timeline t = merge(all_mentions);
//
// Mentions with the same identity (rule id + normalized identity template)
// are one event. Within an event, mentions whose dates are nested (one
// interval inside the other: "2025" and "January 2025") form one entry,
// dated by the most specific of them. A once-only event whose mentions fall
// into several entries has a conflict: each of those entries lists the others
// in `conflicts_with`. Recurring events simply have several entries.
// A mention without a usable date joins its event's entry when the event is
// once-only and has exactly one entry (it states that event; its own date
// stays unresolved); otherwise it goes to Timeline::undated. Never dropped.
//
// Sources that are near-duplicates of each other (merge/near_duplicates.h)
// are reported in Timeline::near_duplicates and count once in each entry's
// `independent_sources`; all of them stay in the provenance.
//
// Deterministic: the result does not depend on the order of the input, so
// merging the outputs of independent mappers in any grouping gives the same
// timeline as one run over everything (merge is associative and commutative).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/types.h"
#include "merge/near_duplicates.h"

namespace annals::merge {

// What the merge knows of one source: its metadata and content signature.
struct SourceRecord {
  SourceInfo info;
  Signature signature;
};

struct Options {
  NearDuplicateOptions near_duplicates;
};

Timeline merge(std::vector<EventMention> mentions, std::vector<SourceRecord> sources = {},
               std::vector<Diagnostic> diagnostics = {}, const Options& options = {});

// The stable id of an entry: a hash of its identity and date value.
std::string event_id(const std::string& identity, const std::string& date_value);

}  // namespace annals::merge
