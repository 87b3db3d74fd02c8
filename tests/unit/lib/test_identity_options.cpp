// aadcred_identity_options through the C ABI: version 2 added key_cache_dir at the end,
// and a version 1 caller's struct (which ends before it) must still work and never have
// the bytes after it read. The token here has no id_token, so each call stops at that
// check: whatever fails before it is an argument the library refused.

#include <cstddef>

#include "lib_test.hpp"

namespace {

// What a program built against version 1 of the header passes.
struct IdentityOptionsV1 {
    unsigned int version;
    const char *client_id;
    const char *allowed_tenants;
    int clock_skew;
    aadcred_key_cache *key_cache;
};

struct Fixture {
    aadcred_context *context = nullptr;
    aadcred_token_cache *cache = nullptr;
    aadcred_token *token = nullptr;

    Fixture() {
        aadcred_context_options options = AADCRED_CONTEXT_OPTIONS_INIT;
        options.validate_authority = 0;
        assert_int_equal(aadcred_context_new(&context, kAuthority, &options), 0);
        assert_int_equal(aadcred_token_cache_new(&cache, kFreshCache), 0);
        assert_int_equal(aadcred_token_cache_get_item(&token, cache, 0), 0);
    }
    ~Fixture() {
        aadcred_token_free(token);
        aadcred_token_cache_free(cache);
        aadcred_context_free(context);
    }
    int verify(const aadcred_identity_options *options) {
        aadcred_identity *identity = nullptr;
        const int rc = aadcred_context_verify_id_token(&identity, context, token, options);
        aadcred_identity_free(identity);
        return rc;
    }
};

void init_is_version_2_without_a_directory(void **) {
    const aadcred_identity_options options = AADCRED_IDENTITY_OPTIONS_INIT;
    assert_int_equal(options.version, 2);
    assert_int_equal(AADCRED_IDENTITY_OPTIONS_VERSION, 2);
    assert_null(options.key_cache_dir);
    static_assert(offsetof(aadcred_identity_options, key_cache_dir) ==
                  sizeof(IdentityOptionsV1));  // grown at the end only
}

void a_relative_directory_is_refused(void **) {
    Fixture f;
    aadcred_identity_options options = AADCRED_IDENTITY_OPTIONS_INIT;
    options.client_id = "client-1";
    options.key_cache_dir = "var/cache/aadcred/keys";
    expect_error(f.verify(&options), AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID,
                 "key_cache_dir must be an absolute path");
    options.key_cache_dir = "/var/cache/aadcred/keys";
    expect_error(f.verify(&options), AADCRED_ERROR, AADCRED_ERROR_CLASS_PROTOCOL,
                 "without an id_token");
}

void a_version_1_struct_is_not_read_past_its_end(void **) {
    Fixture f;
    // Where version 2 has key_cache_dir, a relative path: read, it would be refused.
    struct {
        IdentityOptionsV1 v1;
        const char *after;
    } old{{1, "client-1", nullptr, 0, nullptr}, "not/read"};
    static_assert(offsetof(decltype(old), after) == sizeof(IdentityOptionsV1));
    expect_error(f.verify(reinterpret_cast<const aadcred_identity_options *>(&old.v1)),
                 AADCRED_ERROR, AADCRED_ERROR_CLASS_PROTOCOL, "without an id_token");
}

void a_newer_version_is_refused(void **) {
    Fixture f;
    aadcred_identity_options options = AADCRED_IDENTITY_OPTIONS_INIT;
    options.client_id = "client-1";
    options.version = 3;
    expect_error(f.verify(&options), AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID,
                 "newer than this library supports (2)");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_is_version_2_without_a_directory),
        cmocka_unit_test(a_relative_directory_is_refused),
        cmocka_unit_test(a_version_1_struct_is_not_read_past_its_end),
        cmocka_unit_test(a_newer_version_is_refused),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
