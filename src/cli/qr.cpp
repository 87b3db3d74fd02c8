#include "qr.hpp"

#ifdef AADCRED_CLI_HAVE_QRENCODE
#include <qrencode.h>

#include <memory>
#endif

namespace aadcred::cli {

#ifdef AADCRED_CLI_HAVE_QRENCODE
namespace {

struct QrDeleter {
    void operator()(QRcode *code) const noexcept { QRcode_free(code); }
};

// ISO/IEC 18004 asks for a 4-module quiet zone; 2 is what terminal QR tools use and
// phones read it, and it keeps the code on one screen.
constexpr int k_quiet = 2;
// A verification URL is short; anything longer is not worth a screen-filling code.
constexpr size_t k_max_text = 512;

}  // namespace

std::string render_qr(std::string_view text) {
    if (text.empty() || text.size() > k_max_text) return {};
    const std::string input(text);
    std::unique_ptr<QRcode, QrDeleter> code(
        QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_L, QR_MODE_8, 1));
    if (!code) return {};
    const int width = code->width;
    // Light modules are drawn, dark ones left blank: right for the usual dark terminal;
    // phone scanners also read the inverted code on a light one.
    auto light = [&](int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= width) return true;
        return (code->data[static_cast<size_t>(y) * static_cast<size_t>(width) +
                           static_cast<size_t>(x)] &
                1) == 0;
    };
    std::string out;
    for (int y = -k_quiet; y < width + k_quiet; y += 2) {
        for (int x = -k_quiet; x < width + k_quiet; ++x) {
            const bool top = light(x, y);
            const bool bottom = light(x, y + 1);
            out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
        }
        out += '\n';
    }
    return out;
}

#else

std::string render_qr(std::string_view) {
    return {};
}

#endif

}  // namespace aadcred::cli
