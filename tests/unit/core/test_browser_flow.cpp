// The browser sign-in (AuthenticationContext::acquire_token_with_browser) on a scripted
// transport, with a real loopback listener: the "browser" is a thread that connects to
// the redirect URI the way a browser follows the authority's 302. Checked: the
// authorization request (PKCE S256, state), the redemption (the verifier that matches the
// challenge), the state and error checks, stray connections, cancel and the deadline;
// and the pieces alone (PKCE's RFC 7636 vector, the form decoder).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "../common/expect_adal_error.hpp"
#include "../common/fakes.hpp"
#include "core/adal/authentication_context.hpp"
#include "core/adal/token_cache.hpp"
#include "core/adal_error.hpp"
#include "core/oauth2/pkce.hpp"
#include "util/form_decode.hpp"

#include "../common/cmocka_cpp.hpp"  // last

using namespace aadcred;
using test::json_reply;
using unit_test::expect_error;

namespace {

constexpr const char *kAuthority = "https://login.microsoftonline.com/contoso.onmicrosoft.com";
constexpr const char *kResource = "https://management.core.windows.net/";
constexpr const char *kUserToken =
    R"({"token_type":"Bearer","expires_in":"3599","resource":"https://management.core.windows.net/","access_token":"AT-user","refresh_token":"RT-user"})";

struct Flow {
    std::shared_ptr<test::Script> script = std::make_shared<test::Script>();
    std::shared_ptr<TokenCache> cache = std::make_shared<TokenCache>();
    std::unique_ptr<AuthenticationContext> context;

    explicit Flow(ApiKind api = ApiKind::v1, std::string claims = {}) {
        ContextOptions options;
        options.claims = std::move(claims);
        options.cache = cache;
        options.api = api;
        options.transport_factory = test::scripted(script);
        options.poll_clock = std::make_shared<test::FakeClock>();
        context = std::make_unique<AuthenticationContext>(kAuthority, options);
    }
};

// The query of a URL, decoded.
std::map<std::string, SecretString> query_of(const std::string &url) {
    auto fields = form_decode(url.substr(url.find('?') + 1));
    assert_true(fields.has_value());
    return std::move(*fields);
}

std::string value(const std::map<std::string, SecretString> &fields, const char *name) {
    const auto it = fields.find(name);
    return it == fields.end() ? std::string("<none>") : it->second.reveal();
}

// One HTTP exchange with the loopback listener, as a browser makes it; the reply.
std::string http_get(std::uint16_t port, const std::string &request) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    assert_int_equal(connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    if (!request.empty())
        assert_int_equal(send(fd, request.data(), request.size(), 0), request.size());
    std::string reply;
    char buffer[4096];
    for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, n);
    close(fd);
    return reply;
}

std::uint16_t port_of(const std::string &redirect_uri) {
    const std::string prefix = "http://127.0.0.1:";
    assert_true(redirect_uri.starts_with(prefix));
    return static_cast<std::uint16_t>(std::stoi(redirect_uri.substr(prefix.size())));
}

// A scripted browser: when the flow opens the URL, it sends `before` (stray requests)
// and then the redirect the authority would make, built from the request by `reply`.
struct Browser {
    std::function<std::string(const std::map<std::string, SecretString> &)> reply;
    std::vector<std::string> before;
    std::string opened;
    std::string page;  // what the flow answered to the redirect
    std::thread thread;

