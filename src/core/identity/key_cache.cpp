// The host-wide key cache: one JSON file per authority in a trusted directory
// (key_cache_dir.hpp), its lifetime from the JWK Set reply's Cache-Control, and the
// refetch for an unknown kid rate-limited through the file itself, so the limit holds
// across the processes of many logins.

#include "core/identity/key_cache.hpp"

#include <algorithm>
#include <cstdint>

#include "core/adal_error.hpp"
#include "core/http/authority_requests.hpp"
#include "core/http/http_transport.hpp"
#include "core/json/json.hpp"
#include "util/digest.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace aadcred {
namespace {

using Clock = std::chrono::system_clock;
constexpr int kFileFormat = 1;
// A file fetched "in the future" by more than this (the clock went back) is stale.
constexpr std::chrono::minutes kFutureSlack{5};

std::string authority_id(const Authority &authority) {
    return authority.url() + "|" + std::to_string(static_cast<int>(authority.api()));
}

std::int64_t to_seconds(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Clock::time_point from_seconds(std::int64_t s) {
    return Clock::time_point(std::chrono::seconds(s));
}

std::chrono::seconds bounded(std::chrono::seconds lifetime) {
    return std::clamp(lifetime, kKeyCacheMinLifetime, kKeyCacheMaxLifetime);
}

struct JwksDocument {
    std::string text;
    KeySet keys;
    std::chrono::seconds lifetime;
};

// fetch_jwks() plus what the cache needs of the reply: its text and its max-age.
JwksDocument fetch_document(HttpTransport &transport, const std::string &uri, const Logger &log) {
    constexpr std::string_view operation = "JWK Set";
    log.verbose("Fetching the signing keys for the host cache: " + log.pii(uri));
    const HttpResponse response = get_successful(transport, log, operation, uri);
    std::string text(response.body.reveal());
    KeySet keys = parse_jwks(text);
    const auto header = response.header("cache-control");
    const auto max_age = header ? cache_control_max_age(*header) : std::nullopt;
    return {std::move(text), std::move(keys), bounded(max_age.value_or(kKeyCacheDefaultLifetime))};
}

}  // namespace

std::optional<std::chrono::seconds> cache_control_max_age(std::string_view header) {
    std::optional<std::chrono::seconds> found;
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        constexpr std::string_view name = "max-age=";
        if (item.size() <= name.size() || !iequals_ascii(item.substr(0, name.size()), name))
            continue;
        std::string_view value = item.substr(name.size());
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);  // the quoted form §5.2 tolerates
        if (value.empty() || value.size() > 10 ||
            !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return std::nullopt;
        std::int64_t seconds = 0;
        for (const char c : value) seconds = seconds * 10 + (c - '0');
        if (found) return std::nullopt;  // two max-ages: trust neither
        found = std::chrono::seconds(seconds);
    }
    return found;
}

std::string serialize_cached_keys(const CachedKeys &e) {
    std::string out = "{\"format\":" + std::to_string(kFileFormat) + ",\"authority\":";
    json::append_quoted(out, e.authority);
    out += ",\"fetched\":" + std::to_string(to_seconds(e.fetched));
    out += ",\"lifetime\":" + std::to_string(e.lifetime.count());
    out += ",\"key_refresh\":" + std::to_string(to_seconds(e.key_refresh));
    out += ",\"issuer\":";
    json::append_quoted(out, e.metadata.issuer);
    out += ",\"jwks_uri\":";
    json::append_quoted(out, e.metadata.jwks_uri);
    out += ",\"jwks\":";
    json::append_quoted(out, e.jwks);
    out += "}\n";
    return out;
}

std::optional<CachedKeys> parse_cached_keys(std::string_view text) {
    try {
        const rapidjson::Document doc = json::parse(text, "key cache file");
        if (!doc.IsObject() || json::get_int(doc, "format") != kFileFormat) return std::nullopt;
        CachedKeys e;
        auto authority = json::get_string(doc, "authority");
        auto issuer = json::get_string(doc, "issuer");
        auto jwks_uri = json::get_string(doc, "jwks_uri");
        auto jwks = json::get_string(doc, "jwks");
        const auto fetched = json::get_int(doc, "fetched");
        const auto lifetime = json::get_int(doc, "lifetime");
        const auto key_refresh = json::get_int(doc, "key_refresh");
        if (!authority || !issuer || issuer->empty() || !jwks_uri || jwks_uri->empty() || !jwks ||
            !fetched || !lifetime || !key_refresh || *lifetime < 0)
            return std::nullopt;
        e.authority = std::move(*authority);
        e.metadata = {std::move(*issuer), std::move(*jwks_uri)};
        e.keys = std::make_shared<const KeySet>(parse_jwks(*jwks));
        e.jwks = std::move(*jwks);
        e.fetched = from_seconds(*fetched);
        e.lifetime = bounded(std::chrono::seconds(*lifetime));
        e.key_refresh = from_seconds(*key_refresh);
        return e;
    } catch (const AdalError &) {
        return std::nullopt;  // a damaged file is a miss: the documents are fetched anew
    }
}

