// merge — folds the event mentions of every source into one timeline.
//
//   Timeline t = merge(all_mentions);
//
// Mentions with the same identity (rule id + normalized identity template)
// are one event. Within an event, mentions whose dates are nested (one
// interval inside the other: "2025" and "January 2025") form one entry,
// dated by the most specific of them. So do the mentions of a once-only
// event that two sources date a day apart (time zones, "yesterday" counted
// from different publication days, "on Monday (Nov 2)" against the morning
// paper's "Friday"): a date disagreement within one entry, not two events.
// Each mention keeps its own date (the page says "dates it ..."); the entry
// takes the day more sources give, then the earlier. Days further apart, or
// one source giving both days, stay apart. A once-only event whose mentions
// still fall into several entries has a conflict: each of those entries lists
// the others in `conflicts_with` (the kConflictsListed with the most
// mentions) and counts them all in `conflict_count`. Recurring events simply
// have several entries.
// A mention without a usable date joins its event's entry when the event is
// once-only and has exactly one entry (it states that event; its own date
// stays unresolved); otherwise it goes to Timeline::undated. Never dropped.
//
// One real event, told in different words. Sources rarely phrase an event
// alike ("Broadcom completes VMware acquisition", "Broadcom finalizes VMware
// takeover", "Broadcom closes deal"), and the general clause rule gives each
// phrasing its own identity, so identity alone splits them. A second pass
// joins entries of different identities when all of these hold:
//   - dates that nest, or two single days next to each other (sources that
//     count "on Monday" from different publication days or time zones; each
//     mention keeps its own date in the provenance);
//   - shared content terms of their identities (EventMention::terms: the
//     words of the actor and of the object, core/text.h content_terms, so
//     "OpenAI" and "Stargate" meet through the object when the actors
//     differ), as many as the other evidence leaves doubt:
//       same category, different sources: one term when the two are of one
//         event kind (rule kind, before '|' of the identity) or the term is
//         an actor's word or a name in both evidence sentences; else two
//         ("tariffs" shared by China's retaliation and the tariffs taking
//         effect that day names no one event);
//       same category, a shared source: two (one article telling two events
//         of one kind on one day with one word in common tells two events);
//       one of the two naming only its actor (the clause found no object:
//         "Trump signs", "Brockman reveals"), any categories and sources:
//         one shared term (it says no more than that the actor acted then);
//       different categories otherwise: never. "Acme buys Brill" and "Acme
//         sues Brill" share actor and object and are two events; the verb
//         class is what tells them apart;
//     or, where the identities share too little, corroboration: the same
//     category, no shared source, and two names in common between the
//     evidence sentences (their capitalized words after the first, outside
//     the date: "a judge ruled ... Google" / "Judge Amit Mehta handed Google
//     a defeat"; "FTX founder Sam Bankman-Fried was convicted" / "Bankman-Fried,
//     who ran FTX, found guilty"), one of them a word of one side's identity
//     (names every sentence of a story shares, "Trump", "Chinese", are no
//     evidence), with dates that nest, or a day apart where one side is
//     dated only by its publication day (news of yesterday);
//   - or, whatever the shared source: the same category, and one sentence
//     of one source tells both in two clauses whose matches do not overlap,
//     one of the two naming no actor ("the bridge collapsed when a
//     container ship rammed into it": the collapse and the crash are one
//     happening). Two named actors in one sentence ("Acme rose 3% and Brill
//     fell 2%") stay two events, and so does a clause inside another's
//     match ("the six missing since the bridge collapsed are presumed
//     dead": the collapse is background there);
//   - neither entry is in a conflict (its conflicts_with ids stay valid).
// An entry joins every group it matches, not only the first: groups form a
// union-find, so an entry can tie two partial groups of one event together
// ("United States agrees to hold off" with a pause told by two other
// sources), whatever the input order. Two groups that share a source are
// never fused through a third entry: that source tells two events.
// An anonymous entry names nobody: no actor, and none of its words is a name
// of its evidence ("The transaction, announced in May 2022, ..."). It shares
// no word with its event, so it joins the one named entry of its category
// from other sources whose date nests with its own; beside two candidates
// (or where more than kAnonymousReach entries of that category would have to
// be looked through) it cannot tell which event it tells and stays alone.
// What keeps distinct events of one day apart (several tariff moves of
// 3 February in one story): the verb class (category) must agree except for
// an actor-only entry; within one source two object words are needed and
// evidence names never suffice; a group never fuses with one of its own
// sources; an anonymous entry needs a unique candidate.
// The entry dated by the coarser or earlier date absorbs the other and takes
// the finer date; the title, category and id come from the member that names
// most object terms (the first on a tie). Candidates are found through a
// term index (identity terms and evidence names) that drops groups whose
// dates have passed, so the pass is not quadratic in the number of entries.
//
// Sources that are near-duplicates of each other (merge/near_duplicates.h)
// are reported in Timeline::near_duplicates and count once in each entry's
// `independent_sources`; all of them stay in the provenance.
//
// Deterministic: the result does not depend on the order of the input, so
// merging the outputs of independent mappers in any grouping gives the same
// timeline as one run over everything (merge is associative and commutative).
//
// Scale-out: what is local to a key. merge() is merge_identities() then
// join_identities(), and only the first half is local:
//   - merge_identities reads the mentions of one identity at a time: the
//     date clusters, the conflicts and conflicts_with, the undated join and
//     every event_id depend on that identity's mentions alone. So mentions
//     partitioned by any function of their identity (interchange/shards.h:
//     a hash of it, modulo the bucket count) can be reduced bucket by
//     bucket, and the buckets' entries, stably ordered by identity, and
//     their undated mentions, in mention order, are exactly what
//     merge_identities over everything returns (identities never share an
//     entry before the join; a bucket keeps each identity's entry order).
//     Finer still, merge_identities over one identity's mentions is that
//     identity's part of its result over all of them (ties in mention
//     order keep the input order), which is how a bucket is reduced: an
//     identity at a time, from bucket files sorted by identity.
//   - join_identities is global, and no key of a mention finer than the
//     whole corpus is safe for it under today's rules: an entry that names
//     only its actor joins one of any category on one shared term; an
//     anonymous entry joins the one named entry of its category in reach,
//     but its rival check looks at entries of every category; and dates
//     chain through nesting and adjacent days ("2020s" nests with every day
//     of the decade, "2025" with every day of the year, and a day apart
//     crosses a year's end), so neither category, nor year, nor the two
//     together bound a join's component. Near-duplicate groups and
//     independent_sources need every source's signature. The final step of
//     a bucketed run (annals merge --combine) calls it over the entries of
//     every bucket.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"
#include "merge/mention_queue.h"
#include "merge/near_duplicates.h"

