// The device code flow through AuthenticationContext: acquire_user_code's request and
// validation, then polling (SPEC §3: pending, slow_down +5 s, transient retries,
// terminal errors, the deadline, cancel) on a scripted transport and a virtual clock.

#include <cstring>
#include <future>
#include <string>
#include <thread>

#include "../common/fakes.hpp"
#include "core/adal/authentication_context.hpp"
#include "core/adal/token_cache.hpp"

#include "../common/cmocka_cpp.hpp"  // last

using namespace aadcred;
using namespace std::chrono_literals;
using test::json_reply;

namespace {

constexpr const char *kAuthority = "https://login.microsoftonline.com/contoso.onmicrosoft.com";
constexpr const char *kResource = "https://management.core.windows.net/";
constexpr const char *kClient = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
// reference §6.1 V1: upn rrandall@rrandallaad1.onmicrosoft.com, alg none.
constexpr const char *kIdToken =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0."
    "eyJhdWQiOiJlOTU4YzA5YS1hYzM3LTQ5MDAtYjRkNy1mYjNlZWFmNzMzOGQiLCJpc3MiOiJodHRwczovL3N0cy53aW"
    "5kb3dzLm5ldC9jY2ViYTE0Yy02YTAwLTQ5YWMtYjgwNi04NGRlNTJiZjFkNDIvIiwiaWF0IjoxMzkxNjQ1NDU4LCJu"
    "YmYiOjEzOTE2NDU0NTgsImV4cCI6MTM5MTY0OTM1OCwidmVyIjoiMS4wIiwidGlkIjoiY2NlYmExNGMtNmEwMC00OW"
    "FjLWI4MDYtODRkZTUyYmYxZDQyIiwib2lkIjoiYTQ0MzIwNGEtYWJjOS00Y2I4LWFkYzEtYzBkZmMxMjMwMGFhIiwi"
    "dXBuIjoicnJhbmRhbGxAcnJhbmRhbGxhYWQxLm9ubWljcm9zb2Z0LmNvbSIsInVuaXF1ZV9uYW1lIjoicnJhbmRhbG"
    "xAcnJhbmRhbGxhYWQxLm9ubWljcm9zb2Z0LmNvbSIsInN1YiI6IjRnVHY0RXRvWVctRFRvdzBiRG5KZDFBQTRzZkNo"
    "QmJqZXJtcXQ2UV9aYTQiLCJmYW1pbHlfbmFtZSI6IlJhbmRhbGwiLCJnaXZlbl9uYW1lIjoiUmljaCJ9.";

std::string token_body() {
    return std::string(R"({"token_type":"Bearer","expires_in":"3599","resource":")") + kResource +
           R"(","access_token":"AT1","refresh_token":"RT1","id_token":")" + kIdToken + "\"}";
}

test::Reply oauth_error(const char *error, long status = 400) {
    return json_reply(status, std::string(R"({"error":")") + error +
                                  R"(","error_description":"AADSTS: )" + error + R"(."})");
}

struct Flow {
    std::shared_ptr<test::Script> script = std::make_shared<test::Script>();
    std::shared_ptr<test::FakeClock> clock = std::make_shared<test::FakeClock>();
    std::shared_ptr<TokenCache> cache = std::make_shared<TokenCache>();
    std::unique_ptr<AuthenticationContext> context;

    explicit Flow(ApiKind api = ApiKind::v1, bool fake_clock = true) {
        ContextOptions options;
        options.cache = cache;
        options.api = api;
        options.transport_factory = test::scripted(script);
        if (fake_clock) options.poll_clock = clock;
        context = std::make_unique<AuthenticationContext>(kAuthority, options);
    }

    std::optional<AdalError> poll(const UserCodeInfo &info, TokenEntry *out = nullptr,
                                  std::int64_t deadline = 0) {
        try {
            TokenEntry entry =
                context->acquire_token_with_device_code(kResource, info, kClient, deadline);
            if (out != nullptr) *out = entry;
        } catch (const AdalError &e) {
            return e;
        }
        return std::nullopt;
    }
};

