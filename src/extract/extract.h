// extract — turns one Document into dated event mentions.
//
//   auto result = extract(rules, doc);
//   result.events[0].title == "DeepSeek releases R1", result.events[0].date->value == "2025-01"
//
// An event mention is a match of an [[event]] rule plus the date expression
// that belongs to it: the nearest DATE/TIME expression in the same sentence
// (or paragraph, for rules with date_scope = "paragraph")
// (distance in bytes between the two spans, 0 when they touch or overlap).
// Ties are broken in favour of the date *before* the event ("In 2023, China
// banned ..." is the common news order), then the earlier offset, so the
// choice never depends on rule order. Durations, sets and vague references
// (PRESENT_REF) never attach: they do not place an event on the calendar.
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
