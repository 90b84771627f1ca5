// eval/timeml — reads TimeML gold files and writes TimeML, for measuring the
// date tagger against annotated corpora (TempEval-3 TBAQ, TimeBank).
//
//   auto gold = parse_timeml(bytes, "ABC19980108.tml");   // a Result<GoldDocument>
//   gold->text       the plain text of <TEXT>, tags removed, entities decoded
//   gold->reference  the <DCT> TIMEX3's value as a day (the reference date)
//   gold->timexes    every TIMEX3 inside <TEXT>, as spans into gold->text
//
// Only <TEXT> is kept: that is what is tagged and scored. The DCT timex is the
// reference date, never a scored expression. Parsing is a tolerant tag
// scanner (TimeML is flat XML): an unknown tag is dropped, an unclosed TIMEX3
// fails the parse and the document should be skipped.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace annals::eval {

// One gold TIMEX3.
struct GoldTimex {
  Span span;            // into GoldDocument::text
  std::string text;
  std::string type;     // DATE, TIME, DURATION, SET
  std::string value;    // TimeML value as annotated
  std::string mod;      // empty when absent
};

struct GoldDocument {
  std::string file;
  std::string text;
  std::optional<date::sys_days> reference;
  std::vector<GoldTimex> timexes;   // in text order
};

// Fails when the bytes cannot be read as TimeML (no <TEXT>, an unterminated
// tag, nested or unclosed TIMEX3): the message says which and where.
[[nodiscard]] Result<GoldDocument> parse_timeml(std::string_view bytes, std::string file);

// Writes `text` as a TimeML document with a TIMEX3 tag around each mention
// (mentions must be in text order and not overlap), with an optional DCT.
std::string write_timeml(std::string_view text, const std::vector<DateMention>& mentions,
                         std::optional<date::sys_days> reference);

}  // namespace annals::eval
