// SPDX-License-Identifier: Apache-2.0
#include "harcheck.h"
#include "io/harwriter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using fetch::AttemptPhases;
using fetch::ItemResult;
using test::HarCheck;

namespace {
constexpr qint64 kZero = 1764633600000; // 2025-12-02T00:00:00Z

AttemptPhases record(double startMs, int status, const QString &url) {
    AttemptPhases a;
    a.startMs = startMs;
    a.status = status;
    a.url = url;
    a.exchange.measured = true;
    a.exchange.sendMs = 0.25f;
    a.exchange.waitMs = 10;
    a.exchange.receiveMs = 2;
    return a;
}

/// A fresh TLS connection, 40 ms in its host's line: every phase there is.
ItemResult okItem() {
    ItemResult r;
    r.item = QStringLiteral("1");
    r.url = QStringLiteral("https://api.example/items/1?api_key=REDACTED&x=1");
    r.status = fetch::ItemStatus::Ok;
    r.httpStatus = 200;
    r.bytes = 123;
    r.contentType = QStringLiteral("application/json");
    r.timelineZeroMs = kZero;
    AttemptPhases a = record(5, 200, r.url);
    a.queuedMs = 40;
    a.limitMs = 7.5f;
    a.exchange.dnsMs = 1;
    a.exchange.connectMs = 5;
    a.exchange.sslMs = 3;
    r.timeline = {a};
    return r;
}

/// A 503, then a timeout after a backoff.
ItemResult timedOutItem() {
    ItemResult r;
    r.item = QStringLiteral("2");
    r.url = QStringLiteral("https://api.example/items/2");
    r.status = fetch::ItemStatus::Timeout;
    r.error = QStringLiteral("no complete response within 30000 ms");
    r.timelineZeroMs = kZero;
    AttemptPhases first = record(0, 503, r.url);
    first.error = net::HttpErrorKind::HttpStatus;
    first.exchange.reused = true;
    AttemptPhases second = record(first.endMs(), 0, r.url);
    second.attempt = 2;
    second.backoffMs = 250;
    second.error = net::HttpErrorKind::Timeout;
    second.exchange.receiveMs = 0;
    r.timeline = {first, second};
    return r;
}

ItemResult redirectedItem() {
    ItemResult r;
    r.item = QStringLiteral("3");
    r.url = QStringLiteral("http://old.example/3");
    r.status = fetch::ItemStatus::Ok;
    r.httpStatus = 200;
    r.timelineZeroMs = kZero;
    AttemptPhases hop = record(1, 301, r.url);
    hop.redirect = true;
    const AttemptPhases last =
        record(hop.endMs(), 200, QStringLiteral("https://new.example/3#section"));
    r.timeline = {hop, last};
    return r;
}

io::HarWriter::Context context() {
    io::HarWriter::Context c;
    c.title = QStringLiteral("https://api.example/items/{item}?api_key=K1&x=1");
    c.headers = {{"Authorization", "Bearer T1"}, {"X-Tenant", "T2"}, {"X-Plain", "shown"}};
    c.secretHeaders = {"X-Tenant"};
    return c;
}
} // namespace

