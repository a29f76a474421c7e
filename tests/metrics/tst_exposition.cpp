// SPDX-License-Identifier: Apache-2.0
// Prometheus' text format 0.0.4 as Vigil writes it: escaping, values and histograms.
#include "metrics/exposition.h"
#include "metrics/histogram.h"

#include <QTest>

#include <limits>

using namespace vigil::metrics;

class TestExposition : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void labelValuesEscapeBackslashQuoteAndNewline() {
        QCOMPARE(escapeLabelValue(QStringLiteral("a\"b\\c\nd")), QByteArray("a\\\"b\\\\c\\nd"));
        QCOMPARE(escapeLabelValue(QStringLiteral("°C")), QStringLiteral("°C").toUtf8());
    }

    void valuesAreWhatPrometheusParses() {
        QCOMPARE(formatValue(3), QByteArray("3"));
        QCOMPARE(formatValue(-0.25), QByteArray("-0.25"));
        QCOMPARE(formatValue(0.1), QByteArray("0.1"));
        QCOMPARE(formatValue(std::numeric_limits<double>::quiet_NaN()), QByteArray("NaN"));
        QCOMPARE(formatValue(std::numeric_limits<double>::infinity()), QByteArray("+Inf"));
        QCOMPARE(formatValue(-std::numeric_limits<double>::infinity()), QByteArray("-Inf"));
        QCOMPARE(formatValue(1e20), QByteArray("1e+20"));
    }

    void aFamilyHasHelpTypeAndSamplesWithoutTimestamps() {
        ExpositionWriter out;
        out.family("vigil_x", QStringLiteral("one\\two\nthree \"q\""), MetricType::Gauge);
        out.sample("vigil_x", {{QStringLiteral("sensor"), QStringLiteral("a\"b")}}, 2.5);
        out.sample("vigil_x", 1);
        QCOMPARE(out.text(), QByteArray("# HELP vigil_x one\\\\two\\nthree \"q\"\n"
                                        "# TYPE vigil_x gauge\n"
                                        "vigil_x{sensor=\"a\\\"b\"} 2.5\n"
                                        "vigil_x 1\n"));
    }

    void aHistogramIsCumulativeWithInfSumAndCount() {
        Histogram h({0.01, 0.1, 1});
        for (const double v : {0.0078125, 0.0625, 0.25, 1.0, 7.0}) // 1.0: a bound is inclusive
            h.observe(v);
        h.observe(std::numeric_limits<double>::quiet_NaN()); // ignored, as Prometheus clients do
        ExpositionWriter out;
        h.write(out, "lat_seconds", {{QStringLiteral("id"), QStringLiteral("s")}});
        QCOMPARE(out.text(), QByteArray("lat_seconds_bucket{id=\"s\",le=\"0.01\"} 1\n"
                                        "lat_seconds_bucket{id=\"s\",le=\"0.1\"} 2\n"
                                        "lat_seconds_bucket{id=\"s\",le=\"1\"} 4\n"
                                        "lat_seconds_bucket{id=\"s\",le=\"+Inf\"} 5\n"
                                        "lat_seconds_sum{id=\"s\"} 8.3203125\n"
                                        "lat_seconds_count{id=\"s\"} 5\n"));
    }
};

QTEST_GUILESS_MAIN(TestExposition)
#include "tst_exposition.moc"
