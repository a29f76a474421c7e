// SPDX-License-Identifier: Apache-2.0
#include "fetch/batchspec.h"
#include "fetch/journal.h"
#include "fetch/kinetics.h"
#include "net/jsonpointer.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace vigil;
using fetch::BatchSpec;

namespace {
BatchSpec validSpec() {
    BatchSpec s;
    s.items = {QStringLiteral("a")};
    s.urlTemplate = QStringLiteral("http://127.0.0.1:1/item/{item}");
    return s;
}

// The example document of RFC 6901, section 5.
const char *const kRfcDocument =
    "{\"foo\": [\"bar\", \"baz\"], \"\": 0, \"a/b\": 1, \"c%d\": 2, \"e^f\": 3,"
    " \"g|h\": 4, \"i\\\\j\": 5, \"k\\\"l\": 6, \" \": 7, \"m~n\": 8}";
} // namespace

class TestBatchSpec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validationNamesTheField_data() {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty item list") << QStringLiteral("items") << QStringLiteral("items")
                                         << QStringLiteral("item list is empty");
        QTest::newRow("template without {item}")
            << QStringLiteral("template-noitem") << QStringLiteral("template")
            << QStringLiteral("must contain {item}");
        QTest::newRow("bad scheme") << QStringLiteral("template-ftp") << QStringLiteral("template")
                                    << QStringLiteral("http:// or https://");
        QTest::newRow("concurrency 0")
            << QStringLiteral("concurrency") << QStringLiteral("concurrency")
            << QStringLiteral("from 1 to 5000");
        QTest::newRow("negative rate")
            << QStringLiteral("rate") << QStringLiteral("rate") << QStringLiteral("from 0");
        QTest::newRow("zero timeout")
            << QStringLiteral("timeout") << QStringLiteral("timeout") << QStringLiteral("1 ms");
        QTest::newRow("21 retries") << QStringLiteral("retries") << QStringLiteral("retries")
                                    << QStringLiteral("from 0 to 20");
        QTest::newRow("an hour and a second of server waits")
            << QStringLiteral("maxWait") << QStringLiteral("maxWait")
            << QStringLiteral("from 0 to 3600 s");
        QTest::newRow("bad pointer") << QStringLiteral("pointer") << QStringLiteral("fields")
                                     << QStringLiteral("start with '/'");
        QTest::newRow("duplicate field")
            << QStringLiteral("dup") << QStringLiteral("fields") << QStringLiteral("used twice");
        QTest::newRow("CR LF in a header value (header injection)")
            << QStringLiteral("header-crlf") << QStringLiteral("headers")
            << QStringLiteral("line break (CR or LF)");
        QTest::newRow("bare LF in a header value")
            << QStringLiteral("header-lf") << QStringLiteral("headers")
            << QStringLiteral("line break (CR or LF)");
        QTest::newRow("space in a header name")
            << QStringLiteral("header-name") << QStringLiteral("headers")
            << QStringLiteral("may hold only letters");
    }

    void validationNamesTheField() {
        QFETCH(QString, change);
        QFETCH(QString, field);
        QFETCH(QString, message);
        BatchSpec s = validSpec();
        QVERIFY(fetch::validate(s).isEmpty());
        if (change == QLatin1String("items"))
            s.items.clear();
        if (change == QLatin1String("template-noitem"))
            s.urlTemplate = QStringLiteral("http://h/x");
        if (change == QLatin1String("template-ftp"))
            s.urlTemplate = QStringLiteral("ftp://h/{item}");
        if (change == QLatin1String("concurrency"))
            s.concurrency = 0;
        if (change == QLatin1String("rate"))
            s.ratePerHost = -1;
        if (change == QLatin1String("timeout"))
            s.timeout = std::chrono::milliseconds(0);
        if (change == QLatin1String("retries"))
            s.retries = 21;
        if (change == QLatin1String("maxWait"))
            s.maxServerWait = std::chrono::seconds(3601);
        if (change == QLatin1String("pointer"))
            s.fields = {{QStringLiteral("x"), QStringLiteral("value")}};
        if (change == QLatin1String("dup"))
            s.fields = {{QStringLiteral("x"), QStringLiteral("/a")},
                        {QStringLiteral("x"), QStringLiteral("/b")}};
        if (change == QLatin1String("header-crlf"))
            s.headers = {{"X-Api-Key", "k\r\nX-Injected: yes"}};
        if (change == QLatin1String("header-lf"))
            s.headers = {{"Accept", "a\nb"}};
        if (change == QLatin1String("header-name"))
            s.headers = {{"X Api", "v"}};
        const auto problems = fetch::validate(s);
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().field, field);
        QVERIFY2(problems.first().message.contains(message), qPrintable(problems.first().message));
    }

    void templateEncodesTheItem() {
        const auto url = fetch::expandTemplate(QStringLiteral("https://h.example/c/{item}/JSON"),
                                               QStringLiteral("acetic acid/x?y"));
        QVERIFY(url);
        QCOMPARE(url->toString(QUrl::FullyEncoded),
                 QStringLiteral("https://h.example/c/acetic%20acid%2Fx%3Fy/JSON"));
        QVERIFY(!fetch::expandTemplate(QStringLiteral("notaurl {item}"), QStringLiteral("a")));
    }

    // "1000 endpoints": with the template {item} each item is a URL of its own, not encoded.
    void theTemplateItemAloneTakesEachItemAsAURL() {
        QVERIFY(fetch::templateProblem(QStringLiteral("{item}")).isEmpty());
        const auto url = fetch::expandTemplate(QStringLiteral("{item}"),
                                               QStringLiteral("http://127.0.1.7:8080/hosts/3?x=1"));
        QVERIFY(url);
        QCOMPARE(url->host(), QStringLiteral("127.0.1.7"));
        QCOMPARE(url->query(), QStringLiteral("x=1"));
        QVERIFY(!fetch::expandTemplate(QStringLiteral("{item}"), QStringLiteral("water")));
        QVERIFY(!fetch::expandTemplate(QStringLiteral("{item}"), QStringLiteral("ftp://h/x")));
        QVERIFY(!fetch::templateProblem(QStringLiteral("{item}x")).isEmpty());
    }

    void itemListSkipsBlanksAndComments() {
        QCOMPARE(
            fetch::parseItemList(QStringLiteral("water\n\n  ethanol  \n# note\r\nbenzene\r\n")),
            (QStringList{QStringLiteral("water"), QStringLiteral("ethanol"),
                         QStringLiteral("benzene")}));
    }

    void itemListStreamsAndStopsAtEndlessInput_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("error");
        QTest::newRow("endless NUL bytes, no newline")
            << QByteArray() << QStringLiteral("line 1 is longer than 65536 bytes");
        QTest::newRow("endless short lines")
            << QByteArray("y\n") << QStringLiteral("more than 10000000 items");
    }

    // An endless source, as /dev/zero or `yes |` on stdin: reading must stop by itself.
    void itemListStreamsAndStopsAtEndlessInput() {
        QFETCH(QByteArray, line);
        QFETCH(QString, error);
        /// @brief An endless sequential device repeating one line (or NULs).
        class Endless : public QIODevice {
        public:
            explicit Endless(QByteArray l)
                : m_line(std::move(l)) {}
            bool isSequential() const override { return true; }

        protected:
            qint64 readData(char *data, qint64 max) override {
                for (qint64 i = 0; i < max; ++i)
                    data[i] =
                        m_line.isEmpty() ? '\0' : m_line[qsizetype((m_pos + i) % m_line.size())];
                m_pos += max;
                return max;
            }
            qint64 writeData(const char *, qint64) override { return -1; }

        private:
            QByteArray m_line;
            qint64 m_pos = 0;
        } device(line);
        QVERIFY(device.open(QIODevice::ReadOnly));
        QString why;
        QVERIFY(!fetch::readItemList(device, &why));
        QCOMPARE(why, error);
    }

    void itemListReadsLinesAndRangesCostNothing() {
        QBuffer buffer;
        buffer.setData("water\n\n  ethanol  \n# note\r\nbenzene\r\nlast");
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        QString why;
        const auto items = fetch::readItemList(buffer, &why);
        QVERIFY(items);
        QCOMPARE(items->size(), 4);
        QCOMPARE(items->at(0), QStringLiteral("water"));
        QCOMPARE(items->at(2), QStringLiteral("benzene"));
        QCOMPARE(items->at(3), QStringLiteral("last"));
        const auto range = fetch::ItemList::range(fetch::kMaxItems);
        QCOMPARE(range.size(), qsizetype(fetch::kMaxItems));
        QCOMPARE(range.at(12345), QStringLiteral("12345"));
        BatchSpec s = validSpec();
        s.items = fetch::ItemList::range(fetch::kMaxItems + 1);
        QCOMPARE(fetch::validate(s).size(), 1);
    }

    void fieldSpecParses() {
        QString error;
        const auto f = fetch::parseFieldSpec(QStringLiteral("mw=/a/0/b"), &error);
        QVERIFY(f);
        QCOMPARE(f->name, QStringLiteral("mw"));
        QVERIFY(!fetch::parseFieldSpec(QStringLiteral("=/a"), &error));
        QVERIFY(!fetch::parseFieldSpec(QStringLiteral("x=a"), &error));
        QVERIFY(error.contains(QStringLiteral("'/'")));
    }

    void jsonPointerFollowsRfc6901_data() {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("expected");
        QTest::newRow("whole document") << QString() << QString();
        QTest::newRow("/foo/0") << QStringLiteral("/foo/0") << QStringLiteral("bar");
        QTest::newRow("empty key") << QStringLiteral("/") << QStringLiteral("0");
        QTest::newRow("escaped slash") << QStringLiteral("/a~1b") << QStringLiteral("1");
        QTest::newRow("percent") << QStringLiteral("/c%d") << QStringLiteral("2");
        QTest::newRow("space") << QStringLiteral("/ ") << QStringLiteral("7");
        QTest::newRow("escaped tilde") << QStringLiteral("/m~0n") << QStringLiteral("8");
    }

    void jsonPointerFollowsRfc6901() {
        QFETCH(QString, pointer);
        QFETCH(QString, expected);
        const auto doc = QJsonDocument::fromJson(kRfcDocument);
        QVERIFY(doc.isObject());
        const auto v = net::evaluateJsonPointer(doc.object(), pointer);
        QVERIFY(v);
        if (!pointer.isEmpty())
            QCOMPARE(net::jsonValueText(*v), expected);
    }

    void jsonPointerErrorsNameTheStep_data() {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing member")
            << QStringLiteral("/nope") << QStringLiteral("no member \"nope\" at /");
        QTest::newRow("index out of range")
            << QStringLiteral("/foo/5")
            << QStringLiteral("index 5 is out of range (size 2) at /foo");
        QTest::newRow("leading zero")
            << QStringLiteral("/foo/01") << QStringLiteral("not an array index");
        QTest::newRow("dash is past the end")
            << QStringLiteral("/foo/-") << QStringLiteral("not an array index");
        QTest::newRow("into a string")
            << QStringLiteral("/foo/0/x") << QStringLiteral("cannot step into a string at /foo/0");
        QTest::newRow("no leading slash")
            << QStringLiteral("foo") << QStringLiteral("start with '/'");
        QTest::newRow("bad escape")
            << QStringLiteral("/a~2") << QStringLiteral("followed by 0 or 1");
    }

    void jsonPointerErrorsNameTheStep() {
        QFETCH(QString, pointer);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!net::evaluateJsonPointer(QJsonDocument::fromJson(kRfcDocument).object(), pointer,
                                          &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void kineticsMatchesTheAnalyticSolution_data() {
        QTest::addColumn<double>("k");
        QTest::newRow("slow") << 0.05;
        QTest::newRow("medium") << 0.2;
        QTest::newRow("fast") << 0.5;
    }

    void kineticsMatchesTheAnalyticSolution() {
        QFETCH(double, k);
        QVERIFY(std::abs(fetch::integrateFirstOrderDecay(k) - std::exp(-10 * k)) < 1e-6);
        const auto r =
            fetch::kineticsFromResponse(QByteArray("{\"k\": ") + QByteArray::number(k) + '}');
        QVERIFY(r.error.isEmpty());
        QVERIFY(std::abs(r.cFinal - std::exp(-10 * k)) < 1e-6);
        QVERIFY(!fetch::kineticsFromResponse("{\"k\": \"fast\"}").error.isEmpty());
    }

    // A journal written before queued_ms existed still resumes: the field reads as 0.
    void journalWithoutQueuedMsStillReads() {
        const QByteArray line = R"({"index":3,"rank":1,"item":"a","url":"http://h/a",)"
                                R"("status":"ok","http_status":200,"latency_ms":2006.5,)"
                                R"("attempts":1,"bytes":10,"fields":[["x","1"]]})";
        const auto j = fetch::parseJournal(QByteArray(line + QByteArray("\n")));
        QCOMPARE(j.results.size(), 1);
        QCOMPARE(j.unreadableLines, 0);
        QCOMPARE(j.results.first().latencyMs, 2006.5);
        QCOMPARE(j.results.first().queuedMs, 0.0);
        fetch::ItemResult r = j.results.first();
        r.queuedMs = 1999.5;
        QCOMPARE(fetch::ItemResult::fromJson(r.toJson())->queuedMs, 1999.5);
    }

    void journalSurvivesATruncatedLastLine() {
        BatchSpec s = validSpec();
        fetch::ItemResult r;
        r.index = 0;
        r.item = QStringLiteral("a");
        r.status = fetch::ItemStatus::Ok;
        r.fields = {{QStringLiteral("x"), QStringLiteral("1")}};
        QByteArray data = QJsonDocument(fetch::journalHeader(s)).toJson(QJsonDocument::Compact) +
                          '\n' + QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact) + '\n' +
                          QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact).left(30);
        const auto j = fetch::parseJournal(data);
        QVERIFY(j.header);
        QCOMPARE(j.results.size(), 1);
        QCOMPARE(j.results.first().field(QStringLiteral("x")), QStringLiteral("1"));
        QCOMPARE(j.unreadableLines, 1);
        QVERIFY(fetch::journalMismatch(j, s).isEmpty());
        s.urlTemplate = QStringLiteral("http://other/{item}");
        QVERIFY(fetch::journalMismatch(j, s).contains(QStringLiteral("URL template")));
    }

    // A write cut off by a full disk can stop right before the newline. The record then looks
    // whole, but the writer reported it unsaved, so the reader must not count it either.
    void journalLineWithoutItsNewlineIsNotSaved() {
        fetch::ItemResult r;
        r.index = 0;
        r.item = QStringLiteral("a");
        r.status = fetch::ItemStatus::Ok;
        const QByteArray line = QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact);
        const auto torn = fetch::parseJournal(QByteArray(line + '\n' + line));
        QCOMPARE(torn.results.size(), 1);
        QCOMPARE(torn.unreadableLines, 1);
        const auto whole = fetch::parseJournal(QByteArray(line + '\n' + line + '\n'));
        QCOMPARE(whole.results.size(), 2);
        QCOMPARE(whole.unreadableLines, 0);
    }

    // --rate: a number, or auto with optional bounds, read back as written.
    void rateSettings_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("perHost");
        QTest::addColumn<bool>("adaptive");
        QTest::addColumn<double>("min");
        QTest::addColumn<double>("max");
        QTest::newRow("none") << "0" << 0.0 << false << 0.0 << 0.0;
        QTest::newRow("fixed") << "2.5" << 2.5 << false << 0.0 << 0.0;
        QTest::newRow("auto") << "auto" << 0.0 << true << 0.0 << 0.0;
        QTest::newRow("bounded") << "auto:1-50" << 0.0 << true << 1.0 << 50.0;
        QTest::newRow("ceiling only") << "auto:-50" << 0.0 << true << 0.0 << 50.0;
        QTest::newRow("floor only") << "auto:0.5-" << 0.0 << true << 0.5 << 0.0;
    }
    void rateSettings() {
        QFETCH(QString, text);
        QFETCH(double, perHost);
        QFETCH(bool, adaptive);
        QFETCH(double, min);
        QFETCH(double, max);
        QString error;
        const auto s = fetch::parseRateSetting(text, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->perHost, perHost);
        QCOMPARE(s->adaptive.has_value(), adaptive);
        if (adaptive) {
            QCOMPARE(s->adaptive->min, min);
            QCOMPARE(s->adaptive->max, max);
        }
        QCOMPARE(fetch::rateSettingText(*s), text);
    }

    void badRateSettingsSayWhy_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("why");
        QTest::newRow("word") << "fast"
                              << "or auto (learned per host), not 'fast'";
        QTest::newRow("negative") << "-1"
                                  << "from 0 (no limit) to 100000";
        QTest::newRow("no dash") << "auto:5"
                                 << "bounds are MIN-MAX, -MAX or MIN-";
        QTest::newRow("upside down") << "auto:9-3"
                                     << "lower bound (9) is above its upper bound (3)";
        QTest::newRow("zero bound") << "auto:0-5"
                                    << "lower bound of an auto rate";
        QTest::newRow("huge") << "auto:-1e9"
                              << "upper bound of an auto rate";
    }
    void badRateSettingsSayWhy() {
        QFETCH(QString, text);
        QFETCH(QString, why);
        QString error;
        QVERIFY(!fetch::parseRateSetting(text, &error));
        QVERIFY2(error.contains(why), qPrintable(error));
    }

    void autoRateBoundsAreValidated() {
        fetch::BatchSpec s;
        s.items = QStringList{QStringLiteral("a")};
        s.urlTemplate = QStringLiteral("http://h/{item}");
        s.autoRate = async::AutoRateBounds{10, 5};
        const auto problems = fetch::validate(s);
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().field, QStringLiteral("rate"));
    }
};

QTEST_GUILESS_MAIN(TestBatchSpec)
#include "tst_batchspec.moc"
