// SPDX-License-Identifier: Apache-2.0
// `vigil fetch --har`, run as a user runs it: the real binary against the demo server in its own
// process, and the file checked against the HAR 1.2 structure.
#include "harcheck.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using vigil::test::HarCheck;

namespace {
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runVigil(const QStringList &args) {
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(VIGIL_BINARY), args);
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QJsonArray entriesOf(const QByteArray &har) {
    return QJsonDocument::fromJson(har)
        .object()
        .value(u"log")
        .toObject()
        .value(u"entries")
        .toArray();
}
} // namespace

class TestHar : public QObject {
    Q_OBJECT
    QProcess m_server;
    QString m_base;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() {
        m_server.start(QStringLiteral(VIGIL_BINARY), {QStringLiteral("serve-demo")});
        QVERIFY(m_server.waitForReadyRead(10000));
        m_base = QString::fromUtf8(m_server.readLine()).trimmed();
        QVERIFY2(m_base.startsWith(QStringLiteral("http://127.0.0.1:")), qPrintable(m_base));
    }

    void cleanupTestCase() {
        m_server.kill();
        m_server.waitForFinished();
    }

    // Items that succeed, one retried after a 503, one lost in a redirect loop: each attempt
    // and hop is an entry, and no secret of the URLs or headers is in the file.
    void aBatchWithRetriesAndRedirectsIsAValidHarWithoutSecrets() {
        const QString base =
            QString(m_base).replace(QStringLiteral("http://"), QStringLiteral("http://u:pw9@"));
        QStringList urls;
        for (const char *path :
             {"/item/1", "/item/2", "/fail-first/h1?status=503&", "/redirect-loop"})
            urls << base + QString::fromLatin1(path) +
                        (QByteArrayView(path).contains('?') ? QStringLiteral("api_key=K7")
                                                            : QStringLiteral("?api_key=K7"));
        QFile items(m_dir.filePath(QStringLiteral("items.txt")));
        QVERIFY(items.open(QIODevice::WriteOnly));
        items.write(urls.join(u'\n').toUtf8());
        items.close();
        const QString har = m_dir.filePath(QStringLiteral("batch.har"));
        const Run run = runVigil(
            {QStringLiteral("fetch"), QStringLiteral("--quiet"), QStringLiteral("--template"),
             QStringLiteral("{item}"), QStringLiteral("--items"), items.fileName(),
             QStringLiteral("--header"), QStringLiteral("Authorization: Bearer S3CRET"),
             QStringLiteral("--har"), har});
        QCOMPARE(run.exitCode, 1); // the redirect loop fails
        QFile f(har);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QCOMPARE(HarCheck::problems(bytes), QStringList());
        for (const char *secret : {"pw9", "K7", "S3CRET"})
            QVERIFY2(!bytes.contains(secret), secret);
        const QJsonArray entries = entriesOf(bytes);
        int retried = 0, hops = 0, measured = 0;
        for (const QJsonValue &v : entries) {
            const QJsonObject e = v.toObject();
            const QJsonObject response = e.value(u"response").toObject();
            retried += e.value(u"_attempt").toInt() == 2 ? 1 : 0;
            hops += response.value(u"redirectURL").toString().isEmpty() ? 0 : 1;
            measured += e.value(u"timings").toObject().value(u"wait").toDouble() > 0 ? 1 : 0;
            if (e.value(u"_attempt").toInt() == 2)
                QVERIFY2(e.value(u"timings").toObject().value(u"_backoff").toDouble() > 0,
                         "the retry waited out a backoff");
        }
        QCOMPARE(retried, 1);
        QCOMPARE(hops, 5); // the loop is refused after five redirects
        QCOMPARE(entries.size(), 2 + 2 + hops + 1);
        QCOMPARE(measured, entries.size());
    }

    void aHarFileThatCannotBeWrittenStopsBeforeAnyRequest() {
        const Run run =
            runVigil({QStringLiteral("fetch"), QStringLiteral("--quiet"),
                      QStringLiteral("--template"), m_base + QStringLiteral("/item/{item}"),
                      QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--har"),
                      m_dir.filePath(QStringLiteral("none/x.har"))});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("cannot write")), qPrintable(run.err));
        QVERIFY(run.out.isEmpty()); // no summary: nothing was fetched
    }
};

QTEST_GUILESS_MAIN(TestHar)
#include "tst_har.moc"
