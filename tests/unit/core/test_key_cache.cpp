// The host-wide key cache (core/key_cache.hpp): a new HostKeyCache stands for a new login
// process, a real directory for the host's /var/cache/aadcred/keys. What it must show:
// a warm directory answers without the network, lifetimes come from Cache-Control, an
// unknown kid refetches once and then not again for five minutes, and a directory or file
// another user could write is never believed.

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "../common/jws_fixture.hpp"
#include "../common/temp_dir.hpp"
#include "core/adal_error.hpp"
#include "core/http/http_transport.hpp"
#include "core/identity/key_cache.hpp"
#include "core/oauth2/authority.hpp"
#include "util/log.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

using aadcred::ApiKind;
using aadcred::Authority;
using aadcred::HostKeyCache;
using aadcred::KeyCacheDir;
using aadcred::test::jwks;
using aadcred::test::TestKey;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::unique_ptr<TestKey> g_key;
std::unique_ptr<TestKey> g_new_key;

int setup(void **) {
    g_key = std::make_unique<TestKey>(2048, "key-1");
    g_new_key = std::make_unique<TestKey>(2048, "key-2");
    return 0;
}

int teardown(void **) {
    g_key.reset();
    g_new_key.reset();
    return 0;
}

constexpr const char *kBase = "https://login.example.test/contoso";
const std::string kDiscovery = std::string(kBase) + "/.well-known/openid-configuration";
const std::string kKeys = "https://keys.example.test/contoso/keys";

// The authority: discovery and keys, with the Cache-Control the test sets; counts requests.
class FakeAuthority final : public aadcred::HttpTransport {
  public:
    std::string keys = jwks({g_key->jwk()});
    std::string cache_control;
    std::map<std::string, int> asked;

    aadcred::HttpResponse send(const aadcred::HttpRequest &request) override {
        ++asked[request.url];
        aadcred::HttpResponse r;
        r.status = 200;
        if (request.url == kDiscovery) {
            r.body = aadcred::SecretString(
                "{\"issuer\":\"https://sts.windows.net/{tenantid}/\","
                "\"jwks_uri\":\"" +
                kKeys + "\"}");
        } else if (request.url == kKeys) {
            r.body = aadcred::SecretString(keys);
            if (!cache_control.empty()) r.headers.emplace_back("cache-control", cache_control);
        } else {
            r.status = 404;
        }
        return r;
    }
    int total() const {
        int n = 0;
        for (const auto &[url, count] : asked) n += count;
        return n;
    }
};

const aadcred::Logger &log() {
    static const aadcred::Logger logger("test", "");
    return logger;
}

