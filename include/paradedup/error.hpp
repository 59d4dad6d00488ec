#ifndef PARADEDUP_ERROR_HPP
#define PARADEDUP_ERROR_HPP

#include <cstddef>    // std::size_t
#include <stdexcept>  // std::runtime_error
#include <string>
#include <string_view>

namespace paradedup {

/// Every way a paradedup call can fail. The same codes appear in thrown errors and in the
/// diagnostics of a report.
enum class errc {
  ok = 0,           ///< No error.
  invalid_utf8,     ///< Input bytes are not well-formed UTF-8 (RFC 3629): overlong form,
                    ///< surrogate, code point above U+10FFFF, stray or missing continuation.
  invalid_option,   ///< An options field is out of its documented range.
  io_error,         ///< A file could not be opened, read, or written (the CLI's errors).
  unicode_backend,  ///< ICU failed to load its data or to normalize.
  too_large,        ///< One document holds 2^32-1 or more paragraphs or shingles (tokens),
                    ///< the limit of its 32-bit tables (about 8 GB of English text).
  corrupt_index,    ///< An index file is damaged: bad magic, truncated, checksum mismatch,
                    ///< or an inconsistent section.
  index_mismatch,   ///< An index was made with another format version, other hash-shaping
                    ///< settings, another Unicode version, or (merging) another kind.
};

/// Name of an errc value ("invalid_utf8"), stable, for logs and JSON reports.
[[nodiscard]] constexpr std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::ok: return "ok";
    case errc::invalid_utf8: return "invalid_utf8";
    case errc::invalid_option: return "invalid_option";
    case errc::io_error: return "io_error";
    case errc::unicode_backend: return "unicode_backend";
    case errc::too_large: return "too_large";
    case errc::corrupt_index: return "corrupt_index";
    case errc::index_mismatch: return "index_mismatch";
  }
  return "unknown";
}

/// A problem found in one document that did not stop the run (policy skip or replace).
struct diagnostic {
  errc code = errc::ok;          ///< What went wrong.
  std::size_t byte_offset = 0;   ///< Where, as a byte offset into the document.
  std::string message;           ///< One line for humans, without the input name.
};

/// The exception every paradedup call throws when it cannot do its job.
/// Carries the code and the byte offset in the input where the problem is (0 when none).
class error : public std::runtime_error {
 public:
  /// An error of kind `code` at `byte_offset` of the input (0 when none), saying `what`.
  error(errc code, std::size_t byte_offset, const std::string& what)
      : std::runtime_error(what), code_(code), byte_offset_(byte_offset) {}

  /// Which rule was broken.
  [[nodiscard]] errc code() const noexcept { return code_; }
  /// Byte offset into the input where the problem was found.
  [[nodiscard]] std::size_t byte_offset() const noexcept { return byte_offset_; }

 private:
  errc code_;
  std::size_t byte_offset_;
};

}  // namespace paradedup

#endif  // PARADEDUP_ERROR_HPP
