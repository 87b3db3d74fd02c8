#include "core/adal/token_cache.hpp"

#include <algorithm>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "util/text.hpp"

namespace aadcred {

namespace {

// ADAL's find: `is_mrrt == entry.get('isMRRT')`. Python's == makes True equal 1 and 1.0
// (False: 0 and 0.0) but never None, a string or a missing key, so an entry without
// isMRRT answers neither is_mrrt=true nor is_mrrt=false (SPEC §3: such entries are
// handled, as ADAL handles them).
bool same_is_mrrt(const TokenEntry &entry, bool wanted) {
    const EntryValue *value = entry.find(key::is_mrrt);
    if (value == nullptr) return false;
    if (const bool *b = std::get_if<bool>(value)) return *b == wanted;
    if (const std::int64_t *i = std::get_if<std::int64_t>(value)) return *i == (wanted ? 1 : 0);
    if (const RawJson *raw = std::get_if<RawJson>(value)) {
        const std::optional<rapidjson::Document> doc = json::try_parse(raw->text);
        return doc && doc->IsNumber() && doc->GetDouble() == (wanted ? 1.0 : 0.0);
    }
    return false;
}

// ADAL's find compares userId and _clientId without case and treats None like '' (§1.2).
bool matches(const TokenEntry &entry, const CacheQuery &query) {
    if (query.is_mrrt && !same_is_mrrt(entry, *query.is_mrrt)) return false;
    if (query.user_id &&
        !iequals_ascii(entry.string(key::user_id).value_or(std::string_view{}), *query.user_id)) {
        return false;
    }
    if (query.client_id && !iequals_ascii(entry.string(key::client_id).value_or(std::string_view{}),
                                          *query.client_id)) {
        return false;
    }
    return true;
}

// Python dict assignment: an existing key keeps its position and takes the new value.
void put(std::vector<TokenEntry> &entries, const TokenEntry &entry) {
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const TokenEntry &e) { return same_cache_key(e, entry); });
    if (it != entries.end()) {
        *it = entry;
    } else {
        entries.push_back(entry);
    }
}

std::vector<TokenEntry> parse_state(std::string_view state) {
    // The whole cache is refresh tokens: parsed into memory that is wiped when freed.
    json::SecretDocument doc;
    try {
        doc = json::parse_secret(state, "token cache");
    } catch (const AdalError &e) {
        throw AdalError(ErrorClass::invalid, "Invalid token cache: " + e.message());
    }
    if (!doc.IsArray()) {
        throw AdalError(ErrorClass::invalid, "Invalid token cache: not a JSON array");
    }
    std::vector<TokenEntry> entries;
    entries.reserve(doc.Size());
    for (const auto &item : doc.GetArray()) {
        if (!item.IsObject()) {
            throw AdalError(ErrorClass::invalid,
                            "Invalid token cache: an element is not a JSON object");
        }
        // Tolerant reader: entries written by other ADAL users (Azure CLI's
        // accessTokens.json) may lack keys; they are kept as they are.
        try {
            put(entries, TokenEntry::from_value(item));
        } catch (const AdalError &e) {
            throw AdalError(ErrorClass::invalid, "Invalid token cache: " + e.message());
        }
    }
    return entries;
}

}  // namespace

TokenCache::TokenCache(std::string_view state) {
    // ADAL: `if state: self.deserialize(state)`, then has_state_changed = False.
    if (!state.empty()) deserialize(state);
    set_state_changed(false);
}

std::vector<TokenEntry> TokenCache::find(const CacheQuery &query) const {
    std::lock_guard lock(mutex_);
    std::vector<TokenEntry> found;
    for (const auto &entry : entries_) {
        if (matches(entry, query)) found.push_back(entry);
    }
    return found;
}

void TokenCache::add(const std::vector<TokenEntry> &entries) {
    std::lock_guard lock(mutex_);
    for (const auto &entry : entries) put(entries_, entry);
    // ADAL sets the flag unconditionally, even for an empty list.
    has_state_changed_ = true;
}

void TokenCache::remove(const std::vector<TokenEntry> &entries) {
    std::lock_guard lock(mutex_);
    for (const auto &entry : entries) {
        auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const TokenEntry &e) { return same_cache_key(e, entry); });
        if (it != entries_.end()) {
            entries_.erase(it);
            has_state_changed_ = true;  // ADAL: only when something was removed
        }
    }
}

std::string TokenCache::serialize() const {
    std::lock_guard lock(mutex_);
    // json.dumps(list(...)): ", " between elements, "[]" when empty.
    std::string out = "[";
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (i > 0) out += ", ";
        out += entries_[i].to_python_json();
    }
    out += "]";
    return out;
}

void TokenCache::deserialize(std::string_view state) {
    std::vector<TokenEntry> parsed = parse_state(state);  // parse first: failure changes nothing
    std::lock_guard lock(mutex_);
    entries_ = std::move(parsed);
}

std::vector<TokenEntry> TokenCache::read_items() const {
    std::lock_guard lock(mutex_);
    return entries_;
}

bool TokenCache::has_state_changed() const {
    std::lock_guard lock(mutex_);
    return has_state_changed_;
}

void TokenCache::set_state_changed(bool changed) {
    std::lock_guard lock(mutex_);
    has_state_changed_ = changed;
}

std::size_t TokenCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

bool same_cache_key(const TokenEntry &a, const TokenEntry &b) {
    for (const std::string_view k : {key::authority, key::resource, key::client_id, key::user_id}) {
        if (!iequals_ascii(a.string(k).value_or(std::string_view{}),
                           b.string(k).value_or(std::string_view{})))
            return false;
    }
    return true;
}

}  // namespace aadcred