struct World {
    unit_test::TempDir temp;
    std::string dir = temp.path();
    FakeAuthority authority;
    Authority aad{kBase, false, ApiKind::v1};
    std::chrono::system_clock::time_point now{std::chrono::seconds(1'800'000'000)};

    World() { chmod(dir.c_str(), 0755); }

    // A new login process: a new cache object on the same directory.
    HostKeyCache login() {
        auto opened = KeyCacheDir::open(dir);
        assert_true(std::holds_alternative<KeyCacheDir>(opened));
        return HostKeyCache(std::get<KeyCacheDir>(std::move(opened)), [this] { return now; });
    }
    bool verifies_with(const char *kid) {
        HostKeyCache cache = login();
        assert_string_equal(cache.metadata(authority, aad, log()).issuer.c_str(),
                            "https://sts.windows.net/{tenantid}/");
        return cache.find_key(authority, aad, log(), kid, "") != nullptr;
    }
    std::string file() const { return dir + "/" + aadcred::key_cache_file_name(aad); }
};

void a_warm_directory_answers_without_the_network(void **) {
    World w;
    assert_true(w.verifies_with("key-1"));
    assert_int_equal(w.authority.asked[kDiscovery], 1);
    assert_int_equal(w.authority.asked[kKeys], 1);
    w.now += 1h;
    assert_true(w.verifies_with("key-1"));
    assert_true(w.verifies_with("key-1"));
    assert_int_equal(w.authority.total(), 2);  // the first login's two requests, no more
}

void the_file_is_public_whole_and_named_by_a_hash(void **) {
    World w;
    assert_true(w.verifies_with("key-1"));
    struct stat st {};
    assert_int_equal(stat(w.file().c_str(), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    std::vector<std::string> names;
    for (const auto &e : fs::directory_iterator(w.dir)) names.push_back(e.path().filename());
    assert_int_equal(names.size(), 1);  // no temporary copy left beside it
    assert_int_equal(names[0].size(), 64 + 5);
    assert_null(std::strstr(names[0].c_str(), "contoso"));
}

void the_lifetime_is_the_keys_max_age_within_bounds(void **) {
    World w;
    w.authority.cache_control = "private, max-age=3600";
    assert_true(w.verifies_with("key-1"));
    w.now += 59min;
    assert_true(w.verifies_with("key-1"));
    assert_int_equal(w.authority.total(), 2);
    w.now += 2min;  // past the hour: both documents again
    assert_true(w.verifies_with("key-1"));
    assert_int_equal(w.authority.asked[kDiscovery], 2);
    assert_int_equal(w.authority.asked[kKeys], 2);

    World tiny;  // max-age=10 still keeps the set five minutes
    tiny.authority.cache_control = "max-age=10";
    assert_true(tiny.verifies_with("key-1"));
    tiny.now += 4min;
    assert_true(tiny.verifies_with("key-1"));
    assert_int_equal(tiny.authority.total(), 2);

    World huge;  // a week is cut to a day; so is no header at all
    huge.authority.cache_control = "max-age=604800";
    assert_true(huge.verifies_with("key-1"));
    huge.now += 23h;
    assert_true(huge.verifies_with("key-1"));
    assert_int_equal(huge.authority.total(), 2);
    huge.now += 2h;
    assert_true(huge.verifies_with("key-1"));
    assert_int_equal(huge.authority.total(), 4);
}

void cache_control_is_read_strictly(void **) {
    using aadcred::cache_control_max_age;
    assert_true(cache_control_max_age("max-age=86400, private") == 86400s);
    assert_true(cache_control_max_age("public,MAX-AGE=60") == 60s);
    assert_true(cache_control_max_age("max-age=\"120\"") == 120s);
    assert_false(cache_control_max_age("no-store").has_value());
    assert_false(cache_control_max_age("max-age=-1").has_value());
    assert_false(cache_control_max_age("max-age=1e9").has_value());
    assert_false(cache_control_max_age("max-age=5, max-age=6").has_value());
    assert_false(cache_control_max_age("s-maxage=60").has_value());
}

void a_rollover_is_picked_up_at_once_and_shared(void **) {
    World w;
    assert_true(w.verifies_with("key-1"));
    w.authority.keys = jwks({g_new_key->jwk()});  // the authority rolled over
    w.now += 30s;
    assert_true(w.verifies_with("key-2"));
    assert_int_equal(w.authority.asked[kKeys], 2);
    assert_int_equal(w.authority.asked[kDiscovery], 1);  // the keys only
    // The next login finds the new set in the file.
    assert_true(w.verifies_with("key-2"));
    assert_int_equal(w.authority.asked[kKeys], 2);
}

void an_unknown_kid_refetches_at_most_every_five_minutes(void **) {
    World w;
    assert_true(w.verifies_with("key-1"));
    assert_false(w.verifies_with("forged-1"));  // one refetch: it could be a rollover
    assert_int_equal(w.authority.asked[kKeys], 2);
    w.now += 1min;
    for (const char *kid : {"forged-2", "forged-3", "forged-4"}) assert_false(w.verifies_with(kid));
    assert_int_equal(w.authority.asked[kKeys], 2);  // every other login: no request
    assert_true(w.verifies_with("key-1"));
    // A real rollover inside the five minutes waits for them; after, it is found.
    w.authority.keys = jwks({g_key->jwk(), g_new_key->jwk()});
    assert_false(w.verifies_with("key-2"));
    w.now += 4min;
    assert_true(w.verifies_with("key-2"));
    assert_int_equal(w.authority.asked[kKeys], 3);
}

void an_expired_file_keeps_its_rate_limit(void **) {
    World w;
    w.authority.cache_control = "max-age=300";
    assert_true(w.verifies_with("key-1"));
    w.now += 1min;
    assert_false(w.verifies_with("forged-1"));  // the one refetch
    assert_int_equal(w.authority.asked[kKeys], 2);
    w.now += 270s;  // the file expired: both documents anew, nothing more for this kid
    assert_false(w.verifies_with("forged-2"));
    assert_int_equal(w.authority.asked[kKeys], 3);
    w.now += 10s;  // a fresh file, but the last refetch for a kid was 4m40s ago
    assert_false(w.verifies_with("forged-3"));
    assert_int_equal(w.authority.asked[kKeys], 3);
    w.now += 20s;
    assert_false(w.verifies_with("forged-4"));
    assert_int_equal(w.authority.asked[kKeys], 4);
}

void a_directory_another_user_could_write_is_refused(void **) {
    World w;
    for (const mode_t mode : {0777, 0775, 0757, 01777}) {
        chmod(w.dir.c_str(), mode);
        auto opened = KeyCacheDir::open(w.dir);
        assert_true(std::holds_alternative<KeyCacheDir::Refused>(opened));
        assert_non_null(std::strstr(std::get<KeyCacheDir::Refused>(opened).why.c_str(),
                                    "group or others may write"));
    }
    chmod(w.dir.c_str(), 0755);
    const std::string link = w.dir + "-link";
    assert_int_equal(symlink(w.dir.c_str(), link.c_str()), 0);
    assert_true(std::holds_alternative<KeyCacheDir::Refused>(KeyCacheDir::open(link)));
    unlink(link.c_str());
    assert_true(std::holds_alternative<KeyCacheDir::Refused>(KeyCacheDir::open("relative/dir")));
    assert_true(
        std::holds_alternative<KeyCacheDir::Refused>(KeyCacheDir::open(w.dir + "/missing")));
    if (geteuid() == 0) {  // someone else's directory, however tight its mode
        assert_int_equal(chown(w.dir.c_str(), 65534, 65534), 0);
        auto opened = KeyCacheDir::open(w.dir);
        assert_true(std::holds_alternative<KeyCacheDir::Refused>(opened));
        assert_non_null(
            std::strstr(std::get<KeyCacheDir::Refused>(opened).why.c_str(), "uid 65534"));
        assert_int_equal(chown(w.dir.c_str(), 0, 0), 0);
    }
}

void a_file_others_could_write_is_not_believed(void **) {
    World w;
    assert_true(w.verifies_with("key-1"));
    // Someone made the file group-writable (or planted one): it is a miss, fetched again.
    chmod(w.file().c_str(), 0666);
    assert_true(w.verifies_with("key-1"));
    assert_int_equal(w.authority.asked[kKeys], 2);
    struct stat st {};
    assert_int_equal(stat(w.file().c_str(), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);  // and replaced by a good one
    if (geteuid() == 0) {
        assert_int_equal(chown(w.file().c_str(), 65534, 65534), 0);
        assert_true(w.verifies_with("key-1"));
        assert_int_equal(w.authority.asked[kKeys], 3);
    }
}

void a_damaged_or_foreign_file_is_a_miss(void **) {
    World w;
    assert_true(w.verifies_with("key-1"));
    const std::string good = [&] {
        std::ifstream in(w.file());
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    auto entry = aadcred::parse_cached_keys(good);
    assert_true(entry.has_value());
    for (const std::string &bad :
         {good.substr(0, good.size() / 2), std::string("{}"), std::string(good.size(), 'x')}) {
        std::ofstream(w.file(), std::ios::trunc) << bad;
        assert_true(w.verifies_with("key-1"));
    }
    assert_int_equal(w.authority.asked[kKeys], 4);
    // Another authority's entry under this name (a copied file) is not this one's.
    entry->authority = "https://login.example.test/fabrikam|0";
    std::ofstream(w.file(), std::ios::trunc) << aadcred::serialize_cached_keys(*entry);
    assert_true(w.verifies_with("key-1"));
    assert_int_equal(w.authority.asked[kKeys], 5);
    // A file "fetched" an hour in the future (the clock went back) is stale.
    entry = aadcred::parse_cached_keys(good);
    entry->fetched = w.now + 1h;
    std::ofstream(w.file(), std::ios::trunc) << aadcred::serialize_cached_keys(*entry);
    assert_true(w.verifies_with("key-1"));
    assert_int_equal(w.authority.asked[kKeys], 6);
}

void a_read_only_directory_is_still_read(void **) {
    if (geteuid() == 0) skip();  // root writes through any mode
    World w;
    assert_true(w.verifies_with("key-1"));
    chmod(w.dir.c_str(), 0555);  // as a user's process under root's directory
    w.authority.keys = jwks({g_new_key->jwk()});
    assert_true(w.verifies_with("key-2"));  // fetched, not stored, still verified
    const int asked = w.authority.total();
    assert_true(w.verifies_with("key-1"));  // the file, as root left it, still answers
    assert_int_equal(w.authority.total(), asked);
    chmod(w.dir.c_str(), 0755);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_warm_directory_answers_without_the_network),
        cmocka_unit_test(the_file_is_public_whole_and_named_by_a_hash),
        cmocka_unit_test(the_lifetime_is_the_keys_max_age_within_bounds),
        cmocka_unit_test(cache_control_is_read_strictly),
        cmocka_unit_test(a_rollover_is_picked_up_at_once_and_shared),
        cmocka_unit_test(an_unknown_kid_refetches_at_most_every_five_minutes),
        cmocka_unit_test(an_expired_file_keeps_its_rate_limit),
        cmocka_unit_test(a_directory_another_user_could_write_is_refused),
        cmocka_unit_test(a_file_others_could_write_is_not_believed),
        cmocka_unit_test(a_damaged_or_foreign_file_is_a_miss),
        cmocka_unit_test(a_read_only_directory_is_still_read),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
