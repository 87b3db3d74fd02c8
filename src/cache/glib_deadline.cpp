#include "cache/glib_deadline.hpp"

namespace aadcred {

ContextScope::ContextScope(GMainContext *context) : context_(context) {
    glib().main_context_push_thread_default(context_);
}

ContextScope::~ContextScope() {
    // The operation's proxies are gone by now: their destroy notifies (and any signal
    // that reached them) wait here, and would otherwise stay queued for ever.
    run_until_idle(context_);
    glib().main_context_pop_thread_default(context_);
}

void run_until_idle(GMainContext *context) {
    while (glib().main_context_iteration(context, FALSE)) {
    }
}

AsyncCall::AsyncCall(GMainContext *context, std::chrono::milliseconds limit)
    : context_(context), limit_(limit), cancellable_(glib().cancellable_new()) {
    timeout_ = glib().timeout_source_new(static_cast<guint>(limit_.count()));
    glib().source_set_callback(timeout_, &AsyncCall::on_deadline, this, nullptr);
    glib().source_attach(timeout_, context_);
}

AsyncCall::~AsyncCall() {
    if (!glib().source_is_destroyed(timeout_)) glib().source_destroy(timeout_);
    glib().source_unref(timeout_);
}

void AsyncCall::ready(GObject *, GAsyncResult *result, gpointer call) {
    static_cast<AsyncCall *>(call)->result_.reset(
        static_cast<GAsyncResult *>(glib().object_ref(result)));
}

gboolean AsyncCall::on_deadline(gpointer call) {
    auto *self = static_cast<AsyncCall *>(call);
    self->expired_ = true;
    // The call then completes with G_IO_ERROR_CANCELLED, which wait() is waiting for.
    glib().cancellable_cancel(self->cancellable_.get());
    return G_SOURCE_REMOVE;
}

GAsyncResult *AsyncCall::wait() {
    while (!result_) glib().main_context_iteration(context_, TRUE);
    return result_.get();
}

std::string describe_failure(const std::string &what, const GError *error, const AsyncCall &call) {
    if (call.expired()) {
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(call.limit());
        return what + ": no answer within " + std::to_string(seconds.count()) + " s";
    }
    return what + ": " + (error != nullptr ? error->message : "unknown error");
}

}  // namespace aadcred
