#pragma once
// RAII for the GLib objects the Secret Service store uses, and a deadline for libsecret's
// synchronous calls. Those calls block in a private main loop; GDBus's own default
// timeout is 25 s per call, and a prompt waits for as long as it is shown. A watchdog
// thread cancels a GCancellable when the deadline passes, so a dead or wedged bus can
// never hang git or PAM: every call then fails with G_IO_ERROR_CANCELLED.

#include <gio/gio.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace aadcred {

struct GObjectUnref {
    void operator()(gpointer object) const noexcept {
        if (object != nullptr) g_object_unref(object);
    }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GErrorFree {
    void operator()(GError *error) const noexcept {
        if (error != nullptr) g_error_free(error);
    }
};
using GErrorPtr = std::unique_ptr<GError, GErrorFree>;

struct GHashTableUnref {
    void operator()(GHashTable *table) const noexcept {
        if (table != nullptr) g_hash_table_unref(table);
    }
};
using GHashTablePtr = std::unique_ptr<GHashTable, GHashTableUnref>;

/// A GList of GObjects (libsecret's search results), unreferenced element by element.
struct GObjectListFree {
    void operator()(GList *list) const noexcept { g_list_free_full(list, g_object_unref); }
};
using GObjectListPtr = std::unique_ptr<GList, GObjectListFree>;

/// Owns a GError** out-parameter for one call.
class GErrorSlot {
  public:
    GError **out() noexcept { return &error_; }
    GError *get() const noexcept { return error_; }
    ~GErrorSlot() { GErrorFree{}(error_); }

  private:
    GError *error_ = nullptr;
};

class Deadline {
  public:
    explicit Deadline(std::chrono::milliseconds limit);
    ~Deadline();
    Deadline(const Deadline &) = delete;
    Deadline &operator=(const Deadline &) = delete;

    GCancellable *cancellable() const noexcept { return cancellable_.get(); }
    /// True once the watchdog cancelled the calls.
    bool expired() const;
    std::chrono::milliseconds limit() const noexcept { return limit_; }

  private:
    std::chrono::milliseconds limit_;
    GObjectPtr<GCancellable> cancellable_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool finished_ = false;
    bool expired_ = false;
    std::thread watchdog_;
};

/// The text of a failed call: "<what>: <GError message>", or, when the deadline cancelled
/// it, "<what>: no answer within N s".
std::string describe_failure(const std::string &what, const GError *error,
                             const Deadline &deadline);

}  // namespace aadcred
