// SPDX-License-Identifier: Apache-2.0
#include "batchform.h"
#include "requesteditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace vigil;
using widgets::BatchForm;

// The batch form's items with several fields and its request body: a CSV or TSV table names the
// placeholders, and the form says what is wrong before Start.
class TestRequestEditor : public QObject {
    Q_OBJECT
    static BatchForm *customForm() {
        auto *form = new BatchForm([] { return QUrl(QStringLiteral("http://127.0.0.1:1")); });
        form->applyPreset(BatchForm::Custom);
        form->fieldsEdit()->clear();
        return form;
    }

private Q_SLOTS:
    void aCsvTableNamesItsColumnsAndTheFormChecksThem() {
        std::unique_ptr<BatchForm> form(customForm());
        form->request()->setItemFormat(fetch::ItemFormat::Csv);
        form->itemsEdit()->setPlainText(QStringLiteral("id,name\n1,Ada\n2,Grace\n"));
        form->templateEdit()->setText(QStringLiteral("http://127.0.0.1:8080/echo/{id}"));
        QVERIFY2(form->isValid(), qPrintable(form->problemsLabel()->text()));
        const fetch::BatchSpec spec = form->spec();
        QCOMPARE(spec.columns, QStringList({QStringLiteral("id"), QStringLiteral("name")}));
        QCOMPARE(spec.items.size(), 2);
        const auto labels = form->findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.begin(), labels.end(), [](const QLabel *label) {
            return label->text() == QStringLiteral("2 item(s) · placeholders: {id}, {name}");
        }));

        form->templateEdit()->setText(QStringLiteral("http://127.0.0.1:8080/echo/{idd}"));
        QVERIFY(!form->isValid());
        QVERIFY2(form->problemsLabel()->text().contains(
                     QStringLiteral("names {idd}, which is not a column of the items (id, name)")),
                 qPrintable(form->problemsLabel()->text()));

        form->templateEdit()->setText(QStringLiteral("http://127.0.0.1:8080/echo/{id}"));
        form->itemsEdit()->setPlainText(QStringLiteral("id,name\n1\n"));
        QVERIFY(!form->isValid());
        QVERIFY2(form->problemsLabel()->text().contains(
                     QStringLiteral("Items: record 1 has 1 fields, the header 2")),
                 qPrintable(form->problemsLabel()->text()));
    }

    void aBodyNeedsPostOrPutAndAPostIsRetriedOnlyWhenSafe() {
        std::unique_ptr<BatchForm> form(customForm());
        form->itemsEdit()->setPlainText(QStringLiteral("water\nethanol"));
        form->templateEdit()->setText(QStringLiteral("http://127.0.0.1:8080/echo/x"));
        widgets::RequestEditor *request = form->request();
        request->bodyEdit()->setPlainText(QStringLiteral(R"({"q": "{item}"})"));
        QVERIFY(!form->isValid());
        QVERIFY2(form->problemsLabel()->text().contains(QStringLiteral("a GET request takes no "
                                                                       "body")),
                 qPrintable(form->problemsLabel()->text()));
        QVERIFY(!request->retryUnsafeBox()->isEnabled());
        request->methodBox()->setCurrentText(QStringLiteral("POST"));
        QVERIFY2(form->isValid(), qPrintable(form->problemsLabel()->text()));
        QVERIFY(request->retryUnsafeBox()->isEnabled());
        QVERIFY(!form->spec().retryUnsafe);
        request->retryUnsafeBox()->setChecked(true);
        const fetch::BatchSpec spec = form->spec();
        QCOMPARE(spec.method, QByteArray("POST"));
        QCOMPARE(spec.bodyTemplate, QStringLiteral(R"({"q": "{item}"})"));
        QVERIFY(spec.retryUnsafe);
        form->autoPerHostBox()->setChecked(true);
        QVERIFY(form->spec().perHostAuto);
        form->applyPreset(BatchForm::DemoCompounds); // a preset is a GET over a plain list again
        QVERIFY(!form->spec().perHostAuto);
        QCOMPARE(form->spec().method, QByteArray("GET"));
        QVERIFY(form->spec().bodyTemplate.isEmpty());
    }

    void loadingATsvFileReadsItAsATable() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("items.tsv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("id\tname\n1\tAda Lovelace\n");
        f.close();
        std::unique_ptr<BatchForm> form(customForm());
        QString error;
        QVERIFY(form->loadItemsFile(path, &error));
        QCOMPARE(form->request()->itemFormat(), fetch::ItemFormat::Tsv);
        form->templateEdit()->setText(QStringLiteral("http://127.0.0.1:8080/echo/{id}?n={name}"));
        QVERIFY2(form->isValid(), qPrintable(form->problemsLabel()->text()));
        QCOMPARE(form->spec().columns, QStringList({QStringLiteral("id"), QStringLiteral("name")}));
    }
};

QTEST_MAIN(TestRequestEditor)
#include "tst_requesteditor.moc"
