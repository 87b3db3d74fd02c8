#pragma once
// Owning handles for the C ABI's objects: each is released by its NULL-safe _free, which
// wipes secrets (tokens, device codes) before the memory goes back to the allocator.

#include <aadcred/aadcred.h>

#include <memory>

namespace aadcred::cli {

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T *p) const noexcept {
        Free(p);
    }
};

using TokenPtr = std::unique_ptr<aadcred_token, Deleter<aadcred_token_free>>;
using UserCodePtr = std::unique_ptr<aadcred_user_code, Deleter<aadcred_user_code_free>>;
using ContextPtr = std::unique_ptr<aadcred_context, Deleter<aadcred_context_free>>;
using ProviderPtr = std::unique_ptr<aadcred_provider, Deleter<aadcred_provider_free>>;
/// A string the library allocated (JSON that may hold tokens): wiped when released.
using LibString = std::unique_ptr<char, Deleter<aadcred_string_free>>;

/// C++23's std::out_ptr in miniature: `rc = aadcred_x_new(out(handle), ...)` hands the
/// C out parameter to `handle` when the full expression ends — so read `handle` only in
/// the next statement.
template <typename Ptr>
class OutParam {
  public:
    explicit OutParam(Ptr &target) : target_(target) {}
    ~OutParam() {
        if (raw_ != nullptr) target_.reset(raw_);
    }
    OutParam(const OutParam &) = delete;
    OutParam &operator=(const OutParam &) = delete;
    operator typename Ptr::pointer *() { return &raw_; }

  private:
    Ptr &target_;
    typename Ptr::pointer raw_ = nullptr;
};

template <typename Ptr>
OutParam<Ptr> out(Ptr &target) {
    return OutParam<Ptr>(target);
}

}  // namespace aadcred::cli
