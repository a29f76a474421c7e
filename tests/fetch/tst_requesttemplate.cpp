// SPDX-License-Identifier: Apache-2.0
#include "fetch/itemtable.h"
#include "fetch/requesttemplate.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace vigil;
using fetch::BatchSpec;
using fetch::ItemFormat;

namespace {
/// A batch over the table @p text (CSV unless @p format says otherwise).
BatchSpec tableSpec(const QString &text, ItemFormat format = ItemFormat::Csv) {
    QString error;
    const auto table = fetch::parseItemTable(text, format, &error);
    if (!table)
        qFatal("%s", qPrintable(error));
    BatchSpec spec;
    spec.items = table->records;
    spec.columns = table->columns;
    spec.separator = fetch::separatorOf(format);
    return spec;
}

QString problems(const BatchSpec &spec) {
    QStringList out;
    for (const auto &p : fetch::templateProblems(spec))
        out << p.field + QStringLiteral(": ") + p.message;
    return out.join(u'\n');
}
} // namespace

// Items with several fields, and bodies: a CSV or TSV header names {placeholders} for the
// URL, the headers and a body template.
class TestRequestTemplate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recordsFollowRfc4180Quoting() {
        QString error;
        QCOMPARE(fetch::splitRecord(uR"(a,"b, c","say ""hi""",)", u',', &error).value(),
                 QStringList({QStringLiteral("a"), QStringLiteral("b, c"),
                              QStringLiteral("say \"hi\""), QString()}));
        QVERIFY(!fetch::splitRecord(u"a,\"open", u',', &error));
        QVERIFY2(error.contains(QStringLiteral("not closed")), qPrintable(error));
    }

    void aTableIsCheckedRecordByRecord() {
        QString error;
        const auto tsv = fetch::parseItemTable(QStringLiteral("id\tnote\r\n1\t\n2\tx\n"),
                                               ItemFormat::Tsv, &error);
        QVERIFY2(tsv, qPrintable(error));
        QCOMPARE(tsv->columns, QStringList({QStringLiteral("id"), QStringLiteral("note")}));
        QCOMPARE(tsv->records.size(), 2); // the first record's empty last field is kept
        QVERIFY(
            !fetch::parseItemTable(QStringLiteral("id,name\n1,a\n2\n"), ItemFormat::Csv, &error));
        QCOMPARE(error, QStringLiteral("record 2 has 1 fields, the header 2"));
        QVERIFY(!fetch::parseItemTable(QStringLiteral("id,first name\n"), ItemFormat::Csv, &error));
        QVERIFY2(error.contains(QStringLiteral("(\"first name\") is not a placeholder name")),
                 qPrintable(error));
        QVERIFY(!fetch::parseItemTable(QStringLiteral("id,id\n1,2\n"), ItemFormat::Csv, &error));
        QVERIFY2(error.contains(QStringLiteral("twice")), qPrintable(error));
    }

    void placeholdersAreNamesInBracesAndNothingElse() {
        QCOMPARE(
            fetch::placeholderNames(u"{\"q\": \"{name}\", \"n\": {n}, \"x\": {\"y\": 1}} {name}"),
            QStringList({QStringLiteral("name"), QStringLiteral("n")}));
    }

    void eachValueIsEscapedForWhereItGoes() {
        BatchSpec spec = tableSpec(QStringLiteral("id,name,tenant\n7,\"a \"\"b\"\"/c\",t1\n"));
        spec.urlTemplate = QStringLiteral("https://api.example/v1/{id}?q={name}");
        spec.headers = {{"X-Tenant", "{tenant}"}};
        spec.method = "POST";
        spec.bodyTemplate = QStringLiteral(R"({"query": "{name}", "id": {id}})");
        QString error;
        const auto request = fetch::itemRequest(spec, spec.items.at(0), &error);
        QVERIFY2(request, qPrintable(error));
        QCOMPARE(request->url.toString(QUrl::FullyEncoded),
                 QStringLiteral("https://api.example/v1/7?q=a%20%22b%22%2Fc"));
        QCOMPARE(request->method, QByteArray("POST"));
        QCOMPARE(net::headerValue(request->headers, "X-Tenant"), QByteArray("t1"));
        QCOMPARE(net::headerValue(request->headers, "Content-Type"),
                 QByteArray("application/json"));
        const QJsonObject body = QJsonDocument::fromJson(request->body).object(); // still JSON
        QCOMPARE(body.value(u"query").toString(), QStringLiteral("a \"b\"/c"));
        QCOMPARE(body.value(u"id").toInt(), 7);
        spec.contentType = QStringLiteral("application/x-www-form-urlencoded");
        spec.bodyTemplate = QStringLiteral("q={name}&id={id}");
        QCOMPARE(fetch::itemRequest(spec, spec.items.at(0), &error)->body,
                 QByteArray("q=a%20%22b%22%2Fc&id=7"));
    }

    void aHeaderCannotTakeALineBreak() {
        QString error; // a record is one line: a quoted line break leaves its quote open
        QVERIFY(!fetch::parseItemTable(QStringLiteral("id,tenant\n1,\"a\nb\"\n"), ItemFormat::Csv,
                                       &error));
        QCOMPARE(error, QStringLiteral("record 1 a quoted field is not closed (a record is one "
                                       "line)"));
        BatchSpec spec = tableSpec(QStringLiteral("id,tenant\n1,x\n"));
        spec.urlTemplate = QStringLiteral("https://api.example/{id}");
        spec.headers = {{"X-Tenant", "{tenant}\r\nX-Evil: 1"}};
        QVERIFY(!fetch::itemRequest(spec, spec.items.at(0), &error));
        QCOMPARE(error, QStringLiteral("the header X-Tenant would hold a line break"));
    }

    void validationNamesTheMissingColumnAndTheBadTemplate_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("expected");
        QTest::newRow("fine") << "https://a.example/{id}"
                              << "" << QByteArray("GET") << "";
        QTest::newRow("a body's placeholder is enough")
            << "https://a.example/lookup"
            << "{\"id\": \"{id}\"}" << QByteArray("POST") << "";
        QTest::newRow("a column that is not there")
            << "https://a.example/{idd}"
            << "" << QByteArray("GET")
            << "template: the URL template names {idd}, which is not a column of the items (id, "
               "name)";
        QTest::newRow("in the body")
            << "https://a.example/{id}"
            << "{\"n\": \"{nam}\"}" << QByteArray("POST")
            << "body: the body template names {nam}, which is not a column of the items (id, "
               "name)";
        QTest::newRow("no placeholder")
            << "https://a.example/x"
            << "" << QByteArray("GET")
            << "template: the URL template (or the body) must use a column, such as {id}";
        QTest::newRow("a stray brace")
            << "https://a.example/{id}/{ name}"
            << "" << QByteArray("GET")
            << "template: the URL template has a brace that is no {name} placeholder (a name is "
               "a letter or _, then letters, digits or _)";
        QTest::newRow("a body on a GET")
            << "https://a.example/{id}"
            << "x" << QByteArray("GET") << "body: a GET request takes no body: choose POST or PUT";
        QTest::newRow("DELETE") << "https://a.example/{id}"
                                << "" << QByteArray("DELETE")
                                << "method: the method must be GET, POST or PUT";
    }

    void validationNamesTheMissingColumnAndTheBadTemplate() {
        QFETCH(QString, url);
        QFETCH(QString, body);
        QFETCH(QByteArray, method);
        QFETCH(QString, expected);
        BatchSpec spec = tableSpec(QStringLiteral("id,name\n1,a\n"));
        spec.urlTemplate = url;
        spec.bodyTemplate = body;
        spec.method = method;
        QCOMPARE(problems(spec), expected);
    }

    void aPlainListHasOnlyItem() {
        BatchSpec spec;
        spec.items = fetch::ItemList{QStringLiteral("a")};
        spec.urlTemplate = QStringLiteral("https://a.example/{item}/{name}");
        QCOMPARE(problems(spec), QStringLiteral("template: the URL template names {name}; a plain "
                                                "item list has only {item} (a CSV or TSV list "
                                                "names its columns)"));
        spec.urlTemplate = QStringLiteral("https://a.example/search");
        spec.method = "POST";
        spec.bodyTemplate = QStringLiteral("{\"q\": \"{item}\"}");
        QCOMPARE(problems(spec), QString());
    }

    void onlyIdempotentRequestsAreRetriedUnlessToldSafe() {
        BatchSpec spec;
        QVERIFY(fetch::mayRetry(spec)); // GET
        spec.method = "PUT";
        QVERIFY(fetch::mayRetry(spec));
        spec.method = "POST";
        QVERIFY(!fetch::mayRetry(spec));
        spec.retryUnsafe = true;
        QVERIFY(fetch::mayRetry(spec));
    }
};

QTEST_GUILESS_MAIN(TestRequestTemplate)
#include "tst_requesttemplate.moc"
