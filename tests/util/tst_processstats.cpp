// SPDX-License-Identifier: Apache-2.0
#include "util/processstats.h"

#include <QTest>

#include <cstring>
#include <memory>

using namespace vigil;

/// The process figures the benchmarks print.
class TestProcessStats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // peak_rss_mb printed MiB: 100 MB of touched memory read as 95.4.
    void peakRssIsInMegabytes() {
        const double before = util::peakRssMB();
        constexpr std::size_t kBytes = 100'000'000;
        const auto block = std::make_unique<char[]>(kBytes);
        std::memset(block.get(), 1, kBytes); // resident only once touched (ASan adds its shadow)
        const double grown = util::peakRssMB() - before;
        QVERIFY2(grown >= 99.0 && grown <= 130.0, qPrintable(QString::number(grown)));
        QCOMPARE(block[kBytes - 1], char(1));
    }

    void residentSizeFollowsTouchedMemory() {
        const double before = util::residentMB();
        QVERIFY(before > 1);
        constexpr std::size_t kBytes = 50'000'000;
        const auto block = std::make_unique<char[]>(kBytes);
        std::memset(block.get(), 1, kBytes); // resident only once touched (ASan adds its shadow)
        const double grown = util::residentMB() - before;
        QVERIFY2(grown >= 49.0 && grown <= 70.0, qPrintable(QString::number(grown)));
        QCOMPARE(block[kBytes - 1], char(1));
    }

    void cpuSecondsGrowWithWork() {
        const double before = util::processCpuSeconds();
        volatile double sink = 0;
        for (int i = 0; i < 50'000'000; ++i)
            sink = sink + i * 0.5;
        QVERIFY(util::processCpuSeconds() > before);
    }
};

QTEST_GUILESS_MAIN(TestProcessStats)
#include "tst_processstats.moc"
