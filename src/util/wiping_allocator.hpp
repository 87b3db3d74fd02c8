#pragma once
// A RapidJSON base allocator (the CrtAllocator concept) that wipes every block before it
// goes back to the C library. RapidJSON's MemoryPoolAllocator keeps a document's strings
// in chunks it frees only all at once (Clear, or the document's end); over this allocator
// those chunks, the reader's string stack and the document's value stack hold no token
// after they are freed. json::SecretDocument (core/json.hpp) is built on it.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "util/secret_string.hpp"

namespace aadcred::util {

/// Hands a wiped block back to the C library. Tests substitute a policy that looks at the
/// block first, so they can check the wipe without reading freed memory.
struct FreeWipedBlock {
    static void release(void *block, std::size_t) noexcept { std::free(block); }
};

template <typename Release = FreeWipedBlock>
class BasicWipingAllocator {
  public:
    static const bool kNeedFree = true;

    void *Malloc(std::size_t size) {
        if (size == 0 || size > SIZE_MAX - kHeader) return nullptr;  // as CrtAllocator
        auto *block = static_cast<unsigned char *>(std::malloc(kHeader + size));
        if (block == nullptr) return nullptr;
        std::memcpy(block, &size, sizeof size);
        return block + kHeader;
    }

    // Never std::realloc: it may move the bytes and free the old block unwiped.
    void *Realloc(void *original, std::size_t original_size, std::size_t new_size) {
        if (original == nullptr) return Malloc(new_size);
        if (new_size == 0) {
            Free(original);
            return nullptr;
        }
        const std::size_t held = size_of(original);
        if (new_size <= held) return original;  // the whole block is wiped when freed
        void *fresh = Malloc(new_size);
        if (fresh == nullptr) return nullptr;
        std::memcpy(fresh, original, original_size < held ? original_size : held);
        Free(original);
        return fresh;
    }

    static void Free(void *ptr) noexcept {
        if (ptr == nullptr) return;
        unsigned char *block = static_cast<unsigned char *>(ptr) - kHeader;
        const std::size_t size = size_of(ptr);
        secure_wipe(block, kHeader + size);
        Release::release(block, kHeader + size);
    }

  private:
    // The block's size sits in front of it, in a header as wide as malloc's alignment so
    // the caller's part keeps that alignment.
    static constexpr std::size_t kHeader = alignof(std::max_align_t);
    static_assert(kHeader >= sizeof(std::size_t));

    static std::size_t size_of(void *ptr) noexcept {
        std::size_t size = 0;
        std::memcpy(&size, static_cast<unsigned char *>(ptr) - kHeader, sizeof size);
        return size;
    }
};

using WipingAllocator = BasicWipingAllocator<>;

}  // namespace aadcred::util
