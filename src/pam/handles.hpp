#pragma once
// Owning handles for what libaadcred hands the module, and a string that wipes itself:
// the module sees tokens (the hand-over JSON) and may not use the engine's SecretString
// (front ends include only <aadcred/aadcred.h>).

#include <aadcred/aadcred.h>
#include <string.h>

#include <memory>
#include <string>
#include <string_view>

namespace aadcred_pam {

struct ContextFree {
    void operator()(aadcred_context *p) const noexcept { aadcred_context_free(p); }
};
struct UserCodeFree {
    void operator()(aadcred_user_code *p) const noexcept { aadcred_user_code_free(p); }
};
struct TokenFree {
    void operator()(aadcred_token *p) const noexcept { aadcred_token_free(p); }
};
struct IdentityFree {
    void operator()(aadcred_identity *p) const noexcept { aadcred_identity_free(p); }
};
struct LibStringFree {
    void operator()(char *p) const noexcept { aadcred_string_free(p); }
};

using Context = std::unique_ptr<aadcred_context, ContextFree>;
using UserCode = std::unique_ptr<aadcred_user_code, UserCodeFree>;
using Token = std::unique_ptr<aadcred_token, TokenFree>;
using Identity = std::unique_ptr<aadcred_identity, IdentityFree>;
using LibString = std::unique_ptr<char, LibStringFree>;

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
