#pragma once
// Exit statuses of git-credential-aadcred.
//
// git ignores a helper's exit status (credential.c runs every helper and only looks at what
// it printed), so these matter to people and scripts that run the helper by hand. They
// follow the aadcred tool's codes (SPEC §4) so one table explains both. Whatever the
// status, a failing helper prints nothing on stdout: git then tries its next helper or
// fails with its own "Authentication failed", and our reason is on stderr.

namespace gitcred {

enum ExitCode : int {
    /// A credential was printed, or there was nothing to do: no match, `store`, an action
    /// we do not know (git may add actions; helpers must ignore them).
    kExitOk = 0,
    /// The sign-in failed: the authority refused, was unreachable, the store failed.
    kExitAuthFailed = 1,
    /// Bad input on stdin, bad command line or bad configuration.
    kExitUsage = 2,
    /// A device code sign-in is needed but GIT_TERMINAL_PROMPT forbids prompting.
    kExitInteractionRequired = 3,
};

}  // namespace gitcred
