// SPDX-License-Identifier: Apache-2.0
#include "taskscope.h"

#include "settle.h"

#include "util/logging.h"

#include <QtGlobal>

namespace vigil::async {

struct TaskScope::State {
    explicit State(const std::stop_token &p)
        : parent(p)
        , stop(std::make_unique<LinkedStopSource>(p)) {}
    std::stop_token parent;
    std::unique_ptr<LinkedStopSource> stop;
    std::size_t running = 0;
    bool closed = false;
    ErrorCallback onError;
    Notifier changed;
};

TaskScope::TaskScope(const std::stop_token &parent)
    : m_state(std::make_shared<State>(parent)) {}

TaskScope::~TaskScope() {
    Q_ASSERT_X(m_state->closed || m_state->running == 0, "TaskScope",
               "destroyed while its tasks run; co_await close() first");
}

std::stop_token TaskScope::token() const {
    return m_state->stop->token();
}

void TaskScope::spawn(QCoro::Task<> task) {
    Q_ASSERT_X(!m_state->closed, "TaskScope::spawn", "spawn() after close()");
    ++m_state->running; // before supervising: a task that already ended finishes right here
    supervise(m_state, std::move(task));
}

void TaskScope::cancel() {
    auto &state = *m_state;
    if (state.closed) {
        state.stop->requestStop();
        return;
    }
    // The next tasks get a fresh token; the old source lives until its stop has run, since the
    // cancel hooks run inside requestStop().
    auto old = std::exchange(state.stop, std::make_unique<LinkedStopSource>(state.parent));
    old->requestStop();
}

QCoro::Task<> TaskScope::join() {
    auto state = m_state;
    while (state->running > 0)
        co_await state->changed.wait();
}

QCoro::Task<> TaskScope::close() {
    auto state = m_state;
    state->closed = true;
    state->stop->requestStop();
    while (state->running > 0)
        co_await state->changed.wait();
}

void TaskScope::setErrorCallback(ErrorCallback callback) {
    m_state->onError = std::move(callback);
}

std::size_t TaskScope::running() const {
    return m_state->running;
}

bool TaskScope::isClosed() const {
    return m_state->closed;
}

QCoro::Task<> TaskScope::supervise(std::shared_ptr<State> state, QCoro::Task<> task) {
    auto settled = settle(std::move(task));
    const auto outcome = co_await settled;
    if (!outcome.isOk() && !outcome.isCancelled()) {
        // Warnings are on by default: an error nobody handles must not vanish.
        qCWarning(lcAsync, "TaskScope: a background task failed: %s",
                  qUtf8Printable(outcome.errorMessage()));
        if (state->onError)
            state->onError(outcome.error());
    }
    // Counted down after the error is reported, so a join() that returns has seen every error.
    --state->running;
    state->changed.notifyAll();
}

} // namespace vigil::async
