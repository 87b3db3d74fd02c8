#pragma once
// libaadcred's own log lines (retries, "polling gave up", what the authority said) go to
// syslog through pam_syslog while the module runs, never to stderr: stderr belongs to
// the host (sshd's is its log or /dev/null, login's is the person's terminal). Through
// the C API rather than aadcred.hpp's set_logging_options: what was there before must come
// back exactly (the host's callback and payload), since libaadcred can outlive this
// module (pam_end unloads it), and aadcred.hpp would put back its own trampoline, which
// lives in this module, wrapped around the host's callback.

#include <aadcred/aadcred.h>
#include <security/pam_modules.h>

namespace aadcred_pam {

/// While it lives, the library logs warnings and errors (everything with `debug`) to
/// pam_syslog on `pamh`; the previous logging options come back when it goes. The
/// options are process-wide: a host that uses libaadcred itself from another thread at
/// the same moment would see its lines in our syslog for that while.
class LibraryLogToSyslog {
  public:
    LibraryLogToSyslog(pam_handle_t *pamh, bool debug) noexcept;
    LibraryLogToSyslog(const LibraryLogToSyslog &) = delete;
    LibraryLogToSyslog &operator=(const LibraryLogToSyslog &) = delete;
    ~LibraryLogToSyslog();

  private:
    aadcred_logging_options saved_ = AADCRED_LOGGING_OPTIONS_INIT;
    bool installed_ = false;
};

}  // namespace aadcred_pam
