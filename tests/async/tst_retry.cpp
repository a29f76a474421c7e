// SPDX-License-Identifier: Apache-2.0
#include "async/retryafter.h"
#include "async/retrypolicy.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;

Q_DECLARE_METATYPE(std::optional<qint64>)

namespace {
const QDateTime kNow(QDate(1994, 11, 6), QTime(8, 49, 0), Qt::UTC);
} // namespace

class TestRetry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void retryAfterParses_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<std::optional<qint64>>("expectedMs");
        QTest::newRow("delay-seconds") << QByteArray("120") << std::optional<qint64>(120000);
        QTest::newRow("zero seconds") << QByteArray("0") << std::optional<qint64>(0);
        QTest::newRow("seconds with spaces") << QByteArray("  7 ") << std::optional<qint64>(7000);
        QTest::newRow("IMF-fixdate")
            << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << std::optional<qint64>(37000);
        QTest::newRow("RFC 850 date")
            << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << std::optional<qint64>(37000);
        QTest::newRow("asctime date")
            << QByteArray("Sun Nov  6 08:49:37 1994") << std::optional<qint64>(37000);
        QTest::newRow("date in the past means now")
            << QByteArray("Sun, 06 Nov 1994 08:00:00 GMT") << std::optional<qint64>(0);
        QTest::newRow("empty") << QByteArray("") << std::optional<qint64>();
        QTest::newRow("negative seconds") << QByteArray("-5") << std::optional<qint64>();
        QTest::newRow("fractional seconds") << QByteArray("1.5") << std::optional<qint64>();
        QTest::newRow("more than a day") << QByteArray("999999") << std::optional<qint64>();
        QTest::newRow("garbage") << QByteArray("soon") << std::optional<qint64>();
        QTest::newRow("bad month")
            << QByteArray("Sun, 06 Foo 1994 08:49:37 GMT") << std::optional<qint64>();
        QTest::newRow("31 February")
            << QByteArray("Sun, 31 Feb 1994 08:49:37 GMT") << std::optional<qint64>();
        QTest::newRow("hour 25") << QByteArray("Sun, 06 Nov 1994 25:49:37 GMT")
                                 << std::optional<qint64>();
        QTest::newRow("not GMT") << QByteArray("Sun, 06 Nov 1994 08:49:37 PST")
                                 << std::optional<qint64>();
    }

    void retryAfterParses() {
        QFETCH(QByteArray, value);
        QFETCH(std::optional<qint64>, expectedMs);
        const auto parsed = parseRetryAfter(value, kNow);
        QCOMPARE(parsed.has_value(), expectedMs.has_value());
        if (parsed)
            QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(*parsed).count(),
                     *expectedMs);
    }

    void backoffDoublesAndCaps() {
        RetryPolicy p;
        p.baseDelay = 100ms;
        p.maxDelay = 1s;
        QCOMPARE(p.backoffCap(1), Clock::Duration(100ms));
        QCOMPARE(p.backoffCap(2), Clock::Duration(200ms));
        QCOMPARE(p.backoffCap(4), Clock::Duration(800ms));
        QCOMPARE(p.backoffCap(5), Clock::Duration(1s));
        QCOMPARE(p.backoffCap(500), Clock::Duration(1s));
    }

    void fullJitterSpansZeroToCap() {
        RetryPolicy p;
        p.maxAttempts = 10;
        p.baseDelay = 100ms;
        QCOMPARE(p.delayAfter(3, 0s, std::nullopt, 0.0), Clock::Duration(0));
        QCOMPARE(p.delayAfter(3, 0s, std::nullopt, 0.5), Clock::Duration(200ms));
        QCOMPARE(p.delayAfter(3, 0s, std::nullopt, 1.0), Clock::Duration(400ms));
    }

    void serverDelayWinsOverBackoff() {
        RetryPolicy p;
        p.maxDelay = 1s;
        QCOMPARE(p.delayAfter(1, 0s, Clock::Duration(5s), 0.1), Clock::Duration(5s));
    }

    void givesUpAfterMaxAttempts() {
        RetryPolicy p;
        p.maxAttempts = 3;
        QVERIFY(p.delayAfter(2, 0s, std::nullopt, 0.5).has_value());
        QVERIFY(!p.delayAfter(3, 0s, std::nullopt, 0.5).has_value());
    }

    void givesUpWhenTheDelayWouldPassMaxElapsed() {
        RetryPolicy p;
        p.maxAttempts = 10;
        p.maxElapsed = 10s;
        QVERIFY(p.delayAfter(1, 8s, Clock::Duration(1s), 0.5).has_value());
        QVERIFY(!p.delayAfter(1, 8s, Clock::Duration(3s), 0.5).has_value());
    }
};

QTEST_GUILESS_MAIN(TestRetry)
#include "tst_retry.moc"
