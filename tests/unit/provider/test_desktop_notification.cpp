// The text of the desktop notification (src/provider/desktop_notification.cpp): the
// authority's strings made fit for D-Bus and a notification server, and the body's markup
// escaped; and no notification at all where there is no session bus.

#include <stdlib.h>

#include <string>

#include "provider/desktop_notification.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

using aadcred::notification_body;
using aadcred::notification_text;

void control_characters_are_dropped(void **) {
    assert_sv_equal(notification_text("AB\x1b[2J\r\nCD\x7f\xc2\x9b"
                                      "E",
                                      64),
                    "AB[2JCDE");
}

void invalid_utf8_becomes_replacement_characters(void **) {
    assert_sv_equal(notification_text("a\xff"
                                      "b",
                                      64),
                    "a\xef\xbf\xbd"
                    "b");
}

void long_text_is_cut_at_a_character(void **) {
    // "é" is two bytes: a cut after 3 bytes keeps "aé", never half of the next "é".
    assert_sv_equal(notification_text("a\xc3\xa9\xc3\xa9", 4), "a\xc3\xa9");
    assert_sv_equal(notification_text("abcdef", 3), "abc");
}

void the_body_names_page_code_and_time_with_markup_escaped(void **) {
    aadcred::NotificationContent content;
    content.user_code = "AB<b>CD";
    content.verification_url = "https://example.test/device?a=1&b=2";
    content.expires_in = 900;
    assert_sv_equal(notification_body(content),
                    "To sign in, open https://example.test/device?a=1&amp;b=2 and enter the "
                    "code AB&lt;b&gt;CD. The code expires in 15 minutes.");
    content.expires_in = 0;
    assert_sv_equal(notification_body(content),
                    "To sign in, open https://example.test/device?a=1&amp;b=2 and enter the "
                    "code AB&lt;b&gt;CD.");
}

void no_session_bus_shows_nothing(void **) {
    unsetenv("DBUS_SESSION_BUS_ADDRESS");
    setenv("XDG_RUNTIME_DIR", "/nonexistent-aadcred-test", 1);
    aadcred::NotificationContent content;
    content.user_code = "ABCD";
    content.verification_url = "https://example.test/device";
    assert_null(aadcred::DesktopNotification::show(content).get());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(control_characters_are_dropped),
        cmocka_unit_test(invalid_utf8_becomes_replacement_characters),
        cmocka_unit_test(long_text_is_cut_at_a_character),
        cmocka_unit_test(the_body_names_page_code_and_time_with_markup_escaped),
        cmocka_unit_test(no_session_bus_shows_nothing),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