namespace annals::merge {

// How many disagreeing entries an entry names in conflicts_with, at most.
inline constexpr std::size_t kConflictsListed = 20;

// What the merge knows of one source: its metadata and content signature.
struct SourceRecord {
  SourceInfo info;
  Signature signature;
};

struct Options {
  NearDuplicateOptions near_duplicates;
  // Found already (the final step of a bucketed run, from the band steps'
  // pairs, interchange/bands.h): join_identities does not search again.
  std::optional<std::vector<std::vector<std::string>>> near_duplicate_groups;
};

// `mentions` are taken out of the queue as they are placed
// (merge/mention_queue.h says why a queue).
Timeline merge(MentionQueue mentions, std::vector<SourceRecord> sources = {},
               std::vector<Diagnostic> diagnostics = {}, const Options& options = {});

// The identity-local half of merge(): entries (one per date cluster, in
// identity order; conflicts and event ids set; undated mentions of a
// once-only event with one entry joined to it) and the undated mentions (in
// mention order). No sources, no near-duplicates, no join across identities.
// Mentions equal in mention order (one rule at one offset of one file, a
// source kept twice) keep the order of `mentions`.
Timeline merge_identities(MentionQueue mentions);

// The global half: sorts the sources and diagnostics into `t`, finds the
// near-duplicate groups, joins entries across identities, orders the
// entries and counts independent_sources. `t` is what merge_identities
// returns, over all mentions or as the concatenation described above.
Timeline join_identities(Timeline t, std::vector<SourceRecord> sources = {}, std::vector<Diagnostic> diagnostics = {},
                         const Options& options = {});

// The order of Timeline::undated (and of an entry's mentions): by source
// file, then offset, then rule.
bool undated_order(const EventMention& a, const EventMention& b);

// The stable id of an entry: a hash of its identity and date value.
std::string event_id(const std::string& identity, const std::string& date_value);

}  // namespace annals::merge
