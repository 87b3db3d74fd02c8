#pragma once
// A shared library loaded at run time (dlopen), for the dependencies only some calls need
// (libcurl: a request on the wire; libxml2: a federated sign-in), so that a warm token
// maps neither (issue 12; systemd's dlopen pattern). Opened RTLD_NOW | RTLD_LOCAL: its
// symbols stay out of the host's namespace, so a host linking its own copy is not
// disturbed. Never closed: a PAM module cannot know whether its host still uses it.

#include <dlfcn.h>

#include <string>

namespace aadcred {

class DynamicLibrary {
  public:
    /// Opens `soname` (e.g. "libcurl.so.4"); error() says why when it cannot.
    explicit DynamicLibrary(const char *soname);

    /// Points `slot` at the function `name`; a missing one is recorded in error().
    template <typename Function>
    void resolve(const char *name, Function &slot) {
        if (void *symbol = find(name)) slot = reinterpret_cast<Function>(symbol);
    }

    /// Empty when the library opened and every resolve() found its function; else what
    /// went wrong ("cannot load libcurl.so.4: ..." or "libcurl.so.4 lacks curl_url").
    std::string error() const;

  private:
    void *find(const char *name);

    std::string soname_;
    void *handle_ = nullptr;
    std::string open_error_;
    std::string missing_;
};

}  // namespace aadcred
