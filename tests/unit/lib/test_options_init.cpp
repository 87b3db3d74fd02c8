// The *_init functions of the options structs, as a language binding calls them: they give
// what the _INIT macros give, write no byte past the struct of the version the caller
// names (a program built against an older header has a smaller struct), and refuse
// version 0, a version newer than the library, and a NULL struct.

#include <cstddef>
#include <cstring>

#include "lib_test.hpp"

namespace {

/// A struct of an older version, then bytes that must stay as they were.
template <std::size_t Size>
struct Guarded {
    alignas(std::max_align_t) unsigned char bytes[Size];
    unsigned char after[16];
    Guarded() {
        std::memset(bytes, 0xA5, sizeof bytes);
        std::memset(after, 0x5A, sizeof after);
    }
    bool after_untouched() const {
        for (unsigned char b : after)
            if (b != 0x5A) return false;
        return true;
    }
};

void logging_options_init_is_the_macro(void **) {
    aadcred_logging_options options;
    std::memset(&options, 0xA5, sizeof options);
    assert_int_equal(aadcred_logging_options_init(&options, AADCRED_LOGGING_OPTIONS_VERSION), 0);
    const aadcred_logging_options macro = AADCRED_LOGGING_OPTIONS_INIT;
    assert_int_equal(options.version, macro.version);
    assert_int_equal(options.level, macro.level);
    assert_null(options.callback);
    assert_null(options.payload);
    assert_int_equal(options.enable_pii, macro.enable_pii);
    assert_int_equal(aadcred_set_logging_options(&options), 0);
}

void context_options_init_is_the_macro(void **) {
    aadcred_context_options options;
    std::memset(&options, 0xA5, sizeof options);
    assert_int_equal(aadcred_context_options_init(&options, AADCRED_CONTEXT_OPTIONS_VERSION), 0);
    const aadcred_context_options macro = AADCRED_CONTEXT_OPTIONS_INIT;
    assert_int_equal(options.version, macro.version);
    assert_int_equal(options.validate_authority, macro.validate_authority);
    assert_null(options.cache);
    assert_null(options.api_version);
    assert_int_equal(options.timeout, macro.timeout);
    assert_int_equal(options.enable_pii, macro.enable_pii);
    assert_null(options.ca_file);
    assert_null(options.proxy);
    assert_int_equal(options.api, macro.api);
    assert_null(options.instance_discovery);
    // What it gives is usable as it is.
    aadcred_context *context = nullptr;
    assert_int_equal(aadcred_context_new(&context, lib_test::kAuthority, &options), 0);
    aadcred_context_free(context);
}

void request_init_is_the_macro(void **) {
    aadcred_request request;
    std::memset(&request, 0xA5, sizeof request);
    assert_int_equal(aadcred_request_init(&request, AADCRED_REQUEST_VERSION), 0);
    const aadcred_request macro = AADCRED_REQUEST_INIT;
    assert_int_equal(request.version, macro.version);
    assert_null(request.authority);
    assert_null(request.client_id);
    assert_null(request.resource);
    assert_null(request.scopes);
    assert_null(request.user_id);
    assert_int_equal(request.api, macro.api);
    assert_null(request.ca_file);
    assert_int_equal(request.validate_authority, macro.validate_authority);
    assert_int_equal(request.timeout, macro.timeout);
    assert_null(request.store);
    assert_int_equal(request.allow_prompt, macro.allow_prompt);
    assert_int_equal(request.min_validity, macro.min_validity);
    assert_null(request.prompt);
    assert_null(request.prompt_payload);
    assert_null(request.proxy);
    assert_null(request.claims);
    assert_int_equal(request.hot_cache, 1);
}

void identity_options_init_is_the_macro(void **) {
    aadcred_identity_options options;
    std::memset(&options, 0xA5, sizeof options);
    assert_int_equal(aadcred_identity_options_init(&options, AADCRED_IDENTITY_OPTIONS_VERSION), 0);
    const aadcred_identity_options macro = AADCRED_IDENTITY_OPTIONS_INIT;
    assert_int_equal(options.version, macro.version);
    assert_null(options.client_id);
    assert_null(options.allowed_tenants);
    assert_int_equal(options.clock_skew, macro.clock_skew);
    assert_null(options.key_cache);
    assert_null(options.key_cache_dir);
}

void device_flow_options_init_is_the_macro(void **) {
    aadcred_device_flow_options options;
    std::memset(&options, 0xA5, sizeof options);
    assert_int_equal(
        aadcred_device_flow_options_init(&options, AADCRED_DEVICE_FLOW_OPTIONS_VERSION), 0);
    const aadcred_device_flow_options macro = AADCRED_DEVICE_FLOW_OPTIONS_INIT;
    assert_int_equal(options.version, macro.version);
    assert_int_equal(options.deadline, macro.deadline);
    assert_int_equal(options.deadline, 0);
}

void a_version_1_struct_is_not_written_past_its_end(void **) {
    Guarded<offsetof(aadcred_context_options, instance_discovery)> context;
    auto *c = reinterpret_cast<aadcred_context_options *>(context.bytes);
    assert_int_equal(aadcred_context_options_init(c, 1), 0);
    assert_int_equal(c->version, 1);
    assert_int_equal(c->validate_authority, 1);
    assert_null(c->proxy);
    assert_true(context.after_untouched());

    Guarded<offsetof(aadcred_identity_options, key_cache_dir)> identity;
    auto *i = reinterpret_cast<aadcred_identity_options *>(identity.bytes);
    assert_int_equal(aadcred_identity_options_init(i, 1), 0);
    assert_int_equal(i->version, 1);
    assert_null(i->key_cache);
    assert_true(identity.after_untouched());

    Guarded<offsetof(aadcred_request, proxy)> request;
    auto *r = reinterpret_cast<aadcred_request *>(request.bytes);
    assert_int_equal(aadcred_request_init(r, 1), 0);
    assert_int_equal(r->version, 1);
    assert_int_equal(r->min_validity, 300);
    assert_true(request.after_untouched());

    // Version 2 ends before version 3's fields (flow, claims).
    Guarded<offsetof(aadcred_request, flow)> request_v2;
    auto *r2 = reinterpret_cast<aadcred_request *>(request_v2.bytes);
    assert_int_equal(aadcred_request_init(r2, 2), 0);
    assert_int_equal(r2->version, 2);
    assert_null(r2->proxy);
    assert_true(request_v2.after_untouched());

    // Version 3 ends before version 4's hot_cache, which version 3 callers never get.
    Guarded<offsetof(aadcred_request, hot_cache)> request_v3;
    auto *r3 = reinterpret_cast<aadcred_request *>(request_v3.bytes);
    assert_int_equal(aadcred_request_init(r3, 3), 0);
    assert_int_equal(r3->version, 3);
    assert_int_equal(r3->flow, AADCRED_FLOW_DEVICE);
    assert_true(request_v3.after_untouched());
}

void version_0_and_newer_versions_are_refused(void **) {
    aadcred_request request;
    std::memset(&request, 0xA5, sizeof request);
    lib_test::expect_error(aadcred_request_init(&request, 0), AADCRED_EINVALID,
                           AADCRED_ERROR_CLASS_INVALID, "aadcred_request version is 0");
    lib_test::expect_error(aadcred_request_init(&request, AADCRED_REQUEST_VERSION + 1),
                           AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID,
                           "newer than this library supports");
    assert_int_equal(request.version, 0xA5A5A5A5u);  // untouched on failure
    lib_test::expect_error(aadcred_context_options_init(nullptr, 1), AADCRED_EINVALID,
                           AADCRED_ERROR_CLASS_INVALID,
                           "aadcred_context_options_init: out is NULL");
    lib_test::expect_error(aadcred_logging_options_init(nullptr, 1), AADCRED_EINVALID,
                           AADCRED_ERROR_CLASS_INVALID, "out is NULL");
    lib_test::expect_error(aadcred_identity_options_init(nullptr, 1), AADCRED_EINVALID,
                           AADCRED_ERROR_CLASS_INVALID, "out is NULL");
    lib_test::expect_error(aadcred_device_flow_options_init(nullptr, 1), AADCRED_EINVALID,
                           AADCRED_ERROR_CLASS_INVALID, "out is NULL");
    aadcred_device_flow_options flow;
    lib_test::expect_error(
        aadcred_device_flow_options_init(&flow, AADCRED_DEVICE_FLOW_OPTIONS_VERSION + 1),
        AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID, "newer than this library supports");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(logging_options_init_is_the_macro),
        cmocka_unit_test(context_options_init_is_the_macro),
        cmocka_unit_test(request_init_is_the_macro),
        cmocka_unit_test(identity_options_init_is_the_macro),
        cmocka_unit_test(device_flow_options_init_is_the_macro),
        cmocka_unit_test(a_version_1_struct_is_not_written_past_its_end),
        cmocka_unit_test(version_0_and_newer_versions_are_refused),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
