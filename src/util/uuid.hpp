#pragma once
// Random UUIDs for correlation ids, JWT "jti" and ADAL's fallback userId.

#include <string>

namespace aadcred {

/// A version 4 UUID (RFC 9562 §5.4) from the kernel's CSPRNG (getrandom), lower-case
/// 8-4-4-4-12 text exactly like Python's str(uuid.uuid4()). Throws std::runtime_error if
/// getrandom fails.
std::string uuid4();

}  // namespace aadcred