    BrowserSignIn how() {
        BrowserSignIn how;
        how.open = [this](const std::string &url) {
            opened = url;
            const auto request = query_of(url);
            const std::uint16_t port = port_of(value(request, "redirect_uri"));
            const std::string target = reply(request);
            thread = std::thread([this, port, target] {
                for (const std::string &stray : before) http_get(port, stray);
                page = http_get(port, "GET /?" + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            });
            return true;
        };
        return how;
    }
    ~Browser() {
        if (thread.joinable()) thread.join();
    }
};

std::string approve(const std::map<std::string, SecretString> &request) {
    return "code=CODE-1&state=" + value(request, "state") + "&session_state=x";
}

void signs_in_with_pkce_and_state(void **) {
    Flow flow;
    flow.script->push(json_reply(200, kUserToken));
    Browser browser;
    browser.reply = approve;
    TokenEntry entry = flow.context->acquire_token_with_browser(kResource, "cid", browser.how());
    browser.thread.join();

    const auto request = query_of(browser.opened);
    assert_true(browser.opened.starts_with(std::string(kAuthority) + "/oauth2/authorize?"));
    assert_string_equal(value(request, "response_type").c_str(), "code");
    assert_string_equal(value(request, "client_id").c_str(), "cid");
    assert_string_equal(value(request, "resource").c_str(), kResource);
    assert_string_equal(value(request, "code_challenge_method").c_str(), "S256");
    assert_int_equal(value(request, "code_challenge").size(), 43);
    assert_true(value(request, "state").size() >= 22);

    // The code is redeemed with the redirect URI it came to and the verifier whose S256
    // is the challenge the browser carried.
    assert_int_equal(flow.script->request_count(), 1);
    const auto redemption = form_decode(flow.script->request(0).body.reveal());
    assert_true(redemption.has_value());
    assert_string_equal(value(*redemption, "grant_type").c_str(), "authorization_code");
    assert_string_equal(value(*redemption, "code").c_str(), "CODE-1");
    assert_string_equal(value(*redemption, "redirect_uri").c_str(),
                        value(request, "redirect_uri").c_str());
    assert_string_equal(pkce_s256_challenge(value(*redemption, "code_verifier")).c_str(),
                        value(request, "code_challenge").c_str());

    assert_string_equal(std::string(*entry.string(key::access_token)).c_str(), "AT-user");
    assert_int_equal(flow.cache->find({}).size(), 1);
    assert_true(browser.page.starts_with("HTTP/1.1 200 "));
    assert_true(browser.page.find("Signed in.") != std::string::npos);
}

void claims_go_to_the_browser_and_the_redemption(void **) {
    const std::string claims = R"({"access_token":{"xms_cc":{"values":["cp1"]}}})";
    Flow flow(ApiKind::v1, claims);
    flow.script->push(json_reply(200, kUserToken));
    Browser browser;
    browser.reply = approve;
    flow.context->acquire_token_with_browser(kResource, "cid", browser.how());
    browser.thread.join();
    assert_string_equal(value(query_of(browser.opened), "claims").c_str(), claims.c_str());
    const auto redemption = form_decode(flow.script->request(0).body.reveal());
    assert_true(redemption.has_value());
    assert_string_equal(value(*redemption, "claims").c_str(), claims.c_str());

    // Without claims, neither carries the parameter.
    Flow plain;
    plain.script->push(json_reply(200, kUserToken));
    Browser again;
    again.reply = approve;
    plain.context->acquire_token_with_browser(kResource, "cid", again.how());
    again.thread.join();
    assert_string_equal(value(query_of(again.opened), "claims").c_str(), "<none>");
    const auto body = form_decode(plain.script->request(0).body.reveal());
    assert_string_equal(value(*body, "claims").c_str(), "<none>");
}

void each_sign_in_has_its_own_state_and_verifier(void **) {
    Flow flow;
    std::vector<std::string> states, challenges;
    for (int i = 0; i < 2; ++i) {
        flow.script->push(json_reply(200, kUserToken));
        Browser browser;
        browser.reply = approve;
        flow.context->acquire_token_with_browser(kResource, "cid", browser.how());
        browser.thread.join();
        const auto request = query_of(browser.opened);
        states.push_back(value(request, "state"));
        challenges.push_back(value(request, "code_challenge"));
    }
    assert_true(states[0] != states[1]);
    assert_true(challenges[0] != challenges[1]);
}

void v2_asks_for_scopes(void **) {
    Flow flow(ApiKind::v2);
    flow.script->push(json_reply(200, kUserToken));
    Browser browser;
    browser.reply = approve;
    flow.context->acquire_token_with_browser("api://x/.default", "cid", browser.how());
    browser.thread.join();
    assert_true(browser.opened.starts_with(std::string(kAuthority) + "/oauth2/v2.0/authorize?"));
    const auto request = query_of(browser.opened);
    assert_string_equal(value(request, "resource").c_str(), "<none>");
    assert_true(value(request, "scope").find("api://x/.default") != std::string::npos);
    assert_true(value(request, "scope").find("offline_access") != std::string::npos);
}

void another_state_is_refused_and_nothing_is_redeemed(void **) {
    Flow flow;
    Browser browser;
    browser.reply = [](const auto &) { return std::string("code=STOLEN&state=not-ours"); };
    const std::string message = expect_error(ErrorClass::protocol, [&] {
        flow.context->acquire_token_with_browser(kResource, "cid", browser.how());
    });
    browser.thread.join();
    assert_true(message.find("state") != std::string::npos);
    assert_int_equal(flow.script->request_count(), 0);
    assert_true(browser.page.find("refused") != std::string::npos);
}

void a_missing_state_is_refused(void **) {
    Flow flow;
    Browser browser;
    browser.reply = [](const auto &) { return std::string("code=C"); };
    expect_error(ErrorClass::protocol, [&] {
        flow.context->acquire_token_with_browser(kResource, "cid", browser.how());
    });
    assert_int_equal(flow.script->request_count(), 0);
}

void the_authoritys_error_is_reported_with_its_code(void **) {
    Flow flow;
    Browser browser;
    browser.reply = [](const auto &request) {
        return "error=access_denied&error_description=AADSTS53003%3A+Access+has+been+blocked+by+"
               "Conditional+Access+policies.&state=" +
               value(request, "state");
    };
    try {
        flow.context->acquire_token_with_browser(kResource, "cid", browser.how());
        fail_msg("the sign-in succeeded");
    } catch (const AdalError &e) {
        assert_int_equal(static_cast<int>(e.klass()), static_cast<int>(ErrorClass::server));
        assert_string_equal(e.error().c_str(), "access_denied");
        assert_true(std::string(e.what()).find("AADSTS53003") != std::string::npos);
    }
    browser.thread.join();
    assert_int_equal(flow.script->request_count(), 0);
    assert_true(browser.page.find("The sign-in failed.") != std::string::npos);
}

void stray_requests_do_not_end_the_wait(void **) {
    Flow flow;
    flow.script->push(json_reply(200, kUserToken));
    Browser browser;
    browser.reply = approve;
    browser.before = {"GET /favicon.ico HTTP/1.1\r\n\r\n", "POST /?code=x HTTP/1.1\r\n\r\n",
                      "GET / HTTP/1.1\r\n\r\n", "garbage\r\n\r\n"};
    TokenEntry entry = flow.context->acquire_token_with_browser(kResource, "cid", browser.how());
    browser.thread.join();
    assert_string_equal(std::string(*entry.string(key::access_token)).c_str(), "AT-user");
}

void a_repeated_field_is_refused(void **) {
    Flow flow;
    Browser browser;
    browser.reply = [](const auto &request) {
        return "code=A&code=B&state=" + value(request, "state");
    };
    expect_error(ErrorClass::protocol, [&] {
        flow.context->acquire_token_with_browser(kResource, "cid", browser.how());
    });
    assert_int_equal(flow.script->request_count(), 0);
}

void no_browser_is_interaction_required(void **) {
    Flow flow;
    BrowserSignIn how;
    how.open = [](const std::string &) { return false; };
    expect_error(ErrorClass::interaction_required,
                 [&] { flow.context->acquire_token_with_browser(kResource, "cid", how); });
    assert_int_equal(flow.script->request_count(), 0);
}

void cancel_ends_the_wait(void **) {
    Flow flow;
    std::atomic<bool> cancelled{false};
    BrowserSignIn how;
    how.open = [&](const std::string &) {
        cancelled = true;  // the person closed the prompt right after the browser opened
        return true;
    };
    how.cancelled = [&] { return cancelled.load(); };
    expect_error(ErrorClass::cancelled,
                 [&] { flow.context->acquire_token_with_browser(kResource, "cid", how); });
}

void the_deadline_ends_the_wait(void **) {
    Flow flow;
    BrowserSignIn how;
    how.open = [](const std::string &) { return true; };  // a browser that never comes back
    how.timeout = std::chrono::seconds(0);
    expect_error(ErrorClass::timeout,
                 [&] { flow.context->acquire_token_with_browser(kResource, "cid", how); });
}

void pkce_matches_rfc_7636_appendix_b(void **) {
    assert_string_equal(pkce_s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").c_str(),
                        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    const PkcePair pair = make_pkce_pair();
    assert_int_equal(pair.verifier.size(), 43);
    assert_string_equal(pkce_s256_challenge(pair.verifier.reveal()).c_str(),
                        pair.challenge.c_str());
}

void form_decode_rules(void **) {
    auto fields = form_decode("a=1&b=x%20y+z&&empty=&flag");
    assert_true(fields.has_value());
    assert_string_equal(value(*fields, "a").c_str(), "1");
    assert_string_equal(value(*fields, "b").c_str(), "x y z");
    assert_string_equal(value(*fields, "empty").c_str(), "");
    assert_string_equal(value(*fields, "flag").c_str(), "");
    for (const char *bad : {"a=%G1", "a=%4", "a=%", "a=1&a=2", "=x", "a=%00"})
        assert_false(form_decode(bad).has_value());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signs_in_with_pkce_and_state),
        cmocka_unit_test(claims_go_to_the_browser_and_the_redemption),
        cmocka_unit_test(each_sign_in_has_its_own_state_and_verifier),
        cmocka_unit_test(v2_asks_for_scopes),
        cmocka_unit_test(another_state_is_refused_and_nothing_is_redeemed),
        cmocka_unit_test(a_missing_state_is_refused),
        cmocka_unit_test(the_authoritys_error_is_reported_with_its_code),
        cmocka_unit_test(stray_requests_do_not_end_the_wait),
        cmocka_unit_test(a_repeated_field_is_refused),
        cmocka_unit_test(no_browser_is_interaction_required),
        cmocka_unit_test(cancel_ends_the_wait),
        cmocka_unit_test(the_deadline_ends_the_wait),
        cmocka_unit_test(pkce_matches_rfc_7636_appendix_b),
        cmocka_unit_test(form_decode_rules),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
