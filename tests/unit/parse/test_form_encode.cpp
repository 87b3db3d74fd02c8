// Form bodies and quoting, compared with urllib.parse output from /usr/bin/python3.

#include "util/form_encode.hpp"

#include <stdexcept>

#include <cstring>

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"

using namespace aadcred;

static void client_credentials_body(void **) {
    // Reference §2.3, verified against ADAL on the wire.
    FormEncoder form;
    form.add("grant_type", "client_credentials")
        .add("client_id", "app-id")
        .add("resource", "https://management.core.windows.net/")
        .add("client_secret", SecretString(std::string_view("s3cr3t&=")));
    assert_sv_equal(form.body().reveal(),
                    "grant_type=client_credentials&client_id=app-id&resource=https%3A%2F%2F"
                    "management.core.windows.net%2F&client_secret=s3cr3t%26%3D");
}

static void awkward_values_like_urlencode(void **) {
    // urlencode({'client_id':'clien&&???tId','client_secret':'clientSecret*&^(?&',
    //            'a b':'x y+z~_.-','uni':'Guinebertière €','ctl':'\n\t\x00/'})
    FormEncoder form;
    form.add("client_id", "clien&&???tId")
        .add("client_secret", "clientSecret*&^(?&")
        .add("a b", "x y+z~_.-")
        .add("uni", "Guineberti\xc3\xa8re \xe2\x82\xac")
        .add("ctl", std::string_view("\n\t\0/", 4));
    assert_sv_equal(form.body().reveal(),
                    "client_id=clien%26%26%3F%3F%3FtId&client_secret=clientSecret%2A%26%5E%28"
                    "%3F%26&a+b=x+y%2Bz~_.-&uni=Guineberti%C3%A8re+%E2%82%AC&ctl=%0A%09%00%2F");
}

static void empty_form_is_empty(void **) {
    FormEncoder form;
    assert_true(form.empty());
    assert_sv_equal(form.body().reveal(), "");
    form.add("", "");
    assert_sv_equal(form.body().reveal(), "=");
}

static void quote_with_adal_safe_set(void **) {
    // ADAL's quote(x, safe="~()*!.'") for the discovery endpoint and user realm.
    const char *safe = "~()*!.'";
    assert_sv_equal(percent_quote("https://login.example.com/t1/oauth2/authorize", safe),
                    "https%3A%2F%2Flogin.example.com%2Ft1%2Foauth2%2Fauthorize");
    assert_sv_equal(percent_quote("o'brien (x)*!@contoso.com \xc3\xa9/", safe),
                    "o'brien%20(x)*!%40contoso.com%20%C3%A9%2F");
    assert_sv_equal(percent_quote("a b/c"), "a%20b/c");  // Python's default safe="/"
    assert_sv_equal(quote_plus("a b/c+"), "a+b%2Fc%2B");
}

static void body_size_is_capped(void **) {
    FormEncoder form;
    const std::string chunk(64 * 1024, '&');  // triples when encoded
    bool threw = false;
    try {
        for (int i = 0; i < 64; ++i) form.add("k", chunk);
    } catch (const std::length_error &) {
        threw = true;
    }
    assert_true(threw);
    assert_true(form.body().size() <= FormEncoder::kMaxBytes);
}

static void moves_keep_the_body(void **) {
    FormEncoder a;
    a.add("code", SecretString(std::string_view("DC 1")));
    FormEncoder b(std::move(a));
    assert_sv_equal(b.body().reveal(), "code=DC+1");
    FormEncoder c;
    c = std::move(b);
    assert_sv_equal(c.body().reveal(), "code=DC+1");
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(client_credentials_body), cmocka_unit_test(awkward_values_like_urlencode),
        cmocka_unit_test(empty_form_is_empty),     cmocka_unit_test(quote_with_adal_safe_set),
        cmocka_unit_test(body_size_is_capped),     cmocka_unit_test(moves_keep_the_body),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