UserCodeInfo code_info(std::int64_t interval = 5, std::int64_t expires_in = 900) {
    UserCodeInfo info;
    info.user_code = "ABCD-EFGH";
    info.device_code = SecretString(std::string_view("DC123"));
    info.interval = interval;
    info.expires_in = expires_in;
    info.correlation_id = "server-corr";
    return info;
}

void assert_class(const std::optional<AdalError> &error, ErrorClass klass) {
    assert_true(error.has_value());
    assert_int_equal(static_cast<int>(error->klass()), static_cast<int>(klass));
}

void user_code_v1_request_and_reply(void **) {
    Flow flow;
    flow.context->set_correlation_id("corr-1");
    flow.script->push(json_reply(
        200,
        R"({"user_code":"ABCD-EFGH","device_code":"DC123","verification_url":"https://microsoft.com/devicelogin","expires_in":"900","interval":"5","message":"To sign in, ..."})",
        {{"client-request-id", "server-corr"}}));
    const UserCodeInfo info = flow.context->acquire_user_code(kResource, kClient, "fr");

    assert_int_equal(flow.script->request_count(), 1);
    const HttpRequest request = flow.script->request(0);
    assert_int_equal(static_cast<int>(request.method), static_cast<int>(HttpRequest::Method::post));
    assert_string_equal(request.url.c_str(),
                        (std::string(kAuthority) + "/oauth2/devicecode?api-version=1.0").c_str());
    assert_string_equal(request.body.c_str(),
                        "client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46&resource=https%3A%2F%"
                        "2Fmanagement.core.windows.net%2F&mkt=fr");
    assert_string_equal(test::header_of(request, "Accept-Charset").c_str(), "utf-8");
    assert_string_equal(test::header_of(request, "client-request-id").c_str(), "corr-1");
    assert_string_equal(test::header_of(request, "return-client-request-id").c_str(), "true");
    assert_string_equal(test::header_of(request, "x-client-SKU").c_str(), "aadcred");
    assert_string_equal(test::header_of(request, "x-client-Ver").c_str(), "0.1.0");
    assert_string_equal(test::header_of(request, "x-client-OS").c_str(), "linux");
    assert_string_equal(test::header_of(request, "x-client-CPU").c_str(), "x64");
    assert_string_equal(test::header_of(request, "content-type").c_str(),
                        "application/x-www-form-urlencoded");

    assert_string_equal(info.user_code.c_str(), "ABCD-EFGH");
    assert_string_equal(info.device_code.c_str(), "DC123");
    assert_string_equal(info.verification_url.c_str(), "https://microsoft.com/devicelogin");
    assert_int_equal(info.expires_in, 900);
    assert_int_equal(info.interval, 5);
    assert_string_equal(info.correlation_id.c_str(), "server-corr");
    assert_int_equal(info.expires_at,
                     std::chrono::system_clock::to_time_t(flow.clock->now()) + 900);
}

