// SPDX-License-Identifier: Apache-2.0
#include "sensors/decimation.h"
#include "sensors/history.h"

#include <QMap>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace vigil::sensors;

namespace {
/// The decimated points grouped by the absolute 100-ms slot their time falls in.
QMap<qint64, QList<QPointF>> bySlot(const QList<QPointF> &points, qint64 from, qint64 to) {
    QMap<qint64, QList<QPointF>> out;
    for (const auto &p : points) {
        const auto t = qint64(p.x());
        if (t >= from && t < to)
            out[t / 100].append(p);
    }
    return out;
}
} // namespace

class TestDecimation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void columnsStayPutWhenTheWindowScrolls() {
        // 60 s over 600 columns: 100 ms, ten samples, per column. Scrolling the window by a
        // fraction of a column must not regroup the samples, or the curve shimmers.
        History h(std::chrono::hours(1));
        for (qint64 i = 0; i < 20000; ++i)
            h.append(1'000'000 + i * 10, std::sin(double(i) * 0.37) * 10 + double(i % 7));
        const qint64 from = 1'020'000, to = from + 60000;
        const auto a = decimate(h.snapshot(from, to), from, to, 600);
        const qint64 shift = 37;
        const auto b =
            decimate(h.snapshot(from + shift, to + shift), from + shift, to + shift, 600);
        // Compare the slots wholly inside both windows.
        const auto slotsA = bySlot(a, from + 100, to);
        const auto slotsB = bySlot(b, from + 100, to);
        QCOMPARE(slotsA.size(), 599);
        QCOMPARE(slotsB.keys(), slotsA.keys());
        for (auto it = slotsA.begin(); it != slotsA.end(); ++it)
            QCOMPARE(slotsB.value(it.key()), it.value());
    }

    void absoluteColumnsFloorBeforeTheEpochToo() {
        QCOMPARE(absoluteColumn(0, 1000, 10), 0);
        QCOMPARE(absoluteColumn(99, 1000, 10), 0);
        QCOMPARE(absoluteColumn(100, 1000, 10), 1);
        QCOMPARE(absoluteColumn(-1, 1000, 10), -1);
    }

    void everyColumnKeepsItsExtremes() {
        History h(std::chrono::hours(1));
        for (qint64 i = 0; i < 10000; ++i)
            h.append(i * 10, i == 5003 ? 100.0 : i == 7001 ? -50.0 : 0.0);
        const auto points = decimate(h.snapshot(0, 100000), 0, 100000, 500);
        QVERIFY(points.size() <= 4 * 501);
        double hi = -INFINITY, lo = INFINITY;
        for (const auto &p : points) {
            hi = std::max(hi, p.y());
            lo = std::min(lo, p.y());
        }
        QCOMPARE(hi, 100.0);
        QCOMPARE(lo, -50.0);
    }
};

QTEST_GUILESS_MAIN(TestDecimation)
#include "tst_decimation.moc"
