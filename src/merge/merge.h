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
// Mentions without a usable date go to Timeline::undated, never dropped.
//
// Deterministic: the result does not depend on the order of the input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/types.h"

namespace annals::merge {

Timeline merge(std::vector<EventMention> mentions);

// The stable id of an entry: a hash of its identity and date value.
std::string event_id(const std::string& identity, const std::string& date_value);

}  // namespace annals::merge