void user_code_v2_scopes_and_defaults(void **) {
    Flow flow(ApiKind::v2);
    flow.script->push(json_reply(
        200,
        R"({"user_code":"U","device_code":"D","verification_uri":"https://v","expires_in":600})"));
    const UserCodeInfo info = flow.context->acquire_user_code("User.Read openid", kClient);
    const HttpRequest request = flow.script->request(0);
    assert_string_equal(request.url.c_str(),
                        (std::string(kAuthority) + "/oauth2/v2.0/devicecode").c_str());
    // openid was given; profile and offline_access are added for the id_token and the RT.
    assert_string_equal(request.body.c_str(),
                        "client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46&scope=User.Read+openid+"
                        "profile+offline_access");
    assert_string_equal(info.verification_url.c_str(), "https://v");
    assert_int_equal(info.interval, 5);  // RFC 8628 §3.2 default
    assert_string_equal(info.correlation_id.c_str(), "");
}

void user_code_missing_fields(void **) {
    const std::pair<const char *, const char *> cases[] = {
        {R"({"device_code":"D","user_code":"U"})", "wire_response is missing expires_in"},
        {R"({"device_code":"D","user_code":"U","expires_in":0})",
         "wire_response is missing expires_in"},
        {R"({"user_code":"U","expires_in":"900"})", "wire_response is missing device_code"},
        {R"({"device_code":"D","expires_in":"900"})", "wire_response is missing user_code"},
    };
    for (const auto &[body, message] : cases) {
        Flow flow;
        flow.script->push(json_reply(200, body));
        try {
            flow.context->acquire_user_code(kResource, kClient);
            fail_msg("accepted %s", body);
        } catch (const AdalError &e) {
            assert_string_equal(e.message().c_str(), message);
            assert_int_equal(static_cast<int>(e.klass()), static_cast<int>(ErrorClass::protocol));
        }
    }
    Flow junk;
    junk.script->push(json_reply(200, "<html>"));
    try {
        junk.context->acquire_user_code(kResource, kClient);
        fail_msg("accepted junk");
    } catch (const AdalError &e) {
        assert_int_equal(static_cast<int>(e.klass()), static_cast<int>(ErrorClass::protocol));
    }
}

// Issue 9: a server that asks to be polled every 0 (or -1) seconds sent a bad reply: an
// authentication failure (protocol, the CLI's exit 1), refused before any poll, not the
// caller's "invalid refresh interval" (invalid, exit 2) once polling starts.
void user_code_with_a_bad_interval_is_a_protocol_error(void **) {
    const std::pair<const char *, const char *> cases[] = {
        {R"("0")", "wire_response has an invalid interval: 0"},
        {"0", "wire_response has an invalid interval: 0"},
        {"-1", "wire_response has an invalid interval: -1"},
        {R"(" -5 ")", "wire_response has an invalid interval: -5"},
        {"-9223372036854775808", "wire_response has an invalid interval: -9223372036854775808"},
    };
    for (const auto &[interval, message] : cases) {
        for (const ApiKind api : {ApiKind::v1, ApiKind::v2}) {
            Flow flow(api);
            flow.script->push(json_reply(
                200,
                std::string(
                    R"({"user_code":"U","device_code":"DC-secret","verification_url":"https://v","expires_in":900,"interval":)") +
                    interval + "}"));
            try {
                flow.context->acquire_user_code(api == ApiKind::v1 ? kResource : "User.Read",
                                                kClient);
                fail_msg("accepted interval %s", interval);
            } catch (const AdalError &e) {
                assert_int_equal(static_cast<int>(e.klass()),
                                 static_cast<int>(ErrorClass::protocol));
                assert_string_equal(e.message().c_str(), message);
                // The reply holds the device code, a secret: not kept.
                assert_true(e.error_response().empty());
            }
            assert_int_equal(flow.script->request_count(), 1);  // nothing polled
        }
    }
}

void pending_then_success(void **) {
    Flow flow;
    flow.script->push(oauth_error("authorization_pending"));
    flow.script->push(oauth_error("authorization_pending"));
    flow.script->push(json_reply(200, token_body()));
    TokenEntry entry;
    assert_false(flow.poll(code_info(), &entry).has_value());

    assert_int_equal(flow.script->request_count(), 3);
    for (std::size_t i = 0; i < 3; ++i) {
        const HttpRequest request = flow.script->request(i);
        assert_string_equal(request.url.c_str(),
                            (std::string(kAuthority) + "/oauth2/token").c_str());
        assert_string_equal(request.body.c_str(),
                            "grant_type=device_code&client_id=04b07795-8ddb-461a-bbee-"
                            "02f9e1bf7b46&resource=https%3A%2F%2Fmanagement.core.windows.net%2F&"
                            "code=DC123");
        assert_string_equal(test::header_of(request, "client-request-id").c_str(), "server-corr");
    }
    // First poll at once, then every interval.
    assert_int_equal(flow.clock->waits.size(), 2);
    assert_int_equal(flow.clock->waits[0].count(), 5);
    assert_int_equal(flow.clock->waits[1].count(), 5);
    // One transport (one connection) for the whole poll.
    assert_int_equal(flow.script->transports.size(), 1);

    assert_string_equal(std::string(*entry.string(key::access_token)).c_str(), "AT1");
    assert_string_equal(std::string(*entry.string(key::user_id)).c_str(),
                        "rrandall@rrandallaad1.onmicrosoft.com");
    assert_true(entry.boolean(key::is_mrrt).value_or(false));
    assert_string_equal(std::string(*entry.string(key::client_id)).c_str(), kClient);
    assert_string_equal(std::string(*entry.string(key::authority)).c_str(), kAuthority);
    assert_int_equal(flow.cache->read_items().size(), 1);
    assert_true(flow.cache->read_items().front() == entry);
}

void slow_down_adds_five_seconds(void **) {
    Flow flow;
    flow.script->push(oauth_error("slow_down"));
    flow.script->push(oauth_error("authorization_pending"));
    flow.script->push(oauth_error("slow_down"));
    flow.script->push(json_reply(200, token_body()));
    assert_false(flow.poll(code_info()).has_value());
    assert_int_equal(flow.clock->waits.size(), 3);
    assert_int_equal(flow.clock->waits[0].count(), 10);
    assert_int_equal(flow.clock->waits[1].count(), 10);  // and it stays longer
    assert_int_equal(flow.clock->waits[2].count(), 15);
}

void terminal_errors_keep_the_reply(void **) {
    for (const char *error :
         {"authorization_declined", "expired_token", "code_expired", "invalid_client"}) {
        Flow flow;
        const test::Reply reply = oauth_error(error);
        flow.script->push(reply);
        const auto result = flow.poll(code_info());
        assert_class(result, ErrorClass::server);
        assert_string_equal(result->message().c_str(),
                            (std::string("Unexpected polling state ") + error).c_str());
        assert_string_equal(result->error().c_str(), error);
        assert_string_equal(result->error_response().c_str(), reply.body.c_str());
        assert_int_equal(flow.script->request_count(), 1);
        // The registration is gone: nothing left to cancel.
        try {
            flow.context->cancel_request_to_get_token_with_device_code(code_info());
            fail_msg("registration leaked");
        } catch (const AdalError &e) {
            assert_string_equal(e.message().c_str(),
                                "No acquire_token_with_device_code existed to be cancelled");
        }
    }
    Flow junk;
    junk.script->push(json_reply(400, "oops"));
    const auto result = junk.poll(code_info());
    assert_class(result, ErrorClass::server);
    assert_string_equal(
        result->message().c_str(),
        "Get token with device code request returned http error: 400 and server response: oops");
}

void transient_failures_are_retried(void **) {
    Flow flow;
    flow.script->push(json_reply(503, ""));
    flow.script->push(json_reply(429, "", {{"Retry-After", "30"}}));
    flow.script->push(test::failure(ErrorClass::network, "Network error talking to x: reset"));
    flow.script->push(json_reply(200, token_body()));
    assert_false(flow.poll(code_info()).has_value());
    assert_int_equal(flow.script->request_count(), 4);
    assert_int_equal(flow.clock->waits.size(), 3);
    assert_int_equal(flow.clock->waits[0].count(), 5);
    assert_int_equal(flow.clock->waits[1].count(), 30);  // Retry-After honoured
    assert_int_equal(flow.clock->waits[2].count(), 5);
}

void non_network_transport_errors_end_the_poll(void **) {
    Flow flow;
    flow.script->push(test::failure(ErrorClass::protocol, "Server response too large"));
    const auto result = flow.poll(code_info());
    assert_class(result, ErrorClass::protocol);
    assert_int_equal(flow.script->request_count(), 1);
}

void malformed_success_is_a_protocol_error(void **) {
    for (const char *body :
         {"not json", "[]", R"({"error":"authorization_pending"})", R"({"token_type":"Bearer"})"}) {
        Flow flow;
        flow.script->push(json_reply(200, body));
        const auto result = flow.poll(code_info());
        assert_class(result, ErrorClass::protocol);
        assert_int_equal(flow.cache->read_items().size(), 0);
    }
}

// Issue 9: a token reply the parser refuses (a non-string or CR/LF-laden token, a body
// cut short) ends the flow as a protocol error; nothing reaches the cache and the error
// keeps no token.
void hostile_token_replies_store_nothing(void **) {
    const std::string cut = token_body().substr(0, token_body().size() - 2);
    for (const std::string &body :
         {std::string(R"({"token_type":"Bearer","access_token":42,"refresh_token":"RT1"})"),
          std::string(
              R"({"token_type":"Bearer","access_token":{"a":"AT1"},"refresh_token":"RT1"})"),
          std::string(
              R"({"token_type":"Bearer","access_token":"AT1\r\nX: y","refresh_token":"RT1"})"),
          std::string(
              R"({"token_type":"Bearer","access_token":"AT1","refresh_token":"RT1\u0000"})"),
          cut}) {
        Flow flow;
        flow.script->push(json_reply(200, body));
        const auto result = flow.poll(code_info());
        assert_class(result, ErrorClass::protocol);
        assert_int_equal(flow.cache->read_items().size(), 0);
        for (const char *secret : {"AT1", "RT1", "eyJ"}) {
            assert_null(std::strstr(result->error_response().c_str(), secret));
            assert_null(std::strstr(result->what(), secret));
        }
    }
}

void deadline_ends_polling(void **) {
    Flow flow;
    flow.script->otherwise = oauth_error("authorization_pending");
    const auto result = flow.poll(code_info(5, 12));
    assert_class(result, ErrorClass::timeout);
    assert_string_equal(result->message().c_str(), "Timeout from \"get_token_with_polling\"");
    assert_int_equal(flow.script->request_count(), 3);  // at 0, 5 and 10 s

    // A Retry-After past the deadline ends at the deadline, not later.
    Flow late;
    late.script->push(json_reply(429, "", {{"Retry-After", "3600"}}));
    assert_class(late.poll(code_info(5, 60)), ErrorClass::timeout);
    assert_int_equal(late.clock->waits.size(), 1);
    assert_int_equal(late.clock->waits[0].count(), 60);

    // expires_at, when known, is the deadline (the code was issued earlier).
    Flow issued;
    issued.script->otherwise = oauth_error("authorization_pending");
    UserCodeInfo info = code_info(5, 900);
    info.expires_at = std::chrono::system_clock::to_time_t(issued.clock->now()) + 7;
    assert_class(issued.poll(info), ErrorClass::timeout);
    assert_int_equal(issued.script->request_count(), 2);  // at 0 and 5 s
}

void the_callers_deadline_and_the_codes_expiry_the_earlier_wins(void **) {
    Flow bounded;
    bounded.script->otherwise = oauth_error("authorization_pending");
    const std::int64_t now = std::chrono::system_clock::to_time_t(bounded.clock->now());
    const auto result = bounded.poll(code_info(5, 900), nullptr, now + 7);
    assert_class(result, ErrorClass::timeout);
    assert_string_equal(result->message().c_str(), "Timeout from \"get_token_with_polling\"");
    assert_int_equal(bounded.script->request_count(), 2);  // at 0 and 5 s, not for 900 s

    // A deadline after the code's expiry changes nothing.
    Flow later;
    later.script->otherwise = oauth_error("authorization_pending");
    assert_class(later.poll(code_info(5, 12), nullptr, now + 3600), ErrorClass::timeout);
    assert_int_equal(later.script->request_count(), 3);  // at 0, 5 and 10 s

    // One already past sends nothing.
    Flow past;
    past.script->otherwise = oauth_error("authorization_pending");
    assert_class(past.poll(code_info(5, 900), nullptr, now - 1), ErrorClass::timeout);
    assert_int_equal(past.script->request_count(), 0);
}

void hostile_lifetimes_are_bounded_not_overflowed(void **) {
    // expires_in, interval and expires_at near INT64_MAX once overflowed std::chrono's
    // nanoseconds (fuzz finding): a code is polled for at most a day, an hour apart.
    Flow flow;
    flow.script->otherwise = oauth_error("authorization_pending");
    UserCodeInfo info = code_info(INT64_MAX, INT64_MAX);
    info.expires_at = INT64_MAX;
    assert_class(flow.poll(info), ErrorClass::timeout);
    assert_int_equal(flow.script->request_count(), 24);  // every hour for a day
    for (const auto wait : flow.clock->waits) assert_true(wait.count() <= 3600);
}

void invalid_interval(void **) {
    Flow flow;
    const auto result = flow.poll(code_info(0, 900));
    assert_class(result, ErrorClass::invalid);
    assert_string_equal(result->message().c_str(), "invalid refresh interval");
    assert_int_equal(flow.script->request_count(), 0);
}

void v2_poll_body(void **) {
    Flow flow(ApiKind::v2);
    flow.script->push(json_reply(
        200,
        R"({"token_type":"Bearer","expires_in":3599,"access_token":"AT2","refresh_token":"RT2"})"));
    TokenEntry entry;
    assert_false(flow.poll(code_info(), &entry).has_value());
    const HttpRequest request = flow.script->request(0);
    assert_string_equal(request.url.c_str(),
                        (std::string(kAuthority) + "/oauth2/v2.0/token").c_str());
    assert_string_equal(request.body.c_str(),
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&"
                        "client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46&device_code=DC123");
    // No resource in the reply: the requested one is recorded, not MRRT (reference §4 step 8).
    assert_string_equal(std::string(*entry.string(key::resource)).c_str(), kResource);
    assert_false(entry.has(key::is_mrrt));
}

void cancel_validation_texts(void **) {
    Flow flow;
    const std::pair<UserCodeInfo, const char *> cases[] = {
        {[] {
             auto i = code_info();
             i.device_code = SecretString();
             return i;
         }(),
         "the user_code_info is missing device_code"},
        {code_info(0, 900), "the user_code_info is missing internal"},
        {code_info(5, 0), "the user_code_info is missing expires_in"},
        {code_info(), "No acquire_token_with_device_code existed to be cancelled"},
    };
    for (const auto &[info, message] : cases) {
        try {
            flow.context->cancel_request_to_get_token_with_device_code(info);
            fail_msg("no error for %s", message);
        } catch (const AdalError &e) {
            assert_string_equal(e.message().c_str(), message);
            assert_int_equal(static_cast<int>(e.klass()), static_cast<int>(ErrorClass::invalid));
        }
    }
}

// The real clock and a one-hour interval: only a cancel that wakes the waiting poller
// lets this test finish (meson's timeout fails it otherwise).
void cancel_wakes_the_poller(void **) {
    Flow flow(ApiKind::v1, /*fake_clock=*/false);
    flow.script->otherwise = oauth_error("authorization_pending");
    std::promise<void> first_poll;
    std::once_flag once;
    flow.script->on_send = [&](const HttpRequest &) {
        std::call_once(once, [&] { first_poll.set_value(); });
    };
    const UserCodeInfo info = code_info(3600, 7200);
    std::optional<AdalError> result;
    std::thread poller([&] { result = flow.poll(info); });
    first_poll.get_future().wait();
    flow.context->cancel_request_to_get_token_with_device_code(info);
    poller.join();
    assert_class(result, ErrorClass::cancelled);
    assert_string_equal(result->message().c_str(), "Polling_Request_Cancelled");
    assert_int_equal(flow.script->request_count(), 1);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(user_code_v1_request_and_reply),
        cmocka_unit_test(user_code_v2_scopes_and_defaults),
        cmocka_unit_test(user_code_missing_fields),
        cmocka_unit_test(user_code_with_a_bad_interval_is_a_protocol_error),
        cmocka_unit_test(pending_then_success),
        cmocka_unit_test(slow_down_adds_five_seconds),
        cmocka_unit_test(terminal_errors_keep_the_reply),
        cmocka_unit_test(transient_failures_are_retried),
        cmocka_unit_test(non_network_transport_errors_end_the_poll),
        cmocka_unit_test(malformed_success_is_a_protocol_error),
        cmocka_unit_test(hostile_token_replies_store_nothing),
        cmocka_unit_test(deadline_ends_polling),
        cmocka_unit_test(the_callers_deadline_and_the_codes_expiry_the_earlier_wins),
        cmocka_unit_test(hostile_lifetimes_are_bounded_not_overflowed),
        cmocka_unit_test(invalid_interval),
        cmocka_unit_test(v2_poll_body),
        cmocka_unit_test(cancel_validation_texts),
        cmocka_unit_test(cancel_wakes_the_poller),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