class TestHarWriter : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QByteArray writeHar(const QList<ItemResult> &results, io::HarWriter *writer) {
        const QString path = m_dir.filePath(QStringLiteral("batch.har"));
        QString error;
        if (!writer->open(path, &error))
            qFatal("%s", qPrintable(error));
        for (const auto &r : results)
            writer->add(r);
        if (!writer->commit(&error))
            qFatal("%s", qPrintable(error));
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void aBatchIsAValidHarWithAnEntryPerExchange() {
        io::HarWriter writer(context());
        ItemResult resumed; // from a journal: no timeline
        resumed.status = fetch::ItemStatus::Ok;
        const QByteArray har =
            writeHar({okItem(), timedOutItem(), redirectedItem(), resumed}, &writer);
        QCOMPARE(HarCheck::problems(har), QStringList());
        QCOMPARE(writer.entries(), 5);
        QCOMPARE(writer.leftOut(), 1);
        const QJsonObject log = QJsonDocument::fromJson(har).object().value(u"log").toObject();
        const QJsonArray entries = log.value(u"entries").toArray();
        QCOMPARE(entries.size(), 5);
        const QJsonObject first = entries.at(0).toObject();
        QCOMPARE(first.value(u"startedDateTime").toString(),
                 QStringLiteral("2025-12-02T00:00:00.005Z"));
        const QJsonObject t = first.value(u"timings").toObject();
        QCOMPARE(t.value(u"blocked").toDouble(), 47.5); // in line, then the host's rate
        QCOMPARE(t.value(u"_queued").toDouble(), 40.0);
        QCOMPARE(t.value(u"ssl").toDouble(), 3.0);
        QCOMPARE(first.value(u"time").toDouble(), 47.5 + 1 + 5 + 0.25 + 10 + 2);
        QCOMPARE(
            first.value(u"response").toObject().value(u"content").toObject().value(u"mimeType"),
            QJsonValue(QStringLiteral("application/json")));
        const QJsonObject retried = entries.at(1).toObject().value(u"timings").toObject();
        QCOMPARE(retried.value(u"connect").toDouble(), -1.0); // reused
        const QJsonObject timedOut = entries.at(2).toObject();
        QCOMPARE(timedOut.value(u"_attempt").toInt(), 2);
        QCOMPARE(timedOut.value(u"_error").toString(), timedOutItem().error);
        QCOMPARE(timedOut.value(u"response").toObject().value(u"bodySize").toInt(), -1);
        const QJsonObject hop = entries.at(3).toObject().value(u"response").toObject();
        QCOMPARE(hop.value(u"redirectURL").toString(), QStringLiteral("https://new.example/3"));
    }

    void requestHeadersAndTheTitleKeepNoSecret() {
        io::HarWriter writer(context());
        const QByteArray har = writeHar({okItem()}, &writer);
        for (const char *secret : {"T1", "T2", "K1"})
            QVERIFY2(!har.contains(secret), secret);
        QVERIFY(har.contains(R"({"name":"X-Plain","value":"shown"})"));
        QVERIFY(har.contains(R"({"name":"Authorization","value":"REDACTED"})"));
        QVERIFY(har.contains(R"({"name":"api_key","value":"REDACTED"})")); // its queryString
    }

    // A header filled from a table's column shows the item's value, as it was sent.
    void headerPlaceholdersShowTheItemsValues() {
        io::HarWriter::Context c = context();
        c.columns = {QStringLiteral("id"), QStringLiteral("tenant")};
        c.separator = u',';
        c.headers = {{"X-Tenant", "{tenant}"}, {"X-Api-Key", "{tenant}"}};
        c.secretHeaders.clear(); // context() marks X-Tenant secret
        io::HarWriter writer(c);
        ItemResult r = okItem();
        r.item = QStringLiteral("1,acme");
        const QByteArray har = writeHar({r}, &writer);
        QVERIFY(har.contains(R"({"name":"X-Tenant","value":"acme"})"));
        QVERIFY(har.contains(R"({"name":"X-Api-Key","value":"REDACTED"})"));
    }

    // The checker itself: a HAR it must refuse.
    void theCheckerFindsWhatIsWrong() {
        io::HarWriter writer(context());
        QJsonObject root = QJsonDocument::fromJson(writeHar({okItem()}, &writer)).object();
        QJsonObject log = root.value(u"log").toObject();
        QJsonArray entries = log.value(u"entries").toArray();
        QJsonObject e = entries.at(0).toObject();
        e[QStringLiteral("time")] = 1.0;
        e[QStringLiteral("startedDateTime")] = QStringLiteral("2025-12-02T00:00:00.005");
        QJsonObject request = e.value(u"request").toObject();
        request.remove(QStringLiteral("queryString"));
        e[QStringLiteral("request")] = request;
        entries[0] = e;
        log[QStringLiteral("entries")] = entries;
        root[QStringLiteral("log")] = log;
        const QStringList found = HarCheck::problems(QJsonDocument(root).toJson());
        QCOMPARE(found.size(), 3);
        QVERIFY(found.join(u'\n').contains(QStringLiteral("queryString is missing")));
        QVERIFY(found.join(u'\n').contains(QStringLiteral("not the sum")));
        QVERIFY(found.join(u'\n').contains(QStringLiteral("with a zone")));
    }

    void aFileThatCannotBeWrittenSaysWhy() {
        io::HarWriter writer(context());
        QString error;
        QVERIFY(!writer.open(m_dir.filePath(QStringLiteral("no/such/dir/x.har")), &error));
        QVERIFY2(error.startsWith(QStringLiteral("cannot write ")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestHarWriter)
#include "tst_harwriter.moc"
