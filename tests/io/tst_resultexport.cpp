// SPDX-License-Identifier: Apache-2.0
#include "io/resultexport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

namespace {
fetch::ItemResult result(const QString &item, const QString &field, const QString &error = {}) {
    fetch::ItemResult r;
    r.rank = 1;
    r.index = 0;
    r.item = item;
    r.status = error.isEmpty() ? fetch::ItemStatus::Ok : fetch::ItemStatus::Failed;
    r.fields = {{QStringLiteral("f"), field}};
    r.error = error;
    return r;
}
} // namespace

class TestResultExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void csvQuotesWhatNeedsQuoting() {
        const QByteArray csv =
            io::resultsToCsv({result(QStringLiteral("a,b"), QStringLiteral("say \"hi\""),
                                     QStringLiteral("line1\nline2"))},
                             {QStringLiteral("f")});
        QVERIFY(csv.contains("\"a,b\""));
        QVERIFY(csv.contains("\"say \"\"hi\"\"\""));
        QVERIFY(csv.contains("\"line1\nline2\""));
        QVERIFY(csv.endsWith("\r\n"));
    }

    void csvDefusesSpreadsheetFormulas() {
        const QByteArray csv =
            io::resultsToCsv({result(QStringLiteral("=HYPERLINK(\"x\")"), QStringLiteral("+1"))},
                             {QStringLiteral("f")});
        QVERIFY(csv.contains("'=HYPERLINK"));
        QVERIFY(csv.contains(",'+1,"));
    }

    // Issue 12 point 10: the url column is percent-encoded, as the request went on the wire.
    void csvUrlIsPercentEncoded() {
        auto r = result(QStringLiteral("x"), QStringLiteral("1"));
        r.url = QStringLiteral("http://h/compound/caf\u00e9 au lait?q=a b");
        const QByteArray csv = io::resultsToCsv({r}, {QStringLiteral("f")});
        QVERIFY2(csv.contains(",http://h/compound/caf%C3%A9%20au%20lait?q=a%20b,"),
                 csv.constData());
    }

    // queued_ms came with issue 12: it goes last, so the older columns keep their positions.
    void csvKeepsTheOlderColumnsInPlace() {
        auto r = result(QStringLiteral("x"), QStringLiteral("1"));
        r.latencyMs = 2;
        r.queuedMs = 1500;
        const QList<QByteArray> lines = io::resultsToCsv({r}, {QStringLiteral("f")}).split('\n');
        QCOMPARE(lines.value(0).trimmed(),
                 QByteArray("rank,index,item,status,http_status,latency_ms,attempts,bytes,f,"
                            "error,url,queued_ms"));
        QVERIFY2(lines.value(1).trimmed().endsWith(",1500.0"), lines.value(1).constData());
    }

    void jsonRoundTripsThroughTheJournalFormat() {
        const QByteArray json =
            io::resultsToJson({result(QStringLiteral("x"), QStringLiteral("1"))});
        const auto array = QJsonDocument::fromJson(json).array();
        QCOMPARE(array.size(), 1);
        const auto back = fetch::ItemResult::fromJson(array.first().toObject());
        QVERIFY(back);
        QCOMPARE(back->field(QStringLiteral("f")), QStringLiteral("1"));
    }

    // Issue 12 point 10: fields were written [["value","948"]], numbers turned to strings.
    void jsonKeepsFieldTypes() {
        auto r = result(QStringLiteral("x"), QStringLiteral("water"));
        r.fields << qMakePair(QStringLiteral("value"), QJsonValue(948))
                 << qMakePair(QStringLiteral("ok"), QJsonValue(true));
        const QByteArray json = io::resultsToJson({r});
        const QJsonObject fields =
            QJsonDocument::fromJson(json).array().first()[QStringLiteral("fields")].toObject();
        QCOMPARE(fields, (QJsonObject{{QStringLiteral("f"), QStringLiteral("water")},
                                      {QStringLiteral("value"), 948},
                                      {QStringLiteral("ok"), true}}));
        const auto back =
            fetch::ItemResult::fromJson(QJsonDocument::fromJson(json).array().first().toObject());
        QVERIFY(back);
        QCOMPARE(back->fieldValue(QStringLiteral("value")), QJsonValue(948));
        QCOMPARE(back->field(QStringLiteral("value")), QStringLiteral("948"));
        QCOMPARE(back->field(QStringLiteral("f")), QStringLiteral("water"));
        // The older form still reads, as text.
        const auto old = fetch::ItemResult::fromJson(
            QJsonDocument::fromJson(R"({"index":0,"item":"x","status":"ok",)"
                                    R"("fields":[["value","948"]]})")
                .object());
        QVERIFY(old);
        QCOMPARE(old->field(QStringLiteral("value")), QStringLiteral("948"));
    }

    void atomicWriteReplacesOnlyWhenComplete() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.csv"));
        QString error;
        QVERIFY(io::writeFileAtomically(path, "one", &error));
        QVERIFY(io::writeFileAtomically(path, "two", &error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("two"));
        QVERIFY(
            !io::writeFileAtomically(dir.filePath(QStringLiteral("no/such/dir/x")), "x", &error));
        QVERIFY(!error.isEmpty());
    }

    void exportsKeepNoUrlPasswordsOrSecretQueryValues_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("user and password") << QStringLiteral("https://ann:hunter2@api.example/v1/x")
                                           << QStringLiteral("https://api.example/v1/x");
        QTest::newRow("token as user name") << QStringLiteral("https://ghp_s3cr3t@github.example/r")
                                            << QStringLiteral("https://github.example/r");
        QTest::newRow("secret query values")
            << QStringLiteral("http://h:8080/x?api_key=s3cr3t&page=2&access_token=s3cr3t#top")
            << QStringLiteral("http://h:8080/x?api_key=REDACTED&page=2&access_token=REDACTED#top");
        QTest::newRow("@ in the path is not user-info")
            << QStringLiteral("http://h/users/@me?q=1") << QStringLiteral("http://h/users/@me?q=1");
    }

    void exportsKeepNoUrlPasswordsOrSecretQueryValues() {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        auto r = result(QStringLiteral("x"), QStringLiteral("1"));
        r.url = url;
        const QByteArray csv = io::resultsToCsv({r}, {QStringLiteral("f")});
        const QByteArray json = io::resultsToJson({r});
        for (const QByteArray &written : {csv, json}) {
            QVERIFY2(!written.contains("hunter2") && !written.contains("s3cr3t"),
                     written.constData());
        }
        QVERIFY2(csv.contains(expected.toUtf8()), csv.constData());
        QCOMPARE(QJsonDocument::fromJson(json).array().first()[QStringLiteral("url")].toString(),
                 expected);
    }
};

QTEST_GUILESS_MAIN(TestResultExport)
#include "tst_resultexport.moc"
