// render/sink — where a writer's text goes, a piece at a time, so that an
// output file is written out as it is made instead of being held whole.
//
//   StringSink page;                 // tests and callers that want the bytes
//   render_csv(timeline, CsvDialect::Plain, page);
//   use(page.text());
//
// write_outputs (render/output.h) hands each writer a sink that goes to the
// file's temporary name through a buffer. A sink never fails in the writer's
// eyes: a sink that can fail keeps the first error and drops what follows,
// and its owner reports it once the writer is done.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace annals::render {

class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual void write(std::string_view text) = 0;
};

// Collects everything written into one string.
class StringSink final : public OutputSink {
 public:
  void write(std::string_view text) override { text_.append(text); }
  std::string& text() { return text_; }

 private:
  std::string text_;
};

// What `write` writes into a sink, as one string: the string form of a
// streaming writer.
//
//   std::string render_csv(const Timeline& t, CsvDialect d) {
//     return collect_text([&](OutputSink& out) { render_csv(t, d, out); });
//   }
template <typename Write>
std::string collect_text(Write&& write) {
  StringSink sink;
  write(static_cast<OutputSink&>(sink));
  return std::move(sink.text());
}

}  // namespace annals::render
