// rules/pattern_text — reading RE2 pattern text without compiling it.
//
// Several load-time readers look for the syntax of a pattern: the groups of
// a rule's prefilter core, its named groups, where a match may start, its
// start bytes. Each needs to step over what only looks like syntax: an
// escaped "(", a ")" in a class, a "]" in "[[:alpha:]]", a literal run
// "\Q(...)\E". That stepping is one concept and lives here, so that the
// readers agree with each other and with RE2 on where every token ends.
#pragma once

#include <cstddef>
#include <string_view>

namespace annals::rules {

// The index just past the character class that opens at p[at] == '[', or
// npos when it is not closed. A ']' first in the class (after an optional
// '^') is a member, an escape is skipped with its argument, "[:name:]" is
// one member where a member begins, and a range's end is one character
// ("[A-[:]" is A to '[', then ':'), as RE2 reads them.
std::size_t class_end(std::string_view p, std::size_t at);

// The index just past the token that starts at p[i]: an escape with what it
// takes ("\x41", "\x{263a}", "\pN", "\p{Greek}", a "\Q...\E" run, any other
// "\c"), a character class, or one byte. An escape or a class that is not
// closed runs to the end of p. Syntax bytes ("(", ")", "|", quantifiers) are
// always tokens of one byte, so a reader that acts only on one-byte tokens
// never mistakes a literal for syntax.
std::size_t token_end(std::string_view p, std::size_t i);

}  // namespace annals::rules
