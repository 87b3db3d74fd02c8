#include "util/dynamic_library.hpp"

namespace aadcred {

DynamicLibrary::DynamicLibrary(const char *soname) : soname_(soname) {
    handle_ = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
        const char *why = dlerror();
        open_error_ = "cannot load " + soname_ + ": " + (why != nullptr ? why : "unknown");
    }
}

void *DynamicLibrary::find(const char *name) {
    void *symbol = handle_ != nullptr ? dlsym(handle_, name) : nullptr;
    if (symbol == nullptr && handle_ != nullptr) {
        if (!missing_.empty()) missing_ += ", ";
        missing_ += name;
    }
    return symbol;
}

std::string DynamicLibrary::error() const {
    if (!open_error_.empty()) return open_error_;
    return missing_.empty() ? std::string() : soname_ + " lacks " + missing_;
}

}  // namespace aadcred
