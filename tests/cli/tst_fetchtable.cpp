// SPDX-License-Identifier: Apache-2.0
// `vigil fetch` over a CSV or TSV table with a POST body template, run as a user runs it: the real
// binary against the demo server (its /echo says back what it was sent) in its own process.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

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

/// The journal's objects, by item.
QHash<QString, QJsonObject> journal(const QString &path) {
    QHash<QString, QJsonObject> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.contains(u"item"))
            out.insert(o.value(u"item").toString(), o);
    }
    return out;
}
} // namespace

class TestFetchTable : public QObject {
    Q_OBJECT
    QProcess m_server;
    QString m_base;
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text) {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(f.fileName()));
        f.write(text);
        return f.fileName();
    }

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

    // Each record's columns go into the URL (percent-encoded) and into a JSON body (escaped for
    // a JSON string), and the server gets a valid JSON body with the record's values.
    void aCsvTablePostsAJsonBodyPerRecord() {
        const QString items = write(QStringLiteral("people.csv"),
                                    "id,name\n1,Ada\n2,\"Grace \"\"Amazing\"\" Hopper\"\n");
        const QString out = m_dir.filePath(QStringLiteral("people.jsonl"));
        const Run run = runVigil(
            {QStringLiteral("fetch"), QStringLiteral("--quiet"), QStringLiteral("--template"),
             m_base + QStringLiteral("/echo/{id}"), QStringLiteral("--items"), items,
             QStringLiteral("--method"), QStringLiteral("post"), QStringLiteral("--body"),
             QStringLiteral(R"({"who": "{name}", "n": {id}})"), QStringLiteral("--field"),
             QStringLiteral("who=/json/who"), QStringLiteral("--field"),
             QStringLiteral("method=/method"), QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto results = journal(out);
        QCOMPARE(results.size(), 2);
        const QJsonObject grace =
            results.value(QStringLiteral("2,\"Grace \"\"Amazing\"\" Hopper\""));
        const QJsonObject fields = grace.value(u"fields").toObject();
        QCOMPARE(fields.value(u"who").toString(), QStringLiteral("Grace \"Amazing\" Hopper"));
        QCOMPARE(fields.value(u"method").toString(), QStringLiteral("POST"));
    }

    // A POST may have done its work before it failed: it is sent once, unless the user says
    // the endpoint is safe to retry.
    void aPostIsSentOnceUnlessToldSafe() {
        const QString items = write(QStringLiteral("ids.tsv"), "id\tgroup\na\tg1\n");
        const auto post = [this, &items](const QString &group, bool safe) {
            QStringList args{QStringLiteral("fetch"),
                             QStringLiteral("--quiet"),
                             QStringLiteral("--template"),
                             m_base + QStringLiteral("/fail-first/{id}?status=503&group=") + group,
                             QStringLiteral("--items"),
                             items,
                             QStringLiteral("--method"),
                             QStringLiteral("POST"),
                             QStringLiteral("--body"),
                             QStringLiteral("{group}")};
            if (safe)
                args << QStringLiteral("--retry-unsafe");
            return runVigil(args);
        };
        const Run once = post(QStringLiteral("once"), false);
        QCOMPARE(once.exitCode, 1);
        QVERIFY2(once.out.startsWith(QStringLiteral("fetched ok=0 failed=1")),
                 qPrintable(once.out));
        const Run retried = post(QStringLiteral("retried"), true);
        QCOMPARE(retried.exitCode, 0);
        QVERIFY2(retried.out.startsWith(QStringLiteral("fetched ok=1 failed=0")),
                 qPrintable(retried.out));
    }

    // `--per-host auto[:N]` is taken: each host's limit then follows its latency.
    void perHostAutoRuns() {
        for (const char *setting : {"auto", "auto:3"}) {
            const Run run = runVigil(
                {QStringLiteral("fetch"), QStringLiteral("--quiet"), QStringLiteral("--template"),
                 m_base + QStringLiteral("/item/{item}?ms=5"), QStringLiteral("--count"),
                 QStringLiteral("30"), QStringLiteral("--per-host"), QString::fromLatin1(setting)});
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            QVERIFY2(run.out.startsWith(QStringLiteral("fetched ok=30 ")), qPrintable(run.out));
        }
    }

    void aMissingColumnIsNamedBeforeAnyRequest() {
        const QString items = write(QStringLiteral("ids.csv"), "id,name\n1,a\n");
        const Run run =
            runVigil({QStringLiteral("fetch"), QStringLiteral("--template"),
                      m_base + QStringLiteral("/echo/{idd}"), QStringLiteral("--items"), items});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--template: the URL template names {idd}, which "
                                                 "is not a column of the items (id, name)")),
                 qPrintable(run.err));
        const QString bad = write(QStringLiteral("bad.csv"), "id,name\n1\n");
        const Run short_ =
            runVigil({QStringLiteral("fetch"), QStringLiteral("--template"),
                      m_base + QStringLiteral("/echo/{id}"), QStringLiteral("--items"), bad});
        QCOMPARE(short_.exitCode, 2);
        QVERIFY2(short_.err.contains(QStringLiteral("record 1 has 1 fields, the header 2")),
                 qPrintable(short_.err));
    }
};

QTEST_GUILESS_MAIN(TestFetchTable)
#include "tst_fetchtable.moc"
