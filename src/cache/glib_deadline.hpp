#pragma once
// RAII for the GLib objects the Secret Service store uses, its private main context, and
// a deadline for each libsecret call.
//
// Why a private context (issue 9): every D-Bus proxy libsecret makes (the service, each
// item found, a collection) subscribes to signals in the thread-default GMainContext of
// the moment, and freeing the proxy later queues a destroy notify there. libsecret's _sync
// calls make a fresh context per call and never run it again, so each call left its
// context and those sources behind (~1 KB per lookup, +9.5 MB over 10,000). The store
// instead runs libsecret's asynchronous calls on one context of its own, pushed as the
// thread default for each operation (ContextScope) and run until idle once the
// operation's objects are freed; nothing is left queued anywhere.
//
// Why a deadline: GDBus's own default timeout is 25 s per call, and a prompt waits for as
// long as it is shown. A timeout source on the same context cancels the call, so a dead
// or wedged bus can never hang git or PAM, and no thread is needed for it.
//
// GLib is loaded at run time (cache/glib_library.hpp): every call here goes through
// glib(), which the store loaded before it made its first object.

#include <gio/gio.h>

#include <chrono>
#include <memory>
#include <string>

#include "cache/glib_library.hpp"

namespace aadcred {

struct GObjectUnref {
    void operator()(gpointer object) const noexcept {
        if (object != nullptr) glib().object_unref(object);
    }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GErrorFree {
    void operator()(GError *error) const noexcept {
        if (error != nullptr) glib().error_free(error);
    }
};
using GErrorPtr = std::unique_ptr<GError, GErrorFree>;

struct GHashTableUnref {
    void operator()(GHashTable *table) const noexcept {
        if (table != nullptr) glib().hash_table_unref(table);
    }
};
using GHashTablePtr = std::unique_ptr<GHashTable, GHashTableUnref>;

struct GMainContextUnref {
    void operator()(GMainContext *context) const noexcept {
        if (context != nullptr) glib().main_context_unref(context);
    }
};
using GMainContextPtr = std::unique_ptr<GMainContext, GMainContextUnref>;

/// A GList of GObjects (libsecret's search results), unreferenced element by element.
struct GObjectListFree {
    void operator()(GList *list) const noexcept {
        glib().list_free_full(list, glib().object_unref);
    }
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

/// Makes `context` this thread's default for a scope. Declare it before every GLib object
/// of the operation: on leaving, once those are freed, it runs whatever they queued, then
/// pops the context.
class ContextScope {
  public:
    explicit ContextScope(GMainContext *context);
    ~ContextScope();
    ContextScope(const ContextScope &) = delete;
    ContextScope &operator=(const ContextScope &) = delete;

  private:
    GMainContext *context_;
};

/// Runs queued sources of `context` until none is ready (never blocks).
void run_until_idle(GMainContext *context);

/// One asynchronous libsecret call, run to completion on `context` within `limit`:
///   AsyncCall call(context, limit);
///   secret_x(..., call.cancellable(), AsyncCall::ready, &call);
///   secret_x_finish(..., call.wait(), error);
class AsyncCall {
  public:
    AsyncCall(GMainContext *context, std::chrono::milliseconds limit);
    ~AsyncCall();
    AsyncCall(const AsyncCall &) = delete;
    AsyncCall &operator=(const AsyncCall &) = delete;

    GCancellable *cancellable() const noexcept { return cancellable_.get(); }
    /// The GAsyncReadyCallback; its user data is the AsyncCall.
    static void ready(GObject *source, GAsyncResult *result, gpointer call);
    /// Iterates the context until the call completed (a cancelled call completes too, with
    /// G_IO_ERROR_CANCELLED); the result stays valid while the AsyncCall lives.
    GAsyncResult *wait();
    /// True once the deadline cancelled the call.
    bool expired() const noexcept { return expired_; }
    std::chrono::milliseconds limit() const noexcept { return limit_; }

  private:
    static gboolean on_deadline(gpointer call);

    GMainContext *context_;
    std::chrono::milliseconds limit_;
    GObjectPtr<GCancellable> cancellable_;
    GSource *timeout_ = nullptr;
    GObjectPtr<GAsyncResult> result_;
    bool expired_ = false;
};

/// The text of a failed call: "<what>: <GError message>", or, when the deadline cancelled
/// it, "<what>: no answer within N s".
std::string describe_failure(const std::string &what, const GError *error, const AsyncCall &call);

}  // namespace aadcred
