// SPDX-License-Identifier: Apache-2.0
#include "mqtt/mqttspec.h"

#include <QDateTime>
#include <QTest>

using namespace vigil::mqtt;

class TestMqttSpec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void topicFiltersMatchAsMqttSays() {
        QVERIFY(topicMatches(u"plant/+/temp", u"plant/a/temp"));
        QVERIFY(!topicMatches(u"plant/+/temp", u"plant/a/b/temp"));
        QVERIFY(topicMatches(u"plant/#", u"plant/a/b"));
        QVERIFY(topicMatches(u"plant/#", u"plant")); // # includes the parent level
        QVERIFY(!topicMatches(u"plant/+", u"plant"));
        QVERIFY(!topicMatches(u"#", u"$SYS/broker/uptime"));
        QVERIFY(topicMatches(u"a/b", u"a/b"));
        QVERIFY(!topicMatches(u"a/b", u"a/bc"));
        QVERIFY(topicFilterProblem(u"a/#/b").contains(QLatin1String("#")));
        QVERIFY(topicFilterProblem(u"a/b+").contains(QLatin1String("+")));
        QVERIFY(topicFilterProblem(u"").contains(QLatin1String("empty")));
        QVERIFY(topicFilterProblem(u"a/+/#").isEmpty());
    }

    void seriesNamesComeFromThePattern() {
        QCOMPARE(
            seriesName(QStringLiteral("{2}/{field}"), u"plant/pump3/state", QStringLiteral("rpm")),
            QStringLiteral("pump3/rpm"));
        QCOMPARE(seriesName(QStringLiteral("{topic}"), u"a/b", {}), QStringLiteral("a/b"));
        QCOMPARE(seriesName(QStringLiteral("x {9}"), u"a/b", {}), QStringLiteral("x "));
        QVERIFY(namePatternProblem(u"{2}/{field}").isEmpty());
        QVERIFY(!namePatternProblem(u"{name}").isEmpty());
        QVERIFY(!namePatternProblem(u"{2").isEmpty());
        QVERIFY(!namePatternProblem(u"2}").isEmpty());
        MqttSpec spec;
        QCOMPARE(effectivePattern(spec), QStringLiteral("{topic}"));
        spec.fields = {{QStringLiteral("t"), QStringLiteral("/t")}};
        QCOMPARE(effectivePattern(spec), QStringLiteral("{topic}/{field}"));
    }

    void brokerUrlsNeverHoldAPassword() {
        QString why;
        auto a = parseBrokerUrl(QStringLiteral("mqtt://10.0.0.5"), &why);
        QVERIFY(a);
        QCOMPARE(a->port, 1883);
        QVERIFY(!a->tls);
        a = parseBrokerUrl(QStringLiteral("mqtts://broker.example:9999"), &why);
        QVERIFY(a && a->tls && a->port == 9999);
        QCOMPARE(a->hostPort(), QStringLiteral("broker.example:9999"));
        QCOMPARE(parseBrokerUrl(QStringLiteral("mqtts://b"), &why)->port, 8883);
        QVERIFY(!parseBrokerUrl(QStringLiteral("mqtt://u:secret@b"), &why));
        QVERIFY(why.contains(QLatin1String("password_env")));
        QVERIFY(!parseBrokerUrl(QStringLiteral("http://b"), &why));
        QVERIFY(!parseBrokerUrl(QStringLiteral("mqtt://b/plant/#"), &why));
    }

    void timestampsInEveryUnitAndIso() {
        const qint64 ms = 1764590400123; // 2025-12-01T12:00:00.123Z
        QCOMPARE(parseTimestamp(QJsonValue(1764590400.123)).value(), ms);
        QCOMPARE(parseTimestamp(QJsonValue(double(ms))).value(), ms);
        QCOMPARE(parseTimestamp(QJsonValue(double(ms) * 1000)).value(), ms);
        QCOMPARE(parseTimestamp(QJsonValue(double(ms) * 1e6)).value(), ms);
        QCOMPARE(parseTimestamp(QJsonValue(QStringLiteral("2025-12-01T12:00:00.123Z"))).value(),
                 ms);
        QCOMPARE(
            parseTimestamp(QJsonValue(QStringLiteral("2025-12-01T13:00:00.123+01:00"))).value(),
            ms);
        QCOMPARE(parseTimestamp(QJsonValue(QStringLiteral("2025-12-01 12:00:00.123Z"))).value(),
                 ms);
        QVERIFY(!parseTimestamp(QJsonValue(QStringLiteral("yesterday"))));
        QVERIFY(!parseTimestamp(QJsonValue(42))); // a counter, not a clock
        QVERIFY(!parseTimestamp(QJsonValue(true)));
    }

    void bareNumbers() {
        auto d = decodePayload(" 21.5\n", {}, {});
        QCOMPARE(d.samples.size(), 1);
        QCOMPARE(d.samples[0].value, 21.5);
        QVERIFY(!d.samples[0].timeMs);
        d = decodePayload("hot", {}, {});
        QVERIFY(d.samples.isEmpty());
        QCOMPARE(d.problems.size(), 1);
        QVERIFY(d.problems[0].reason.contains(QLatin1String("not a number: \"hot\"")));
        QVERIFY(decodePayload("nan", {}, {}).samples.isEmpty());
    }

    void fieldsThroughPointersAndTheirProblems() {
        const QList<Field> fields{{QStringLiteral("temp"), QStringLiteral("/s/t")},
                                  {QStringLiteral("rh"), QStringLiteral("/s/h")},
                                  {QStringLiteral("state"), QStringLiteral("/state")}};
        const auto d = decodePayload(R"({"s":{"t":21.5,"h":"40"},"state":"ok","ts":1764590400})",
                                     fields, QStringLiteral("/ts"));
        QCOMPARE(d.samples.size(), 2);
        QCOMPARE(d.samples[0].field, QStringLiteral("temp"));
        QCOMPARE(d.samples[1].value, 40.0); // numbers sent as strings are numbers
        QCOMPARE(d.samples[0].timeMs.value(), 1764590400000);
        QCOMPARE(d.problems.size(), 1);
        QCOMPARE(d.problems[0].field, QStringLiteral("state"));
        QVERIFY(d.problems[0].reason.contains(QLatin1String("not a number")));

        const auto missing = decodePayload(R"({"s":{}})", fields.mid(0, 1), {});
        QCOMPARE(missing.problems.size(), 1);
        QVERIFY(missing.problems[0].reason.contains(QLatin1String("t")));

        const auto broken = decodePayload("{\"s\":", fields, {});
        QCOMPARE(broken.problems.size(), 1);
        QVERIFY(broken.problems[0].field.isEmpty());
        QVERIFY(broken.problems[0].reason.startsWith(QLatin1String("not JSON")));
    }

    void aMessageWithoutItsTimestampGetsNoneAndTheNextIsReadAgain() {
        const QList<Field> fields{{QStringLiteral("v"), QStringLiteral("/v")}};
        QVERIFY(!decodePayload(R"({"v":1})", fields, QStringLiteral("/ts")).samples[0].timeMs);
        QVERIFY(decodePayload(R"({"v":1,"ts":1764590400})", fields, QStringLiteral("/ts"))
                    .samples[0]
                    .timeMs);
    }

    void aTopLevelArrayIsABatch() {
        const QList<Field> fields{{QStringLiteral("g"), QStringLiteral("/g")}};
        const auto d =
            decodePayload(R"([{"g":0.1,"ts":1764590400000},{"g":0.2,"ts":1764590400001},{"x":1}])",
                          fields, QStringLiteral("/ts"));
        QCOMPARE(d.samples.size(), 2);
        QCOMPARE(d.samples[1].timeMs.value(), 1764590400001);
        QCOMPARE(d.problems.size(), 1);
        const auto numbers = decodePayload("[1, 2, 3]", {}, {});
        QCOMPARE(numbers.samples.size(), 3);
        QCOMPARE(numbers.samples[2].value, 3.0);
        QCOMPARE(decodePayload("[]", {}, {}).problems.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestMqttSpec)
#include "tst_mqttspec.moc"
