#include "target.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string_view>

#include "ascii_case.hpp"

namespace gitcred {

namespace {

constexpr std::size_t kMaxHostBytes = 261;  // 255 for the name, ':' and a 5-digit port

using aadcred::frontend::ascii_lower;

bool is_unreserved(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 §2.1: percent-encode every byte `keep` does not allow.
template <typename Keep>
std::string percent_encode(std::string_view in, Keep keep) {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    for (const char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if (keep(c)) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
    return out;
}

// git sends the host as written in the remote URL: a DNS name or an IPv4 address with an
// optional port, or a bracketed IPv6 literal. Anything else (spaces, '/', '@', controls)
// cannot be a host and might smuggle a different URL into `git config --get-urlmatch`.
bool split_host(std::string_view host, std::string &hostname) {
    if (host.empty() || host.size() > kMaxHostBytes) return false;
    std::string_view name = host;
    std::optional<std::string_view> port;
    if (host.front() == '[') {
        const auto close = host.find(']');
        if (close == std::string_view::npos) return false;
        name = host.substr(1, close - 1);
        const std::string_view rest = host.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return false;
            port = rest.substr(1);
        }
        std::array<unsigned char, 16> addr{};
        if (inet_pton(AF_INET6, std::string(name).c_str(), addr.data()) != 1) return false;
    } else {
        const auto colon = host.rfind(':');
        if (colon != std::string_view::npos) {
            name = host.substr(0, colon);
            port = host.substr(colon + 1);
        }
        const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
            return std::isalnum(c) || c == '-' || c == '.' || c == '_';
        });
        if (!ok) return false;
    }
    if (port && (port->empty() || port->size() > 5 ||
                 !std::all_of(port->begin(), port->end(),
                              [](unsigned char c) { return std::isdigit(c); }))) {
        return false;
    }
    hostname = ascii_lower(name);
    return true;
}

}  // namespace

std::optional<Target> target_from(const Credential &credential) {
    const auto protocol = credential.get("protocol");
    const auto host = credential.get("host");
    if (!protocol || !host || protocol->empty()) return std::nullopt;
    Target target;
    if (!split_host(*host, target.hostname)) return std::nullopt;
    target.protocol = ascii_lower(*protocol);
    target.host = std::string(*host);
    if (const auto path = credential.get("path")) target.path = std::string(*path);
    if (const auto user = credential.get("username")) target.username = std::string(*user);
    return target;
}

std::string Target::url() const {
    std::string url = protocol + "://";
    if (!username.empty()) {
        url += percent_encode(username, is_unreserved) + "@";
    }
    url += host;
    if (!path.empty()) {
        // git hands helpers the decoded path; encode it again, keeping RFC 3986 pchars.
        url += "/" + percent_encode(path, [](unsigned char c) {
                   return is_unreserved(c) ||
                          std::string_view("/!$&'()*+,;=:@").find(static_cast<char>(c)) !=
                              std::string_view::npos;
               });
    }
    return url;
}

bool Target::is_loopback() const {
    if (hostname == "localhost") return true;
    std::array<unsigned char, 16> addr{};
    if (inet_pton(AF_INET, hostname.c_str(), addr.data()) == 1) return addr[0] == 127;
    if (inet_pton(AF_INET6, hostname.c_str(), addr.data()) == 1) {
        static constexpr std::array<unsigned char, 16> kLoopback6{0, 0, 0, 0, 0, 0, 0, 0,
                                                                  0, 0, 0, 0, 0, 0, 0, 1};
        return addr == kLoopback6;
    }
    return false;
}

}  // namespace gitcred
