// rules/doc_types — document types: how a kind of text anchors the dates it
// leaves incomplete, read from the rule pack's [doc_types] table.
//
//   [doc_types]
//   default = "news"                 # a source nobody says anything about
//   undated = "narrative"            # auto: a source without a publication date
//   past = "narrative"               # auto: a source whose dates lie mostly years before it
//   past_years = 2                   #   "years before": ending more than 2 years before it
//   past_share = 0.5                 #   "mostly": at least half of its absolute dates
//   past_min = 3                     #   and at least 3 of them
//   past_precision = "month"         #   counting dates written to the month or day
//   [doc_types.news]
//   ref = "published"                              # what "today", "last year" count from
//   anchor = "paragraph.last_absolute.opening@year<published | published"   # what "on 7 August" counts from
//   [doc_types.narrative]
//   ref = "last_named | published"
//   anchor = "last_named | published"
//
// An anchor expression lists alternatives; the first that gives a date fine
// enough for the expression at hand wins (temporal/normalize.h: a weekday
// needs a day, "March" a year):
//   published              the source's publication date
//   last_named             the latest date the text named before the
//                          expression (any resolved DATE or TIME on the calendar)
//   last_absolute          the same, among dates written in full ("7 August 1914",
//                          "1990"), not worked out from another date
//   paragraph.X            X, among the dates of the expression's paragraph
//   X.opening              X, among dates that open their sentence (at most
//                          one word before them: "On 3 March 2019, ...")
//   X:P                    X among dates at least as precise as P (a month:
//                          "June 2019", "3 June 2019"; not "2019")
//   X@G                    X taken at granularity G (year, quarter, month,
//                          week, day): last_named@year is the year of the latest
//                          date that lies inside one year
//   X<published            X only when it lies before the publication date at
//                          its granularity (a past year for X@year)
//
// A pack without [doc_types] has one type, news, whose bases are both the
// publication date. Knows no English: the names are the pack's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace annals::rules {

struct AnchorTerm {
  enum class Source { Published, LastNamed, LastAbsolute };
  Source source = Source::Published;
  bool paragraph = false;                // only dates of the expression's paragraph
  bool opening = false;                  // only dates that open their sentence
  std::optional<Granularity> precision;  // :P
  std::optional<Granularity> at;         // @G
  bool before_published = false;         // <published
};

struct AnchorExpression {
  std::string text;                      // as written
  std::vector<AnchorTerm> terms;         // alternatives, in order
};

// Parses an anchor expression; the error says what is wrong and where
// ("at column 12: unknown granularity \"yaer\"").
Result<AnchorExpression> parse_anchor_expression(std::string_view text);

struct DocType {
  std::string name;
  std::string comment;
  AnchorExpression ref;                  // the base of deictic expressions (`ref`)
  AnchorExpression anchor;               // the base of underspecified ones (`anchor`)
};

// How `auto` chooses a source's type (see the table above).
struct AutoDocType {
  std::string undated;                   // empty: the default
  std::string past;                      // empty: never by the dates
  int past_years = 2;
  double past_share = 0.5;
  int past_min = 3;
  Granularity past_precision = Granularity::Year;  // dates at least this precise count
};

struct DocTypes {
  std::vector<DocType> types;            // in the order the pack defines them
  std::string default_type = "news";
  AutoDocType automatic;

  const DocType* find(std::string_view name) const;
  // "news, narrative", for messages.
  std::string names() const;
};

// The types of a pack that has no [doc_types]: news only, both bases on the
// publication date.
DocTypes builtin_doc_types();

}  // namespace annals::rules
