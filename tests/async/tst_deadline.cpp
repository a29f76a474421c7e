// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/deadline.h"
#include "async/sleep.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;
using vigil::test::drive;

namespace {
struct ChildLog {
    bool started = false;
    bool sawCancel = false;
    bool finished = false;
};

QCoro::Task<int> slowChild(VirtualClock &clock, Clock::Duration work, ChildLog &log,
                           std::stop_token token) {
    log.started = true;
    try {
        co_await sleepFor(clock, work, token);
    } catch (const Cancelled &) {
        log.sawCancel = true;
        throw;
    }
    log.finished = true;
    co_return 42;
}

QCoro::Task<int> failingChild(std::stop_token) {
    throw std::runtime_error("boom");
    co_return 0;
}

QCoro::Task<int> runWithTimeout(VirtualClock &clock, Clock::Duration work, Clock::Duration limit,
                                ChildLog &log, std::stop_token parent = {}) {
    auto make = [&clock, work, &log](std::stop_token t) { return slowChild(clock, work, log, t); };
    co_return co_await withTimeout(clock, limit, parent, make);
}

QCoro::Task<int> runFailing(VirtualClock &clock) {
    co_return co_await withTimeout(clock, 1s, {}, &failingChild);
}
} // namespace

class TestDeadline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resultArrivesBeforeDeadline() {
        VirtualClock clock;
        ChildLog log;
        const auto r = drive(runWithTimeout(clock, 100ms, 1s, log), &clock);
        QVERIFY(r.isOk());
        QCOMPARE(r.value(), 42);
        QVERIFY(log.finished);
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void timeoutCancelsChildAndReportsTimeout() {
        VirtualClock clock;
        ChildLog log;
        const auto r = drive(runWithTimeout(clock, 10s, 500ms, log), &clock);
        QVERIFY(r.isTimeout());
        QVERIFY(log.sawCancel);
        QVERIFY(!log.finished);
        QCOMPARE(clock.elapsed(), Clock::Duration(500ms));
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void parentCancelIsCancellationNotTimeout() {
        VirtualClock clock;
        ChildLog log;
        std::stop_source parent;
        clock.callAfter(100ms, [&] { parent.request_stop(); });
        const auto r = drive(runWithTimeout(clock, 10s, 5s, log, parent.get_token()), &clock);
        QVERIFY(r.isCancelled());
        QVERIFY(!r.isTimeout());
        QVERIFY(log.sawCancel);
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void childErrorPassesThroughUnchanged() {
        VirtualClock clock;
        const auto r = drive(runFailing(clock), &clock);
        QVERIFY(!r.isOk());
        QVERIFY(!r.isTimeout());
        QCOMPARE(r.errorMessage(), QStringLiteral("boom"));
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void deadlineReportsRemainingTime() {
        VirtualClock clock;
        const auto d = Deadline::after(clock, 2s);
        QCOMPARE(d.remaining(clock), Clock::Duration(2s));
        clock.advance(1500ms);
        QCOMPARE(d.remaining(clock), Clock::Duration(500ms));
        QVERIFY(!d.expired(clock));
        clock.advance(1s);
        QVERIFY(d.expired(clock));
        QCOMPARE(d.remaining(clock), Clock::Duration(0));
        QVERIFY(Deadline::never().isNever());
        QVERIFY(!Deadline::never().expired(clock));
    }
};

QTEST_GUILESS_MAIN(TestDeadline)
#include "tst_deadline.moc"
