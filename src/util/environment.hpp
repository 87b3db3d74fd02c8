#pragma once
// The caller's environment, read safely. pam_aadcred.so runs inside setuid programs (su,
// sudo, chsh) whose environment the unprivileged caller chose, so nothing of it may steer
// a privileged process: no variable pointing root's authority validation, key log, lock or
// hand-over directory at the caller's choice (issue 9).

namespace aadcred {

/// True when this process runs with privileges its caller does not have: the kernel set
/// AT_SECURE (setuid/setgid/capabilities on exec), or the real and effective ids differ.
bool running_privileged() noexcept;

/// getenv(name), or nullptr when running_privileged(): every AADCRED_* and XDG_* variable
/// (and any other the library reads) goes through here, never through std::getenv.
const char *caller_env(const char *name) noexcept;

}  // namespace aadcred
