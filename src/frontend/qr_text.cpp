#include "qr_text.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cstring>

#if AADCRED_FRONTEND_HAVE_QRENCODE
#include <qrencode.h>

#include <memory>
#endif

namespace aadcred::frontend {

QrStyle qr_style_for(int fd) {
    if (::isatty(fd) != 1) return QrStyle::plain;
    const char *term = ::getenv("TERM");
    if (term == nullptr || *term == '\0' || std::strcmp(term, "dumb") == 0) return QrStyle::plain;
    // https://no-color.org: present and not empty means no colour escapes.
    const char *no_color = ::getenv("NO_COLOR");
    if (no_color != nullptr && *no_color != '\0') return QrStyle::plain;
    return QrStyle::terminal;
}

#if AADCRED_FRONTEND_HAVE_QRENCODE
namespace {

struct QrFree {
    void operator()(QRcode *code) const noexcept { QRcode_free(code); }
};

// ISO/IEC 18004 asks for a 4-module quiet zone; 2 is what terminal QR tools use and
// phones read it, and it keeps the code on one screen.
constexpr int kQuietZone = 2;

// White glyphs on a black background: the light modules are what is drawn. Reset before
// every line break, so a scrolling terminal never paints the rest of a line black.
constexpr std::string_view kColoursOn = "\x1b[37;40m";
constexpr std::string_view kColoursOff = "\x1b[0m";

}  // namespace

std::string qr_text(std::string_view text, QrStyle style) {
    if (text.empty() || text.size() > kQrMaxBytes) return {};
    const std::string input(text);  // libqrencode wants a C string
    const std::unique_ptr<QRcode, QrFree> code(
        QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_L, QR_MODE_8, 1));
    if (!code || code->width <= 0) return {};
    const int width = code->width;
    // True for a light module; everything outside the code is quiet zone, and light.
    auto light = [&](int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= width) return true;
        return (code->data[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                           static_cast<std::size_t>(x)] &
                1) == 0;
    };
    std::string out;
    for (int y = -kQuietZone; y < width + kQuietZone; y += 2) {
        if (!out.empty()) out += '\n';
        if (style == QrStyle::terminal) out += kColoursOn;
        for (int x = -kQuietZone; x < width + kQuietZone; ++x) {
            const bool top = light(x, y);
            const bool bottom = light(x, y + 1);
            out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
        }
        if (style == QrStyle::terminal) out += kColoursOff;
    }
    return out;
}

#else

std::string qr_text(std::string_view, QrStyle) {
    return {};
}

#endif

}  // namespace aadcred::frontend
