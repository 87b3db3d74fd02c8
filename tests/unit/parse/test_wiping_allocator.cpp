// util/wiping_allocator.hpp: every block RapidJSON frees (pool chunks, the reader's and
// the document's stacks) is zero when it goes back to the C library. The release policy
// below looks at each block just before std::free, so nothing reads freed memory.

#include "util/wiping_allocator.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "core/oauth2/token_entry.hpp"

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"

using namespace aadcred;

namespace {

struct Inspect {
    static inline std::size_t released = 0;
    static inline std::size_t dirty = 0;  // released with a byte not wiped
    static void release(void *block, std::size_t size) noexcept {
        const auto *bytes = static_cast<const unsigned char *>(block);
        ++released;
        if (std::any_of(bytes, bytes + size, [](unsigned char c) { return c != 0; })) ++dirty;
        std::free(block);
    }
    static void reset() { released = dirty = 0; }
};

using Inspecting = util::BasicWipingAllocator<Inspect>;
using InspectingPool = rapidjson::MemoryPoolAllocator<Inspecting>;
using InspectingDocument =
    rapidjson::GenericDocument<rapidjson::UTF8<>, InspectingPool, Inspecting>;

// Longer than RapidJSON's short-string buffer, so it lives in a pool chunk.
const std::string kToken =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-access-token-" + std::string(200, 'A');

}  // namespace

static void free_wipes_the_block(void **) {
    Inspect::reset();
    Inspecting allocator;
    void *p = allocator.Malloc(kToken.size());
    assert_non_null(p);
    std::memcpy(p, kToken.data(), kToken.size());
    Inspecting::Free(p);
    assert_int_equal(Inspect::released, 1);
    assert_int_equal(Inspect::dirty, 0);
    Inspecting::Free(nullptr);  // as free(NULL)
    assert_int_equal(Inspect::released, 1);
    assert_null(allocator.Malloc(0));
}

static void realloc_moves_and_wipes_the_old_block(void **) {
    Inspect::reset();
    Inspecting allocator;
    auto *p = static_cast<char *>(allocator.Malloc(16));
    std::memcpy(p, "0123456789abcdef", 16);
    auto *q = static_cast<char *>(allocator.Realloc(p, 16, 4096));
    assert_non_null(q);
    assert_memory_equal(q, "0123456789abcdef", 16);
    assert_int_equal(Inspect::released, 1);  // the old block, wiped
    assert_int_equal(Inspect::dirty, 0);
    assert_ptr_equal(allocator.Realloc(q, 4096, 8), q);  // shrinking keeps the block
    assert_null(allocator.Realloc(q, 8, 0));             // as CrtAllocator: frees
    assert_int_equal(Inspect::released, 2);
    assert_int_equal(Inspect::dirty, 0);
}

static void memory_pool_clear_wipes_its_chunks(void **) {
    Inspect::reset();
    {
        InspectingPool pool(256);
        for (int i = 0; i < 8; ++i) {
            void *p = pool.Malloc(kToken.size());
            std::memcpy(p, kToken.data(), kToken.size());
        }
        pool.Clear();
        assert_true(Inspect::released >= 8);
        assert_int_equal(Inspect::dirty, 0);
    }
    assert_int_equal(Inspect::dirty, 0);
}

static void a_parsed_token_leaves_no_bytes_behind(void **) {
    Inspect::reset();
    const std::string reply = R"({"token_type":"Bearer","access_token":")" + kToken +
                              R"(","refresh_token":")" + kToken + R"(","expires_in":3599})";
    {
        InspectingDocument doc;
        doc.Parse(reply.c_str(), reply.size());
        assert_false(doc.HasParseError());
        assert_int_equal(doc["access_token"].GetStringLength(), kToken.size());
    }
    assert_true(Inspect::released > 0);
    assert_int_equal(Inspect::dirty, 0);
}

static void token_entry_from_a_parsed_value(void **) {
    // A cache's items are read straight from the parsed array (TokenEntry::from_value),
    // not written out as text and parsed again.
    const std::string item = R"({"accessToken":")" + kToken +
                             R"(","tokenType":"Bearer","expiresIn":3599,"isMRRT":true,)"
                             R"("_authority":"https://login.example/t","extra":[1,{"a":2.5}]})";
    const auto array = json::parse_secret("[" + item + "]", "token cache");
    const TokenEntry direct = TokenEntry::from_value(array[0]);
    const TokenEntry via_text = TokenEntry::from_json(item);
    assert_true(direct == via_text);
    assert_sv_equal(direct.to_json(), via_text.to_json());
    const auto plain = json::parse("[" + item + "]");
    assert_true(TokenEntry::from_value(plain[0]) == via_text);
    // The same checks as from_json: a token that is not a string is refused.
    const auto bad = json::parse_secret(R"([{"accessToken":5,"tokenType":"Bearer"}])");
    try {
        (void)TokenEntry::from_value(bad[0]);
        fail();
    } catch (const AdalError &e) {
        assert_non_null(std::strstr(e.what(), "accessToken is not a string"));
    }
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(free_wipes_the_block),
        cmocka_unit_test(realloc_moves_and_wipes_the_old_block),
        cmocka_unit_test(memory_pool_clear_wipes_its_chunks),
        cmocka_unit_test(a_parsed_token_leaves_no_bytes_behind),
        cmocka_unit_test(token_entry_from_a_parsed_value),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
