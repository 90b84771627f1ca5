// extract — turns one Document into dated event mentions.
//
//   auto result = extract(rules, doc);
//   result.events[0].title == "DeepSeek releases R1", result.events[0].date->value == "2025-01"
//
// How a scan works, linear in the text whatever the size of the pack:
//   1. the date rules tag the text (temporal/tagger.h);
//   2. one pass of RuleSet::event_triggers (every rule's trigger words in one
//      literal alternation) finds each trigger; the sentences are split only
//      when there is one;
//   3. each rule runs only on the sentences that hold one of its triggers
//      (within 600 bytes of them in a very long sentence), with the sentence
//      as the whole text, so its ^ and $ are the sentence's ends and no match
//      runs across a sentence end; a rule whose pattern says where its
//      matches begin (rules::MatchStart: \b, ^, (?:^|\s)) is tried anchored
//      at each such place, which keeps RE2's lazy DFA small, but not where
//      the two bytes there open no match of it (rules/start_bytes.h). A fallback rule is not even tried on a
//      sentence that nothing could date. A match an `exclude` rejects is
//      skipped and the search resumes one byte later;
//   4. event vetoes drop what they overlap (or whole sentences), and a
//      fallback mention gives way to any other rule's mention it overlaps.
//
// An event mention is a match of an [[event]] rule plus the date expression
// that belongs to it: the nearest DATE/TIME expression in the same sentence
// (or paragraph, for rules with date_scope = "paragraph")
// (distance in bytes between the two spans, 0 when they touch or overlap).
// Ties are broken in favour of the date *before* the event ("In 2023, China
// banned ..." is the common news order), then the earlier offset, so the
// choice never depends on rule order. Durations, sets and vague references
// (PRESENT_REF) never attach: they do not place an event on the calendar.
// Without one, the mention takes the date of a heading above it (a line that
// holds only a date, or a list line that opens with one: "March 2024:"), or,
// for a rule with lead_publication_date, the publication day when it stands
// in the source's lead; EventMention::date_basis says which.
// Group texts reach the templates trimmed (cut before a date inside them,
// the pack's dangling words dropped) and with anaphors ("the company")
// replaced by the last named actor of the paragraph ([anaphora]).
// The sentence is kept as evidence.
//
// The dates are read as the document type doc.info.doc_type asks for, or the
// one the tagger chooses (temporal/tagger.h); every mention's source says
// which.
//
// Needs nothing from other documents (so it can run as a mapper).
// Thread-safe: reads the RuleSet only.
#pragma once

#include <vector>

#include "core/types.h"
#include "rules/rules.h"
#include "temporal/tagger.h"

namespace annals::extract {

struct Result {
  std::vector<EventMention> events;  // in text order
  std::vector<DateMention> dates;    // every time expression of the document
  // The source as its dates were read: doc_type and doc_type_from say which
  // document type, and why (the one asked for, or auto's choice).
  SourceInfo source;
  std::vector<Span> sentences;
};

Result extract(const rules::RuleSet& rules, const Document& doc);

}  // namespace annals::extract