std::string key_cache_file_name(const Authority &authority) {
    return sha256_hex(authority_id(authority)) + ".json";
}

HostKeyCache::HostKeyCache(KeyCacheDir dir, Clock clock)
    : dir_(std::move(dir)), clock_(std::move(clock)) {}

Clock::time_point HostKeyCache::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

bool HostKeyCache::usable(const CachedKeys &entry, const std::string &id) const {
    const auto t = now();
    return entry.authority == id && entry.keys && t + kFutureSlack >= entry.fetched &&
           t < entry.fetched + entry.lifetime;
}

void HostKeyCache::store(const Authority &authority, const Logger &log) const {
    std::string why;
    if (!dir_.write(key_cache_file_name(authority), serialize_cached_keys(*entry_), why))
        log.verbose("The signing keys were not written to " + dir_.path() + ": " + why);
}

void HostKeyCache::load_or_fetch(HttpTransport &transport, const Authority &authority,
                                 const Logger &log) {
    const std::string id = authority_id(authority);
    if (entry_ && usable(*entry_, id)) return;
    std::optional<CachedKeys> cached;
    if (const auto text = dir_.read(key_cache_file_name(authority)))
        cached = parse_cached_keys(*text);
    if (cached && usable(*cached, id)) {
        log.verbose("Using the signing keys cached in " + dir_.path());
        entry_ = std::move(cached);
        fetched_here_ = false;
        return;
    }
    CachedKeys fresh;
    fresh.authority = id;
    fresh.metadata = fetch_issuer_metadata(transport, authority, log);
    JwksDocument doc = fetch_document(transport, fresh.metadata.jwks_uri, log);
    fresh.jwks = std::move(doc.text);
    fresh.keys = std::make_shared<const KeySet>(std::move(doc.keys));
    fresh.lifetime = doc.lifetime;
    fresh.fetched = now();
    // An expired file's rate limit still holds: expiry is no licence to refetch twice.
    if (cached && cached->authority == id) fresh.key_refresh = cached->key_refresh;
    entry_ = std::move(fresh);
    fetched_here_ = true;
    store(authority, log);
}

IssuerMetadata HostKeyCache::metadata(HttpTransport &transport, const Authority &authority,
                                      const Logger &log) {
    load_or_fetch(transport, authority, log);
    return entry_->metadata;
}

std::shared_ptr<const SigningKey> HostKeyCache::find_key(HttpTransport &transport,
                                                         const Authority &authority,
                                                         const Logger &log, std::string_view kid,
                                                         std::string_view x5t) {
    load_or_fetch(transport, authority, log);
    const SigningKey *key = entry_->keys->find(kid, x5t);
    if (key == nullptr && !fetched_here_) {
        const auto t = now();
        // A clock set back leaves key_refresh in the future: that must not block for days.
        if (t < entry_->key_refresh || t - entry_->key_refresh >= kMinRefresh) {
            // AAD rolls its keys over: a new kid may mean a newer set, not a forgery.
            log.info("The id_token names a key the cached set lacks; fetching the set again");
            JwksDocument doc = fetch_document(transport, entry_->metadata.jwks_uri, log);
            entry_->jwks = std::move(doc.text);
            entry_->keys = std::make_shared<const KeySet>(std::move(doc.keys));
            entry_->key_refresh = t;
            fetched_here_ = true;
            store(authority, log);
            key = entry_->keys->find(kid, x5t);
        } else {
            log.warning(
                "The id_token names a key the cached set lacks, and the set was "
                "fetched again less than 5 minutes ago: not asking again yet");
        }
    }
    if (key == nullptr) return nullptr;
    return std::shared_ptr<const SigningKey>(entry_->keys, key);
}

}  // namespace aadcred
