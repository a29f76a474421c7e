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

    void jsonRoundTripsThroughTheJournalFormat() {
        const QByteArray json =
            io::resultsToJson({result(QStringLiteral("x"), QStringLiteral("1"))});
        const auto array = QJsonDocument::fromJson(json).array();
        QCOMPARE(array.size(), 1);
        const auto back = fetch::ItemResult::fromJson(array.first().toObject());
        QVERIFY(back);
        QCOMPARE(back->field(QStringLiteral("f")), QStringLiteral("1"));
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
};

QTEST_GUILESS_MAIN(TestResultExport)
#include "tst_resultexport.moc"
