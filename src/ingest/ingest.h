// ingest — turns the SOURCES given on the command line into Documents:
// clean UTF-8 text plus what is known about each source.
//
//   auto files = collect_sources({"sources/"}, diags);   // .txt .md .html, sorted
//   auto doc = read_source(files[0], manifests, rules, options, diags);
//
// Text: HTML is parsed with gumbo (scripts, styles and navigation dropped,
// block elements become paragraph breaks, entities decoded); Markdown is
// rendered with md4c and then read the same way; plain text is kept as is,
// so `annals tag` offsets are byte offsets into the file.
//
// Publication date, first match wins: the --reference-date option; the
// folder's sources.toml manifest; Markdown front matter or HTML <meta>; a
// dateline near the top recognized by the rule pack's [[dateline]] rules.
// Document type (news, narrative: rules/doc_types.h), the same way: the
// --doc-type option, `doc_type` in sources.toml or in front matter (a name
// the pack does not define is reported and left to auto); else the tagger
// chooses (auto).
//
// Bad input never stops the run: an unreadable or binary file, and a folder
// that cannot be read, is reported (Error) and skipped; invalid UTF-8 is
// repaired byte for byte and reported (Warning). Thread-safe: read_source may run on many files at once.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "rules/rules.h"

namespace annals::ingest {

struct Options {
  std::optional<date::sys_days> reference_date;  // overrides every other source of the date
  std::string doc_type;                          // --doc-type: overrides every other source of the type
};

// What sources.toml manifests say, by the absolute, normalized path of the
// file each [[source]] entry names (relative to its manifest's folder).
using Manifests = std::map<std::string, SourceInfo>;

// Expands files and folders (recursively) into the source files to read,
// in path order and deduplicated (core/files.h list_files). A path that
// does not exist, and a folder that cannot be read, are reported (Error)
// with the OS's reason; the rest is still listed.
std::vector<std::filesystem::path> collect_sources(const std::vector<std::string>& inputs, std::vector<Diagnostic>& diags);

// How an output names a path, so that no absolute path of the machine is
// written into a page or file meant to be shared: a relative path that stays
// inside the current folder is kept as given ("sources/a.txt"); any other
// (absolute, or with "..") is named from the last part of what was given:
// the folder's name for a folder ("/home/me/news" -> "news"), the file name
// for a file.
std::string shareable_path(const std::filesystem::path& given);

// The names the outputs give `files` (as collect_sources returns them from
// `inputs`): a file found in folder F is shareable_path(F) joined with its
// path inside F ("/home/me/news/a/b.txt" -> "news/a/b.txt"). Two inputs with
// the same last part keep more of their path, so names stay distinct.
std::vector<std::string> shareable_names(const std::vector<std::filesystem::path>& files, const std::vector<std::string>& inputs);

// Loads the sources.toml of every folder that holds one of `files`.
Manifests load_manifests(const std::vector<std::filesystem::path>& files, std::vector<Diagnostic>& diags);

// Adds the [[source]] entries of one sources.toml (its text; `folder` is
// where it lies, `shown` its name in diagnostics) to `into`.
void read_manifest(std::string_view text, const std::filesystem::path& folder, const std::string& shown, Manifests& into,
                   std::vector<Diagnostic>& diags);

// What a SOURCES folder says about the timeline as a whole (for the page's
// title and the TimelineJS title slide): the [timeline] table of its
// sources.toml,
//   [timeline]
//   title = "China's open-source AI push"
//   description = "What happened when, according to five reports."
// else the `title:` and `description:` front matter of its _index.md (the
// file Hugo and similar tools keep a folder's own metadata in; it is never
// read as a source). The first folder among `inputs` that says something wins.
struct TimelineInfo {
  std::string title, description;
};
TimelineInfo read_timeline_info(const std::vector<std::string>& inputs, std::vector<Diagnostic>& diags);

// Reads and cleans one source. nullopt when it had to be skipped (the reason is in diags).
std::optional<Document> read_source(const std::filesystem::path& file, const Manifests& manifests,
                                    const rules::RuleSet& rules, const Options& options, std::vector<Diagnostic>& diags);

// What the manifests say of `file`, or nullptr.
const SourceInfo* manifest_entry(const Manifests& manifests, const std::filesystem::path& file);

// Builds a Document from text already in memory (`kind` is "txt", "md" or
// "html"). nullopt when it had to be skipped (the reason is in diags).
std::optional<Document> make_document(std::string file, std::string bytes, std::string_view kind,
                                      const rules::RuleSet& rules, const Options& options,
                                      const SourceInfo* manifest_entry, std::vector<Diagnostic>& diags);

// HTML (and Markdown, which is read as the HTML md4c makes of it) nested
// deeper than this is skipped: the HTML5 tree builder's time grows with the
// square of the depth. Real pages stay far below (a few dozen levels).
inline constexpr std::size_t kMaxHtmlDepth = 2000;

// A source larger than this is skipped without being read (a device such as
// /dev/zero: once this much has been read). A long news article is well
// under 1 MiB; the limit keeps one stray file from taking the run's memory.
inline constexpr std::size_t kMaxSourceBytes = std::size_t(64) << 20;

// How deep the elements of `html` nest, as a tag scan estimates it without
// building the tree: start tags minus end tags, not counting void elements
// and those a sibling closes implicitly (<p>, <li>, <td>, ...), comments
// and the text of <script>, <style> and the like skipped.
std::size_t html_nesting_depth(std::string_view html);

// Extracts readable text from HTML; an error when it is nested deeper than
// kMaxHtmlDepth. Exposed for tests.
Result<std::string> html_to_text(std::string_view html);

}  // namespace annals::ingest
