#pragma once
// Input the CLI takes from FILE or stdin ("-"): client secrets, passwords, codes, keys,
// user code info and caches. Never from argv, which other users can read in /proc. Every
// read has a hard cap (a wrong file or an endless pipe must not be slurped) and lands in a
// string that wipes itself.

#include <cstddef>
#include <string>
#include <string_view>

namespace aadcred::cli {

/// A string that wipes itself: what it holds may be a secret.
class WipedString {
  public:
    WipedString() = default;
    ~WipedString();
    WipedString(const WipedString &) = delete;
    WipedString &operator=(const WipedString &) = delete;
    std::string &text() { return text_; }
    const char *c_str() const { return text_.c_str(); }
    bool empty() const { return text_.empty(); }

  private:
    std::string text_;
};

/// Appends FILE, or stdin for "-", to `out`, which is reserved to `cap` first so that
/// growth never leaves an unwiped copy on the heap. Throws ConfigError (exit 2):
/// "<label>: <strerror>" when FILE cannot be opened or read, "<label>: <too_big>" when the
/// input is larger than `cap` bytes.
void read_input(const std::string &path, std::size_t cap, const std::string &label,
                std::string_view too_big, std::string &out);

/// "stdin" for "-", else `path`: how messages name an input.
std::string input_name(const std::string &path);

/// Reads the secret that option `--<option> FILE|-` names into `out` (see read_input; the
/// label is "--<option> FILE" or "--<option> stdin"). With `strip_line_breaks` trailing CR
/// and LF go, since `echo s3cr3t > F` must not send "s3cr3t\n" (keys in PEM keep theirs).
/// Throws ConfigError when the result is empty.
void read_secret(std::string_view option, const std::string &path, std::size_t cap,
                 bool strip_line_breaks, WipedString &out);

}  // namespace aadcred::cli
