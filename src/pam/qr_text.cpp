#include "qr_text.hpp"

#include <memory>

#if AADCRED_PAM_HAVE_QRENCODE
#include <qrencode.h>
#endif

namespace aadcred_pam {

#if AADCRED_PAM_HAVE_QRENCODE
namespace {

struct QrFree {
    void operator()(QRcode *code) const noexcept { QRcode_free(code); }
};

constexpr int kQuietZone = 2;  // modules of light border (ISO 18004 asks 4; 2 scans fine)
constexpr int kMaxWidth = 57;  // version 10: a long URL, still fits an 80-column terminal
constexpr std::size_t kMaxUrl = 256;

}  // namespace

std::string qr_text(std::string_view url) {
    if (url.empty() || url.size() > kMaxUrl) return {};
    const std::string text(url);
    std::unique_ptr<QRcode, QrFree> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_L, QR_MODE_8, 1));
    if (!code || code->width <= 0 || code->width > kMaxWidth) return {};
    const int size = code->width + 2 * kQuietZone;
    // True for a light module (quiet zone included).
    auto light = [&](int x, int y) {
        x -= kQuietZone;
        y -= kQuietZone;
        if (x < 0 || y < 0 || x >= code->width || y >= code->width) return true;
        return (code->data[y * code->width + x] & 1) == 0;
    };
    std::string out;
    for (int y = 0; y < size; y += 2) {
        for (int x = 0; x < size; ++x) {
            const bool top = light(x, y);
            const bool bottom = y + 1 < size ? light(x, y + 1) : false;
            out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
        }
        out += '\n';
    }
    if (!out.empty()) out.pop_back();
    return out;
}

#else

std::string qr_text(std::string_view) {
    return {};
}

#endif

}  // namespace aadcred_pam
