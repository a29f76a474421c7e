// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "sensors/decimation.h"
#include "sensors/history.h"

#include <QRandomGenerator>
#include <QTest>
#include <QThread>

#include <cmath>

using namespace std::chrono_literals;
using namespace vigil::sensors;
using vigil::test::drive;

namespace {
double maxY(const QList<QPointF> &points) {
    double m = -INFINITY;
    for (const auto &p : points)
        if (!std::isnan(p.y()))
            m = std::max(m, p.y());
    return m;
}
double minY(const QList<QPointF> &points) {
    double m = INFINITY;
    for (const auto &p : points)
        if (!std::isnan(p.y()))
            m = std::min(m, p.y());
    return m;
}
} // namespace

class TestHistory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keepsOnlyTheRetentionWindow() {
        History h(60s);
        for (qint64 i = 0; i < 100000; ++i) // 1000 s at 10 ms
            h.append(i * 10, double(i));
        QVERIFY(h.lastTime() == 999990);
        // Whole chunks go, so up to one chunk (4096 samples, 41 s) more than 60 s may stay.
        QVERIFY2(h.lastTime() - h.firstTime() <= 60000 + 41000,
                 qPrintable(QString::number(h.lastTime() - h.firstTime())));
        QVERIFY(h.lastTime() - h.firstTime() >= 60000);
        QVERIFY(h.size() <= 6000 + 2 * HistoryChunk::kSize);
    }

    void sampleBudgetBoundsMemory() {
        History h(24h, 10000);
        for (qint64 i = 0; i < 200000; ++i)
            h.append(i, 1.0);
        QVERIFY(h.size() <= 10000 + HistoryChunk::kSize);
        QCOMPARE(h.lastTime(), qint64(199999));
    }

    void timeNeverGoesBackwards() {
        History h;
        h.append(100, 1);
        h.append(50, 2);
        QCOMPARE(h.lastTime(), qint64(100));
        QCOMPARE(h.lastValue(), 2.0);
    }

    void decimationKeepsEverySpikeInAMillionPoints() {
        History h(24h, 2000000);
        for (qint64 i = 0; i < 1000000; ++i)
            h.append(i, std::sin(double(i) / 5000.0));
        // Rebuild with two single-sample spikes, one up, one down.
        History spiky(24h, 2000000);
        for (qint64 i = 0; i < 1000000; ++i) {
            double v = std::sin(double(i) / 5000.0);
            if (i == 777777)
                v = 1000.0;
            if (i == 123457)
                v = -1000.0;
            spiky.append(i, v);
        }
        const auto points = decimate(spiky.snapshot(0, 999999), 0, 999999, 800);
        QVERIFY(points.size() <= 4 * 801); // the window straddles one column more
        QCOMPARE(maxY(points), 1000.0);
        QCOMPARE(minY(points), -1000.0);
        for (qsizetype i = 1; i < points.size(); ++i)
            QVERIFY(points[i].x() >= points[i - 1].x()); // time order
        QVERIFY(maxY(decimate(h.snapshot(0, 999999), 0, 999999, 800)) <= 1.0);
    }

    void envelopesGiveTheSameAnswerAsEverySample() {
        // Block summaries are a shortcut; check them against a brute-force pass.
        History h(24h, 100000);
        auto *rng = QRandomGenerator::global();
        for (qint64 i = 0; i < 50000; ++i)
            h.append(i * 3, rng->generateDouble() * 100.0);
        const qint64 from = 1000, to = 140000;
        const int columns = 97;
        const auto fast = decimate(h.snapshot(from, to), from, to, columns);
        // Columns are fixed in absolute time: the window's edges fall inside the first and last.
        const auto columnOf = [&](qint64 t) {
            return int(absoluteColumn(t, to - from, columns) -
                       absoluteColumn(from, to - from, columns));
        };
        std::vector<double> mins(columns + 1, INFINITY), maxs(columns + 1, -INFINITY);
        for (const auto &s : h.samples(from, to)) {
            const int c = columnOf(s.t);
            mins[std::size_t(c)] = std::min(mins[std::size_t(c)], s.v);
            maxs[std::size_t(c)] = std::max(maxs[std::size_t(c)], s.v);
        }
        for (int c = 0; c <= columns; ++c) {
            bool sawMin = false, sawMax = false;
            for (const auto &p : fast) {
                if (columnOf(qint64(p.x())) != c)
                    continue;
                sawMin |= p.y() == mins[std::size_t(c)];
                sawMax |= p.y() == maxs[std::size_t(c)];
            }
            QVERIFY2(sawMin && sawMax, qPrintable(QStringLiteral("column %1").arg(c)));
        }
    }

    void failedReadingsBreakTheLine() {
        History h;
        for (qint64 i = 0; i < 100; ++i) {
            if (i == 50)
                h.appendGap(i * 100);
            else
                h.append(i * 100, 1.0);
        }
        const auto points = decimate(h.snapshot(0, 9900), 0, 9900, 100);
        QList<QPointF> gaps;
        for (const auto &p : points) {
            if (std::isnan(p.y()))
                gaps << p;
        }
        QCOMPARE(gaps.size(), 1);
        QCOMPARE(gaps.first().x(), 5000.0); // where the failed reading was, in a column of its own
        // The same through a block envelope: a gap-only stretch in one wide column.
        History many;
        for (qint64 i = 0; i < 20000; ++i) {
            if (i >= 8000 && i < 8200)
                many.appendGap(i);
            else
                many.append(i, 1.0);
        }
        const auto wide = decimate(many.snapshot(0, 19999), 0, 19999, 2000);
        double gapX = -1;
        for (const auto &p : wide) {
            if (std::isnan(p.y()))
                gapX = std::max(gapX, p.x());
        }
        QVERIFY2(gapX >= 8000 && gapX < 8200, qPrintable(QString::number(gapX)));
    }

    void decimationRunsOffTheGuiThread() {
        History h;
        for (qint64 i = 0; i < 20000; ++i)
            h.append(i, double(i % 100));
        std::vector<DecimationJob> jobs{{h.snapshot(0, 19999), 0, 19999, 400},
                                        {h.snapshot(0, 9999), 0, 9999, 200}};
        QThread *ranOn = nullptr;
        const auto result = drive(decimateOnPool(std::move(jobs), &ranOn));
        QVERIFY(result.isOk());
        QCOMPARE(result.value().size(), std::size_t(2));
        QVERIFY(ranOn != nullptr);
        QVERIFY(ranOn != QThread::currentThread());
        QCOMPARE(maxY(result.value()[0]), 99.0);
    }
};

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
