// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/channel.h"
#include "async/sleep.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;
using vigil::test::drive;

namespace {
QCoro::Task<> produce(Channel<int> &ch, int count, int &sent, bool closeAtEnd = true) {
    for (int i = 0; i < count; ++i) {
        co_await ch.send(i);
        ++sent;
    }
    if (closeAtEnd)
        ch.close();
}

QCoro::Task<QList<int>> consumeAll(Channel<int> &ch, VirtualClock *clock = nullptr,
                                   std::size_t *peak = nullptr) {
    QList<int> got;
    while (auto v = co_await ch.receive()) {
        got << *v;
        if (peak)
            *peak = std::max(*peak, ch.size());
        if (clock)
            co_await sleepFor(*clock, 10ms); // a slow consumer
    }
    co_return got;
}

QCoro::Task<> pipeline(Channel<int> &ch, VirtualClock &clock, QList<int> &got, std::size_t &peak) {
    int sent = 0;
    auto producer = produce(ch, 50, sent);
    got = co_await consumeAll(ch, &clock, &peak);
    co_await producer;
}

QCoro::Task<std::optional<int>> receiveOne(Channel<int> &ch, std::stop_token token = {}) {
    co_return co_await ch.receive(token);
}

QCoro::Task<> sendOne(Channel<int> &ch, int v) {
    co_await ch.send(v);
}
} // namespace

class TestChannel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void capacityTwoBlocksTheProducer() {
        Channel<int> ch(2);
        int sent = 0;
        auto producer = produce(ch, 5, sent, false);
        detail::drainResumes();
        QCOMPARE(sent, 2);
        QCOMPARE(ch.size(), std::size_t(2));
        QCOMPARE(ch.waitingSenders(), std::size_t(1));
        QVERIFY(!producer.isReady());

        QCOMPARE(ch.tryReceive(), std::optional<int>(0));
        QCOMPARE(ch.size(), std::size_t(2)); // the blocked value moved in at once
        detail::drainResumes();
        QCOMPARE(sent, 3);
        QVERIFY(!producer.isReady());
        ch.close();
        QVERIFY(drive(std::move(producer)).failedWith<ChannelClosed>());
    }

    void valuesArriveInOrderAndCloseEndsTheStream() {
        Channel<int> ch(3);
        int sent = 0;
        auto producer = produce(ch, 20, sent);
        const auto got = drive(consumeAll(ch));
        QList<int> expected;
        for (int i = 0; i < 20; ++i)
            expected << i;
        QCOMPARE(got.value(), expected);
        QVERIFY(drive(std::move(producer)).isOk());
    }

    void slowConsumerHoldsTheProducerBack() {
        VirtualClock clock;
        Channel<int> ch(4);
        QList<int> got;
        std::size_t peak = 0;
        QVERIFY(drive(pipeline(ch, clock, got, peak), &clock).isOk());
        QCOMPARE(got.size(), 50);
        QVERIFY2(peak <= 4, qPrintable(QString::number(peak)));
        QVERIFY(clock.elapsed() >= 490ms);
    }

    void closedChannelDrainsThenReportsEnd() {
        Channel<int> ch(4);
        int v = 7;
        QVERIFY(ch.trySend(v));
        ch.close();
        QCOMPARE(drive(receiveOne(ch)).value(), std::optional<int>(7));
        QCOMPARE(drive(receiveOne(ch)).value(), std::optional<int>());
    }

    void sendAfterCloseThrows() {
        Channel<int> ch(4);
        ch.close();
        QVERIFY(drive(sendOne(ch, 1)).failedWith<ChannelClosed>());
        int v = 1;
        QVERIFY(!ch.trySend(v));
    }

    void waitingReceiverGetsValueHandedOver() {
        Channel<int> ch(1);
        auto receiver = receiveOne(ch);
        QCOMPARE(ch.waitingReceivers(), std::size_t(1));
        int v = 5;
        QVERIFY(ch.trySend(v));
        QCOMPARE(ch.size(), std::size_t(0));
        QCOMPARE(drive(std::move(receiver)).value(), std::optional<int>(5));
    }

    void cancelledReceiveLeavesTheQueue() {
        Channel<int> ch(1);
        std::stop_source source;
        auto receiver = receiveOne(ch, source.get_token());
        source.request_stop();
        QCOMPARE(ch.waitingReceivers(), std::size_t(0));
        QVERIFY(drive(std::move(receiver)).isCancelled());
        int v = 9;
        QVERIFY(ch.trySend(v));
        QCOMPARE(ch.size(), std::size_t(1)); // nobody took it
    }
};

QTEST_GUILESS_MAIN(TestChannel)
#include "tst_channel.moc"
