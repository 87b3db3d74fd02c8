#pragma once
// A string that wipes its bytes when it is destroyed or overwritten, for access tokens,
// refresh tokens, device codes and client secrets. Copies are allowed (each copy wipes
// itself); the logger never receives one (see util/log.hpp).

#include <string>
#include <string_view>

namespace aadcred {

/// Overwrites `size` bytes at `data` in a way the compiler may not optimise away.
void secure_wipe(void *data, std::size_t size) noexcept;

/// Wipes the whole capacity of `s`, then clears it.
void secure_wipe(std::string &s) noexcept;

class SecretString {
public:
    SecretString() = default;
    explicit SecretString(std::string value) : value_(std::move(value)) {}
    explicit SecretString(std::string_view value) : value_(value) {}
    SecretString(const SecretString &other) : value_(other.value_) {}
    SecretString(SecretString &&other) noexcept : value_(std::move(other.value_)) {
        secure_wipe(other.value_);
    }
    SecretString &operator=(const SecretString &other) {
        if (this != &other) {
            secure_wipe(value_);
            value_ = other.value_;
        }
        return *this;
    }
    SecretString &operator=(SecretString &&other) noexcept {
        if (this != &other) {
            secure_wipe(value_);
            value_ = std::move(other.value_);
            secure_wipe(other.value_);
        }
        return *this;
    }
    ~SecretString() { secure_wipe(value_); }

    const std::string &reveal() const noexcept { return value_; }
    const char *c_str() const noexcept { return value_.c_str(); }
    bool empty() const noexcept { return value_.empty(); }
    std::size_t size() const noexcept { return value_.size(); }
    bool operator==(const SecretString &other) const noexcept;

private:
    std::string value_;
};

}  // namespace aadcred
