// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cancellation.h"
#include "waitqueue.h"

#include <deque>
#include <limits>
#include <optional>
#include <stdexcept>

namespace vigil::async {

/// @brief Thrown by Channel::send on a closed channel: the value was not delivered.
class ChannelClosed : public std::runtime_error {
public:
    ChannelClosed()
        : std::runtime_error("channel closed") {}
};

/// @brief A bounded async queue (asyncio.Queue(maxsize)) with backpressure and close().
///
/// send() suspends while the channel is full; receive() suspends while it is empty and yields
/// nullopt once the channel is closed and drained. Values are handed over directly to a waiting
/// peer, so the capacity is never exceeded, even for a moment.
template <typename T> class Channel {
public:
    static constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

    class SendAwaiter {
    public:
        SendAwaiter(Channel &ch, T value, std::stop_token token)
            : m_ch(ch)
            , m_value(std::move(value))
            , m_token(std::move(token)) {}
        SendAwaiter(const SendAwaiter &) = delete;
        SendAwaiter &operator=(const SendAwaiter &) = delete;
        SendAwaiter(SendAwaiter &&other) noexcept
            : m_ch(other.m_ch)
            , m_value(std::move(other.m_value))
            , m_token(std::move(other.m_token)) {}

        bool await_ready() {
            if (m_token.stop_requested() || m_ch.m_closed)
                return true;
            if (m_ch.tryPut(*m_value)) {
                m_value.reset();
                m_node.completeNow(detail::WaitState::Granted);
                return true;
            }
            return false;
        }
        void await_suspend(std::coroutine_handle<> handle) {
            m_node.suspend(handle, &m_ch.m_senders, m_token);
        }
        void await_resume() {
            m_node.disarm();
            if (m_node.state() == detail::WaitState::Granted)
                return;
            if (m_ch.m_closed && !m_token.stop_requested())
                throw ChannelClosed();
            throw Cancelled();
        }

    private:
        friend class Channel;
        Channel &m_ch;
        std::optional<T> m_value;
        std::stop_token m_token;
        detail::WaitNode m_node{this};
    };

    class ReceiveAwaiter {
    public:
        ReceiveAwaiter(Channel &ch, std::stop_token token)
            : m_ch(ch)
            , m_token(std::move(token)) {}
        ReceiveAwaiter(const ReceiveAwaiter &) = delete;
        ReceiveAwaiter &operator=(const ReceiveAwaiter &) = delete;
        ReceiveAwaiter(ReceiveAwaiter &&other) noexcept
            : m_ch(other.m_ch)
            , m_token(std::move(other.m_token)) {}

        bool await_ready() {
            if (m_token.stop_requested())
                return true;
            m_value = m_ch.tryReceive();
            if (m_value || m_ch.m_closed) {
                m_node.completeNow(detail::WaitState::Granted);
                return true;
            }
            return false;
        }
        void await_suspend(std::coroutine_handle<> handle) {
            m_node.suspend(handle, &m_ch.m_receivers, m_token);
        }
        std::optional<T> await_resume() {
            m_node.disarm();
            if (m_node.state() == detail::WaitState::Granted)
                return std::move(m_value);
            if (m_node.state() == detail::WaitState::Closed)
                return std::nullopt;
            throw Cancelled();
        }

    private:
        friend class Channel;
        Channel &m_ch;
        std::stop_token m_token;
        std::optional<T> m_value;
        detail::WaitNode m_node{this};
    };

    explicit Channel(std::size_t capacity)
        : m_capacity(std::max<std::size_t>(1, capacity)) {}
    Channel(const Channel &) = delete;
    Channel &operator=(const Channel &) = delete;

    [[nodiscard]] SendAwaiter send(T value, std::stop_token token = {}) {
        return {*this, std::move(value), std::move(token)};
    }
    [[nodiscard]] ReceiveAwaiter receive(std::stop_token token = {}) {
        return {*this, std::move(token)};
    }

    /// Puts @p value without waiting; false (value untouched) when full or closed.
    bool trySend(T &value) { return !m_closed && tryPut(value); }

    std::optional<T> tryReceive() {
        if (m_items.empty())
            return std::nullopt;
        std::optional<T> out(std::move(m_items.front()));
        m_items.pop_front();
        // A waiting sender's value takes the freed slot at once, in FIFO order.
        if (auto *node = m_senders.front()) {
            auto *sender = node->template owner<SendAwaiter>();
            m_items.push_back(std::move(*sender->m_value));
            sender->m_value.reset();
            node->wake(detail::WaitState::Granted);
        }
        return out;
    }

    /// No more values: waiting receivers get nullopt after the queue drains, waiting and later
    /// senders get ChannelClosed.
    void close() {
        m_closed = true;
        m_receivers.wakeAll(detail::WaitState::Closed);
        m_senders.wakeAll(detail::WaitState::Closed);
    }

    [[nodiscard]] bool isClosed() const { return m_closed; }
    [[nodiscard]] std::size_t size() const { return m_items.size(); }
    [[nodiscard]] std::size_t capacity() const { return m_capacity; }
    [[nodiscard]] std::size_t waitingSenders() const { return m_senders.size(); }
    [[nodiscard]] std::size_t waitingReceivers() const { return m_receivers.size(); }

private:
    bool tryPut(T &value) {
        if (auto *node = m_receivers.front()) {
            node->template owner<ReceiveAwaiter>()->m_value.emplace(std::move(value));
            node->wake(detail::WaitState::Granted);
            return true;
        }
        if (m_items.size() >= m_capacity)
            return false;
        m_items.push_back(std::move(value));
        return true;
    }

    std::size_t m_capacity;
    bool m_closed = false;
    std::deque<T> m_items;
    detail::WaitQueue m_senders;
    detail::WaitQueue m_receivers;
};

} // namespace vigil::async
