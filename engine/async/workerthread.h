// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "notifier.h"

#include <QCoroTask>
#include <QObject>
#include <QThread>

#include <exception>
#include <functional>
#include <optional>
#include <utility>

namespace vigil::async {

/// @brief A thread with an event loop of its own, and the one object that lives there: work whose
/// coroutines must not wait for the GUI thread to draw (downloads, batches) runs on it.
///
/// The host object is made here, moved to the thread with its children (a timer that is not a
/// child stays behind and never fires), and deleted there before the thread ends. Everything the
/// host does happens on its thread, in the order post() was called. The destructor ends the thread
/// and joins it; the owner ends the host's work first, so the join is immediate.
template <class Host> class WorkerThread {
public:
    template <class... Args>
    explicit WorkerThread(const QString &name, Args &&...args)
        : m_host(new Host(std::forward<Args>(args)...)) {
        m_thread.setObjectName(name);
        m_host->moveToThread(&m_thread);
        m_teardown.moveToThread(&m_thread);
        m_thread.start();
    }
    ~WorkerThread() {
        // The host goes on its thread while the loop still runs: its destruction may leave
        // objects to delete later (a connection pool's sockets), and those are deleted as the
        // thread ends only if they were posted before the loop stopped. So both steps are posted,
        // in order, to an object of the thread other than the host.
        Host *host = m_host;
        QMetaObject::invokeMethod(
            &m_teardown, [host] { delete host; }, Qt::QueuedConnection);
        QMetaObject::invokeMethod(
            &m_teardown, [] { QThread::currentThread()->quit(); }, Qt::QueuedConnection);
        m_thread.wait();
    }
    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    /// Runs @p call with the host on the thread, after every call posted before it.
    void post(std::function<void(Host &)> call) {
        Host *host = m_host;
        const auto onThread = [host, call = std::move(call)] { call(*host); };
        QMetaObject::invokeMethod(host, onThread, Qt::QueuedConnection);
    }
    [[nodiscard]] const QThread *thread() const { return &m_thread; }

private:
    QThread m_thread;
    Host *m_host;
    QObject m_teardown; ///< lives on the thread; ends the host and the loop there
};

/// @brief A result that one thread hands to another: deliver() or fail() on any thread, then
/// `co_await take()` on the receiver's thread, which gets the value or rethrows the error.
///
/// Delivery goes through the receiver's event loop, so the receiver must outlive it.
template <class T> class Handover {
public:
    explicit Handover(QObject &receiver)
        : m_receiver(&receiver) {}

    void deliver(T value) {
        Handover *self = this;
        const auto arrive = [self, value = std::move(value)] {
            self->m_value = value;
            self->m_ready.notifyAll();
        };
        QMetaObject::invokeMethod(m_receiver, arrive, Qt::QueuedConnection);
    }
    void fail(std::exception_ptr error) {
        Handover *self = this;
        const auto arrive = [self, error] {
            self->m_error = error;
            self->m_ready.notifyAll();
        };
        QMetaObject::invokeMethod(m_receiver, arrive, Qt::QueuedConnection);
    }
    /// Waits for the next delivery; one taker at a time.
    [[nodiscard]] QCoro::Task<T> take() {
        while (!m_value && !m_error)
            co_await m_ready.wait();
        if (const std::exception_ptr error = std::exchange(m_error, nullptr))
            std::rethrow_exception(error);
        T value = std::move(*m_value);
        m_value.reset();
        co_return value;
    }

private:
    QObject *m_receiver;
    std::optional<T> m_value;
    std::exception_ptr m_error;
    Notifier m_ready;
};

} // namespace vigil::async
