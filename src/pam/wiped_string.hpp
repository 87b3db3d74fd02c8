#pragma once
// A string that wipes itself: the module holds tokens (the hand-over JSON) and may not use
// the engine's SecretString (front ends include only <aadcred/...>).

#include <string.h>

#include <string>
#include <string_view>

namespace aadcred_pam {

/// A std::string whose bytes are wiped (explicit_bzero) when it is destroyed.
class WipedString {
  public:
    WipedString() = default;
    explicit WipedString(std::string_view text) : text_(text) {}
    WipedString(const WipedString &) = delete;
    WipedString &operator=(const WipedString &) = delete;
    ~WipedString() { explicit_bzero(text_.data(), text_.capacity()); }

    std::string &str() noexcept { return text_; }
    const std::string &str() const noexcept { return text_; }

  private:
    std::string text_;
};

}  // namespace aadcred_pam
