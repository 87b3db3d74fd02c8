#include "core/adal/cache_driver.hpp"

#include <algorithm>
#include <vector>

#include "core/adal_error.hpp"
#include "util/text.hpp"

namespace aadcred {

namespace {

// ADAL's truthiness of entry['isMRRT'], without its KeyError for entries that lack it.
bool is_mrrt(const TokenEntry &entry) {
    return entry.boolean(key::is_mrrt).value_or(false);
}

// ADAL's _is_mrrt for a new entry: the authority named the resource in its reply.
bool names_resource(const TokenEntry &entry) {
    return !entry.string(key::resource).value_or("").empty();
}

bool has_refresh_token(const TokenEntry &entry) {
    return !entry.secret(key::refresh_token).empty();
}

std::string token_ids(const TokenEntry &entry) {
    std::string text = "AccessTokenId: " + Logger::token_id(entry.secret(key::access_token));
    if (has_refresh_token(entry))
        text += ", RefreshTokenId: " + Logger::token_id(entry.secret(key::refresh_token));
    return text;
}

}  // namespace

struct CacheDriver::Lookup {
    std::optional<TokenEntry> entry;
    bool resource_specific = false;
};

CacheDriver::CacheDriver(TokenCacheBase &cache, std::string authority_url, std::string resource,
                         std::string client_id, Logger log, Refresh refresh, Clock clock)
    : cache_(cache),
      authority_(std::move(authority_url)),
      resource_(std::move(resource)),
      client_id_(std::move(client_id)),
      log_(std::move(log)),
      refresh_(std::move(refresh)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {}

CacheDriver::Lookup CacheDriver::load_single_entry(std::string_view user_id) {
    CacheQuery query;
    query.client_id = client_id_;
    if (!user_id.empty())
        query.user_id = std::string(user_id);
    else
        log_.verbose("No user_id passed for cache query");
    const std::vector<TokenEntry> candidates = cache_.find(query);
    log_.verbose("Found " + std::to_string(candidates.size()) + " potential entries.");

    std::vector<const TokenEntry *> specific;
    for (const auto &candidate : candidates) {
        if (iequals_ascii(candidate.string(key::resource).value_or(""), resource_) &&
            iequals_ascii(candidate.string(key::authority).value_or(""), authority_))
            specific.push_back(&candidate);
    }
    Lookup found;
    if (specific.size() > 1)
        throw AdalError(ErrorClass::invalid,
                        "More than one token matches the criteria. The result is ambiguous.");
    if (specific.size() == 1) {
        log_.verbose("Resource specific token found.");
        found.entry = *specific.front();
        found.resource_specific = true;
    } else {
        log_.verbose("No resource specific cache entries found.");
        auto mrrt = std::find_if(candidates.begin(), candidates.end(), is_mrrt);
        if (mrrt != candidates.end()) {
            log_.verbose("Found an MRRT token.");
            found.entry = *mrrt;
        } else {
            log_.verbose("No MRRT tokens found.");
        }
    }
    if (found.entry) log_.verbose("Returning token from cache lookup, " + token_ids(*found.entry));
    return found;
}

// ADAL's _create_entry_from_refresh: the old entry updated with the reply's fields.
TokenEntry CacheDriver::refreshed_entry(const TokenEntry &entry) {
    const TokenEntry response = refresh_(entry.secret(key::refresh_token));
    TokenEntry fresh = entry;
    for (const auto &[name, value] : response.items()) fresh.set(name, value);
    if (!response.id_token().empty()) fresh.set_id_token(response.id_token());
    // ADFS 2016 and Azure Stack leave resource out of refresh replies; it is part of the
    // cache key, so fill it in (ADAL PR #105).
    if (!response.has(key::resource)) fresh.set_string(key::resource, resource_);
    if (is_mrrt(entry) && !iequals_ascii(entry.string(key::authority).value_or(""), authority_))
        fresh.set_string(key::authority, authority_);
    log_.verbose("Created new cache entry from refresh response.");
    return fresh;
}

std::optional<TokenEntry> CacheDriver::find(std::string_view user_id,
                                            std::chrono::seconds expiry_buffer,
                                            bool refresh_even_if_valid) {
    Lookup found = load_single_entry(user_id);
    if (!found.entry) return std::nullopt;
    TokenEntry &entry = *found.entry;

    if (found.resource_specific) {
        const auto expires_at = entry.expires_at();
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
            (clock_() + expiry_buffer).time_since_epoch());
        // An unreadable expiresOn cannot prove the token valid: treat it as expired.
        const bool valid = expires_at && now.count() <= *expires_at;
        if (valid && !refresh_even_if_valid) return entry;
        if (valid && !has_refresh_token(entry)) {
            // Valid for others, useless for a caller that needs a new token: kept.
            return std::nullopt;
        }
        if (!has_refresh_token(entry)) {
            // ADAL issue #82: an expired entry without a refresh token is dropped.
            log_.info("Cached token is expired and has no refresh token; removing it.");
            cache_.remove({entry});
            return std::nullopt;
        }
        log_.info(valid ? "A new token is asked for. Refreshing"
                        : "Cached token is expired. Refreshing");
        TokenEntry fresh = refreshed_entry(entry);
        cache_.remove({entry});
        add(fresh);
        log_.info("Returning token refreshed after expiry.");
        return fresh;
    }

    // Not for this resource: an MRRT entry (the only kind load_single_entry returns
    // here) is redeemed for the requested resource; the original stays cached.
    if (!has_refresh_token(entry)) {
        cache_.remove({entry});
        return std::nullopt;
    }
    log_.info("Acquiring new access token from MRRT token.");
    TokenEntry fresh = refreshed_entry(entry);
    add(fresh);
    log_.info("Returning token derived from mrrt refresh.");
    return fresh;
}

void CacheDriver::update_refresh_tokens(const TokenEntry &entry) {
    if (!names_resource(entry) || !has_refresh_token(entry)) return;
    CacheQuery query;
    query.client_id = client_id_;
    query.is_mrrt = true;
    // ADAL passes None here for an entry without userId, which matches every user's
    // entries; "" matches only the entries that have no userId either.
    query.user_id = std::string(entry.string(key::user_id).value_or(""));
    std::vector<TokenEntry> mrrt = cache_.find(query);
    std::erase_if(mrrt, [](const TokenEntry &e) { return !is_mrrt(e); });
    if (mrrt.empty()) return;
    log_.verbose("Updating " + std::to_string(mrrt.size()) + " cached refresh tokens");
    cache_.remove(mrrt);
    for (auto &other : mrrt) other.set(key::refresh_token, entry.secret(key::refresh_token));
    cache_.add(mrrt);
}

void CacheDriver::add(TokenEntry &entry) {
    log_.verbose("Adding entry " + token_ids(entry));
    // ADAL's _argument_entry_with_cached_metadata.
    if (!entry.has(key::client_id) || !entry.has(key::authority)) {
        if (names_resource(entry)) {
            log_.verbose("Added entry is MRRT");
            entry.set(key::is_mrrt, true);
        } else {
            entry.set_string(key::resource, resource_);
        }
        entry.set_string(key::client_id, client_id_);
        entry.set_string(key::authority, authority_);
    }
    update_refresh_tokens(entry);
    cache_.add({entry});
}

}  // namespace aadcred
