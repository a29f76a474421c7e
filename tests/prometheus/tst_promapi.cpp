// SPDX-License-Identifier: Apache-2.0
// Prometheus' HTTP API as Vigil reads it, and the queries it builds: steps, envelopes, names.
#include "prometheus/promapi.h"
#include "prometheus/promclient.h"
#include "prometheus/promspec.h"

#include <QTest>

#include <cmath>

using namespace vigil::prometheus;

class TestPromApi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesAMatrixWithNaNAndInf() {
        const auto r = parseApiResponse(
            R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"a"},"values":[[1700000000.5,"1"],[1700000001,"NaN"],[1700000002,"+Inf"],[1700000003,"-Inf"]]}]}})",
            200);
        QVERIFY(r.ok());
        QCOMPARE(r.series.size(), 1);
        QCOMPARE(r.series[0].key(), QStringLiteral("{job=\"a\"}"));
        QCOMPARE(r.series[0].samples.size(), 4);
        QCOMPARE(r.series[0].samples[0].timeMs, Q_INT64_C(1700000000500));
        QCOMPARE(r.series[0].samples[0].value, 1.0);
        QVERIFY(std::isnan(r.series[0].samples[1].value));
        QVERIFY(std::isinf(r.series[0].samples[2].value) && r.series[0].samples[2].value > 0);
        QVERIFY(std::isinf(r.series[0].samples[3].value) && r.series[0].samples[3].value < 0);
    }

    void theFastPathReadsWhatTheFullParserReads() {
        // Escapes and braces in a label, NaN and ±Inf, an empty series, a fraction of a second.
        const QByteArray body =
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{"
            "\"__name__\":\"up\",\"instance\":\"a\\\"{}\\\\b\\u00e9\",\"job\":\"self\"},\"values\":"
            "[[1796136255,\"1\"],[1796136270.5,\"NaN\"],[1796136285,\"+Inf\"],[1796136300,\"-2.5e-"
            "3\"]]},{\"metric\":{},\"values\":[]}]}}";
        PromResult fast;
        QVERIFY(detail::parseMatrixFast(body, fast));
        const PromResult full = detail::parseApiJson(body, 200);
        QVERIFY(full.ok());
        QCOMPARE(fast.series.size(), 2);
        QCOMPARE(fast.series[0].labels, full.series[0].labels);
        QCOMPARE(fast.series[0].labels.value(QStringLiteral("instance")),
                 QStringLiteral("a\"{}\\b\u00e9"));
        QCOMPARE(fast.series[0].samples.size(), 4);
        QCOMPARE(fast.series[0].samples[1].timeMs, Q_INT64_C(1796136270500));
        QVERIFY(std::isnan(fast.series[0].samples[1].value));
        QCOMPARE(fast.series[0].samples[3].value, -0.0025);
        QVERIFY(fast.series[1].samples.isEmpty());
        // Anything else goes to the full parser: warnings, a vector, spaces, a value it would
        // read differently.
        for (const char *other :
             {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]},"
              "\"warnings\":[\"x\"]}",
              "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
              "{ \"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
              "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
              "{},\"values\":[[1,\" 1\"]]}]}}"}) {
            PromResult r;
            QVERIFY2(!detail::parseMatrixFast(other, r), other);
            QVERIFY(parseApiResponse(other, 200).ok());
        }
    }

    void aCutAnswerIsNotReadPastItsEnd() {
        // Found by fuzz_promapi: a backslash as the last byte, inside a label value.
        const QByteArray cut = QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":"
                                          "\"matrix\",\"result\":[{\"metric\":{\"a\":\"b\\");
        PromResult r;
        QVERIFY(!detail::parseMatrixFast(cut, r));
        QVERIFY(!parseApiResponse(cut, 200).ok());
    }

    void parsesAVectorAndAScalar() {
        auto r = parseApiResponse(
            R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"2.5"]}]}})",
            200);
        QVERIFY(r.ok());
        QCOMPARE(r.series[0].samples[0].value, 2.5);
        r = parseApiResponse(
            R"({"status":"success","data":{"resultType":"scalar","result":[1700000000,"7"]}})",
            200);
        QCOMPARE(r.series[0].samples[0].value, 7.0);
    }

    void errorsKeepPrometheusWords() {
        const auto r = parseApiResponse(
            R"({"status":"error","errorType":"bad_data","error":"1:5: parse error: unclosed left parenthesis"})",
            400);
        QVERIFY(!r.ok());
        QCOMPARE(r.message(),
                 QStringLiteral("bad_data: 1:5: parse error: unclosed left parenthesis"));
        QCOMPARE(parseApiResponse("<html>404</html>", 404).message(),
                 QStringLiteral("bad_response: not a Prometheus API answer (HTTP 404)"));
        QCOMPARE(parseApiResponse(
                     R"({"status":"success","data":{"resultType":"string","result":[1,"x"]}})", 200)
                     .message(),
                 QStringLiteral("bad_response: a string result cannot be drawn"));
    }

    void theStepIsAPixelAlignedAndCapped() {
        // One hour over 720 px: 5 s a pixel.
        const qint64 from = Q_INT64_C(1700000001234);
        RangeStep r = rangeFor(from, from + 3600000, 720, 1000);
        QCOMPARE(r.stepMs, Q_INT64_C(5000));
        QCOMPARE(r.startMs % r.stepMs, Q_INT64_C(0));
        QCOMPARE(r.endMs % r.stepMs, Q_INT64_C(0));
        QVERIFY(r.startMs <= from && r.startMs > from - r.stepMs);
        QVERIFY(r.endMs <= from + 3600000 && r.endMs > from + 3600000 - r.stepMs);
        // Never finer than the source's interval.
        QCOMPARE(rangeFor(from, from + 60000, 1000, 5000).stepMs, Q_INT64_C(5000));
        // A month over 100,000 px would be 26 s a step; the 11,000-point cap wins.
        r = rangeFor(from, from + Q_INT64_C(30) * 86400000, 100000, 1000);
        QVERIFY2(r.points() <= kMaxPointsPerSeries, qPrintable(QString::number(r.points())));
        QCOMPARE(r.stepMs % 1000, Q_INT64_C(0));
    }

    void selectorsTakeARangeAndExpressionsASubquery() {
        QVERIFY(isSelector(QStringLiteral("up")));
        QVERIFY(isSelector(QStringLiteral(" node_load1{job=\"a\",instance=~\"x.*\"} ")));
        QVERIFY(isSelector(QStringLiteral("{__name__=\"up\"}")));
        QVERIFY(!isSelector(QStringLiteral("rate(x[5m])")));
        QVERIFY(!isSelector(QStringLiteral("a + b")));
        QCOMPARE(envelopeQuery(QStringLiteral("up"), true, 5000, 1000),
                 QStringLiteral("max_over_time(up[5s])"));
        QCOMPARE(envelopeQuery(QStringLiteral("rate(x[1m])"), false, 60000, 15000),
                 QStringLiteral("min_over_time((rate(x[1m]))[60s:15s])"));
        QCOMPARE(envelopeQuery(QStringLiteral("a+b"), true, 500, 1000),
                 QStringLiteral("max_over_time((a+b)[500ms:500ms])"));
    }

    void aPlusInAQueryIsNotASpace() {
        const QUrl url =
            apiUrl(QUrl(QStringLiteral("http://h:9090/prom/")), QStringLiteral("/api/v1/query"),
                   {{QStringLiteral("query"), QStringLiteral("a + b")}});
        QCOMPARE(url.toString(QUrl::FullyEncoded),
                 QStringLiteral("http://h:9090/prom/api/v1/query?query=a%20%2B%20b"));
    }

    void seriesAreNamedByPattern() {
        const QMap<QString, QString> labels{{QStringLiteral("__name__"), QStringLiteral("up")},
                                            {QStringLiteral("instance"), QStringLiteral("h:1")},
                                            {QStringLiteral("job"), QStringLiteral("node")}};
        QCOMPARE(promSeriesName(QStringLiteral("{job} on {instance}"), labels),
                 QStringLiteral("node on h:1"));
        QCOMPARE(promSeriesName(QStringLiteral("{__name__} {missing}"), labels),
                 QStringLiteral("up"));
        QCOMPARE(promSeriesName({}, labels), QStringLiteral("up{instance=\"h:1\",job=\"node\"}"));
        QCOMPARE(promSeriesName({}, {}), QStringLiteral("value"));
    }

    void specProblemsNameTheKey() {
        PromSpec spec;
        spec.url = QStringLiteral("http://127.0.0.1:9090");
        spec.query = QStringLiteral("up");
        QCOMPARE(promSpecProblem(spec), QString());
        spec.url = QStringLiteral("http://me:secret@127.0.0.1:9090");
        QVERIFY(promSpecProblem(spec).startsWith(QLatin1String("url:")));
        spec.url = QStringLiteral("ftp://h");
        QVERIFY(promSpecProblem(spec).startsWith(QLatin1String("url:")));
        spec.url = QStringLiteral("http://h:9090");
        spec.query = QStringLiteral(" ");
        QVERIFY(promSpecProblem(spec).startsWith(QLatin1String("query:")));
        spec.query = QStringLiteral("up");
        spec.passwordEnv = QStringLiteral("P");
        QVERIFY(promSpecProblem(spec).startsWith(QLatin1String("password_env:")));
        QCOMPARE(promSourceId(spec), QStringLiteral("prometheus:h:9090?up"));
    }
};

QTEST_GUILESS_MAIN(TestPromApi)
#include "tst_promapi.moc"
