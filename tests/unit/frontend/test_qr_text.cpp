// qr_text(): the one QR drawing the CLI (--qr) and PAM (qr) show. The drawing is read
// back into modules and compared with what libqrencode encodes.

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#if AADCRED_FRONTEND_HAVE_QRENCODE
#include <qrencode.h>
#endif

#include "../common/cmocka_cpp.hpp"
#include "qr_text.hpp"

namespace {

using aadcred::frontend::kQrMaxBytes;
using aadcred::frontend::qr_style_for;
using aadcred::frontend::qr_text;
using aadcred::frontend::QrStyle;

constexpr std::string_view kUrl = "https://microsoft.com/devicelogin";

#if AADCRED_FRONTEND_HAVE_QRENCODE

constexpr std::string_view kColoursOn = "\x1b[37;40m";
constexpr std::string_view kColoursOff = "\x1b[0m";

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    for (;;) {
        const auto nl = text.find('\n');
        lines.push_back(text.substr(0, nl));
        if (nl == std::string_view::npos) return lines;
        text.remove_prefix(nl + 1);
    }
}

// The drawing as rows of light (true) and dark modules, two rows a line; fails the test on
// anything but the four cells the drawing uses.
std::vector<std::vector<bool>> modules_of(std::string_view drawing) {
    std::vector<std::vector<bool>> rows;
    for (std::string_view line : lines_of(drawing)) {
        std::vector<bool> top, bottom;
        while (!line.empty()) {
            if (line.front() == ' ') {
                top.push_back(false);
                bottom.push_back(false);
                line.remove_prefix(1);
                continue;
            }
            const std::string_view cell = line.substr(0, 3);
            const bool full = cell == "\u2588", upper = cell == "\u2580", lower = cell == "\u2584";
            assert_true(full || upper || lower);
            top.push_back(full || upper);
            bottom.push_back(full || lower);
            line.remove_prefix(3);
        }
        rows.push_back(top);
        rows.push_back(bottom);
    }
    return rows;
}

// What the drawing must show: libqrencode's modules (bit 0 set: dark) with two light
// modules around, rounded up to an even number of rows with light ones.
std::vector<std::vector<bool>> expected_modules(std::string_view text) {
    const std::string input(text);
    QRcode *code = QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_L, QR_MODE_8, 1);
    assert_non_null(code);
    const int width = code->width;
    const int size = width + 4;
    std::vector<std::vector<bool>> rows(static_cast<std::size_t>(size + size % 2),
                                        std::vector<bool>(static_cast<std::size_t>(size), true));
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width; ++x) {
            rows[static_cast<std::size_t>(y + 2)][static_cast<std::size_t>(x + 2)] =
                (code->data[y * width + x] & 1) == 0;
        }
    }
    QRcode_free(code);
    return rows;
}

void draws_what_libqrencode_encodes(void **) {
    const std::string longest(kQrMaxBytes, 'a');
    for (const std::string_view text :
         {kUrl, std::string_view("https://login.example.test/device?user_code=ABCD-EFGH&x=1"),
          std::string_view(longest)}) {
        const std::string drawing = qr_text(text, QrStyle::plain);
        assert_false(drawing.empty());
        assert_true(modules_of(drawing) == expected_modules(text));
    }
}

void plain_is_text_without_a_final_line_break(void **) {
    const std::string drawing = qr_text(kUrl, QrStyle::plain);
    assert_int_equal(drawing.find('\x1b'), std::string::npos);
    assert_true(drawing.back() != '\n');
    // The top line is all quiet zone: light modules, drawn.
    const std::string_view top = lines_of(drawing).front();
    assert_true(top.size() % 3 == 0);
    for (std::size_t i = 0; i < top.size(); i += 3) assert_sv_equal(top.substr(i, 3), "\u2588");
}

// Dark-on-light whatever the terminal's colours: every line sets white on black for its
// light glyphs and resets before the line break.
void terminal_sets_its_own_colours_on_every_line(void **) {
    const std::string plain_drawing = qr_text(kUrl, QrStyle::plain);
    const std::vector<std::string_view> plain = lines_of(plain_drawing);
    const std::string drawing = qr_text(kUrl, QrStyle::terminal);
    const std::vector<std::string_view> coloured = lines_of(drawing);
    assert_int_equal(coloured.size(), plain.size());
    for (std::size_t i = 0; i < coloured.size(); ++i) {
        std::string_view line = coloured[i];
        assert_true(line.starts_with(kColoursOn));
        assert_true(line.ends_with(kColoursOff));
        line.remove_prefix(kColoursOn.size());
        line.remove_suffix(kColoursOff.size());
        assert_sv_equal(line, plain[i]);
    }
}

void refuses_what_it_cannot_draw(void **) {
    assert_true(qr_text("", QrStyle::plain).empty());
    assert_true(qr_text("", QrStyle::terminal).empty());
    assert_true(qr_text(std::string(kQrMaxBytes + 1, 'a'), QrStyle::plain).empty());
    assert_false(qr_text(std::string(kQrMaxBytes, 'a'), QrStyle::plain).empty());
}

#else

void draws_nothing_without_libqrencode(void **) {
    assert_true(qr_text(kUrl, QrStyle::plain).empty());
    assert_true(qr_text(kUrl, QrStyle::terminal).empty());
}

#endif

void style_follows_the_output(void **) {
    int fds[2] = {-1, -1};
    assert_int_equal(pipe(fds), 0);
    setenv("TERM", "xterm-256color", 1);
    unsetenv("NO_COLOR");
    assert_true(qr_style_for(fds[1]) == QrStyle::plain);  // a pipe, a file: no colours
    close(fds[0]);
    close(fds[1]);

    const int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        if (master >= 0) close(master);
        skip();  // no pseudo-terminals here
    }
    const int tty = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(tty >= 0);
    assert_true(qr_style_for(tty) == QrStyle::terminal);
    setenv("NO_COLOR", "", 1);  // empty: not set (no-color.org)
    assert_true(qr_style_for(tty) == QrStyle::terminal);
    setenv("NO_COLOR", "1", 1);
    assert_true(qr_style_for(tty) == QrStyle::plain);
    unsetenv("NO_COLOR");
    setenv("TERM", "dumb", 1);
    assert_true(qr_style_for(tty) == QrStyle::plain);
    unsetenv("TERM");
    assert_true(qr_style_for(tty) == QrStyle::plain);
    close(tty);
    close(master);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
#if AADCRED_FRONTEND_HAVE_QRENCODE
        cmocka_unit_test(draws_what_libqrencode_encodes),
        cmocka_unit_test(plain_is_text_without_a_final_line_break),
        cmocka_unit_test(terminal_sets_its_own_colours_on_every_line),
        cmocka_unit_test(refuses_what_it_cannot_draw),
#else
        cmocka_unit_test(draws_nothing_without_libqrencode),
#endif
        cmocka_unit_test(style_follows_the_output),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
