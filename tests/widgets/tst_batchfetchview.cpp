// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "harcheck.h"
#include "shutdown.h"

#include "batchfetchview.h"
#include "batchform.h"
#include "errorbanner.h"
#include "resultsmodel.h"
#include "throughputchart.h"

#include "demofixture.h"
#include "nginxserver.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/resource.h>

using namespace std::chrono_literals;
using namespace vigil;
using widgets::BatchFetchView;
using widgets::BatchForm;

class TestBatchFetchView : public QObject {
    Q_OBJECT
    test::DemoFixture m_server;
    BatchFetchView *m_view = nullptr;

    void waitUntilIdle() { QTRY_VERIFY_WITH_TIMEOUT(!m_view->isRunning(), 20000); }

    /// The Custom preset: @p n demo items of 200 ms each, @p concurrency at a time.
    void fillCustomForm(int n, int concurrency) {
        auto *form = m_view->form();
        form->applyPreset(BatchForm::Custom);
        form->templateEdit()->setText(m_server->baseUrl().toString() +
                                      QStringLiteral("/item/{item}?ms=200"));
        form->fieldsEdit()->clear();
        QStringList items;
        for (int i = 0; i < n; ++i)
            items << QString::number(i);
        form->itemsEdit()->setPlainText(items.join(u'\n'));
        form->concurrencyBox()->setValue(concurrency);
    }

private Q_SLOTS:
    void init() {
        // An object of the batch thread left behind on the GUI thread (a timer that is not a
        // child) only shows as this warning, and then its timer never runs.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("from another thread")));
        QVERIFY(m_server.start(5));
        m_view = new BatchFetchView([this] { return m_server->baseUrl(); });
        m_view->resize(1400, 900);
        m_view->show();
    }

    void cleanup() {
        QVERIFY(test::shutDown(*m_view));
        delete m_view;
        m_server.stop();
    }

    void defaultPresetIsReadyToRunOffline() {
        QVERIFY(m_view->form()->isValid());
        QVERIFY(m_view->startButton()->isEnabled());
        // The demo API is named, not started, until a batch runs.
        QVERIFY(m_view->form()->templateEdit()->text().startsWith(QLatin1String("{demo}/")));
        QVERIFY(m_view->form()->specToRun().urlTemplate.startsWith(m_server->baseUrl().toString()));
    }

    void invalidFormSaysWhatIsWrongAndDisablesStart_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty item list")
            << QStringLiteral("items") << QStringLiteral("item list is empty");
        QTest::newRow("template without {item}")
            << QStringLiteral("noitem") << QStringLiteral("must contain {item}");
        QTest::newRow("bad scheme")
            << QStringLiteral("scheme") << QStringLiteral("http:// or https://");
        QTest::newRow("concurrency 0") << QStringLiteral("concurrency")
                                       << QStringLiteral("concurrency must be from 1 to 5000");
        QTest::newRow("per host too high")
            << QStringLiteral("perHost") << QStringLiteral("per-host concurrency must be from 0");
        QTest::newRow("breaker too high")
            << QStringLiteral("breaker") << QStringLiteral("breaker's failures in a row");
        QTest::newRow("rate too high")
            << QStringLiteral("rate") << QStringLiteral("rate must be from 0");
        QTest::newRow("timeout 0")
            << QStringLiteral("timeout") << QStringLiteral("timeout must be from 1 ms");
        QTest::newRow("too many retries")
            << QStringLiteral("retries") << QStringLiteral("retries must be from 0 to 20");
        QTest::newRow("max server wait past an hour")
            << QStringLiteral("maxWait") << QStringLiteral("from 0 to 3600 s");
        QTest::newRow("field without =")
            << QStringLiteral("field") << QStringLiteral("NAME=/json/pointer");
    }

    void invalidFormSaysWhatIsWrongAndDisablesStart() {
        QFETCH(QString, what);
        QFETCH(QString, message);
        auto *form = m_view->form();
        if (what == QLatin1String("items"))
            form->itemsEdit()->setPlainText(QStringLiteral("\n  \n# only a comment"));
        if (what == QLatin1String("noitem"))
            form->templateEdit()->setText(QStringLiteral("http://127.0.0.1:1/compound/water"));
        if (what == QLatin1String("scheme"))
            form->templateEdit()->setText(QStringLiteral("ftp://127.0.0.1/{item}"));
        if (what == QLatin1String("concurrency"))
            form->concurrencyBox()->setValue(0);
        if (what == QLatin1String("perHost"))
            form->perHostBox()->setValue(6000);
        if (what == QLatin1String("breaker"))
            form->breakerBox()->setValue(2000);
        if (what == QLatin1String("rate"))
            form->rateBox()->setValue(200000);
        if (what == QLatin1String("timeout"))
            form->timeoutBox()->setValue(0);
        if (what == QLatin1String("retries"))
            form->retriesBox()->setValue(21);
        if (what == QLatin1String("maxWait"))
            form->maxWaitBox()->setValue(3601);
        if (what == QLatin1String("field"))
            form->fieldsEdit()->setPlainText(QStringLiteral("formula"));
        QVERIFY(!m_view->startButton()->isEnabled());
        QVERIFY2(form->problemsLabel()->text().contains(message),
                 qPrintable(form->problemsLabel()->text()));
        m_view->start(); // pressing it anyway does nothing
        QVERIFY(!m_view->isRunning());
    }

    // Issue 12 point 10: switching preset kept an invalid timeout, so the preset could not run.
    void presetReplacesInvalidLimits() {
        auto *form = m_view->form();
        form->timeoutBox()->setValue(0);
        form->retriesBox()->setValue(21);
        QVERIFY(!form->isValid());
        form->applyPreset(BatchForm::Kinetics);
        QVERIFY2(form->isValid(), qPrintable(form->problemsLabel()->text()));
        QCOMPARE(form->timeoutBox()->value(), 10000);
        QCOMPARE(form->retriesBox()->value(), 2);
        QVERIFY(m_view->startButton()->isEnabled());
    }

    // One host, one request at a time: the other items wait for it, and the progress says so.
    void theProgressShowsItemsHeldForTheirHost() {
        fillCustomForm(4, 4);
        m_view->form()->perHostBox()->setValue(1);
        m_view->start();
        QVERIFY(QTest::qWaitFor(
            [this] { return m_view->progressText().contains(QStringLiteral("held for their")); },
            5000));
        QVERIFY(QTest::qWaitFor([this] { return !m_view->isRunning(); }, 10000));
        QVERIFY(!m_view->progressText().contains(QStringLiteral("held")));
    }

    void perHostAndBreakerGoIntoTheSpec() {
        auto *form = m_view->form();
        QCOMPARE(form->spec().perHost, 0);
        QCOMPARE(form->perHostBox()->text(), QStringLiteral("no limit"));
        form->perHostBox()->setValue(2);
        form->breakerBox()->setValue(5);
        QCOMPARE(form->spec().perHost, 2);
        QCOMPARE(form->spec().breaker.failures, 5);
        QVERIFY(form->isValid());
    }

    // Auto: the rate box becomes the learned rate's upper bound; the rate-limited preset uses it.
    void autoRateMakesTheRateBoxABound() {
        auto *form = m_view->form();
        form->applyPreset(BatchForm::Custom);
        form->rateBox()->setValue(7);
        QCOMPARE(form->spec().ratePerHost, 7.0);
        QVERIFY(!form->spec().autoRate);
        form->autoRateBox()->setChecked(true);
        QVERIFY(form->spec().autoRate);
        QCOMPARE(form->spec().autoRate->max, 7.0);
        QCOMPARE(form->spec().ratePerHost, 0.0);
        QVERIFY(form->rateBox()->suffix().contains(QStringLiteral("at most")));
        form->applyPreset(BatchForm::RateLimited);
        QVERIFY(form->autoRateBox()->isChecked());
        QVERIFY(form->spec().urlTemplate.contains(QStringLiteral("/quota/{item}?rps=10")));
        QVERIFY2(form->isValid(), qPrintable(form->problemsLabel()->text()));
        form->applyPreset(BatchForm::PubChem);
        QVERIFY(!form->autoRateBox()->isChecked());
    }

    void batchFillsTheTableInCompletionOrderWithFieldColumns() {
        auto *form = m_view->form();
        form->itemsEdit()->setPlainText(QStringLiteral("water\ncaffeine\nunobtainium\nbenzene"));
        QSignalSpy finished(m_view, &BatchFetchView::batchFinished);
        QTest::mouseClick(m_view->startButton(), Qt::LeftButton);
        QVERIFY(m_view->isRunning());
        QVERIFY(!m_view->startButton()->isEnabled());
        QVERIFY(m_view->cancelButton()->isEnabled());
        waitUntilIdle();
        QCOMPARE(finished.size(), 1);
        QVERIFY(finished.first().first().toString().startsWith(
            QStringLiteral("fetched ok=3 failed=1")));
        auto *model = m_view->results();
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(m_view->progressBar()->value(), 4);
        QVERIFY(model->fieldNames().contains(QStringLiteral("formula")));
        const int formula = widgets::ResultsModel::FirstField +
                            int(model->fieldNames().indexOf(QStringLiteral("formula")));
        bool sawCaffeine = false;
        for (int row = 0; row < model->rowCount(); ++row) {
            QCOMPARE(model->data(model->index(row, widgets::ResultsModel::Rank), Qt::DisplayRole)
                         .toInt(),
                     row + 1);
            if (model->data(model->index(row, widgets::ResultsModel::Item), Qt::DisplayRole)
                    .toString() == QLatin1String("caffeine")) {
                QCOMPARE(model->data(model->index(row, formula), Qt::DisplayRole).toString(),
                         QStringLiteral("C8H10N4O2"));
                sawCaffeine = true;
            }
        }
        QVERIFY(sawCaffeine);
        QVERIFY(m_view->throughputChart()->pointCount() >= 1);

        // Filtering by status shows only the failure.
        m_view->statusFilter()->setCurrentIndex(
            m_view->statusFilter()->findText(QStringLiteral("failed")));
        QCOMPARE(m_view->filteredResults()->rowCount(), 1);
        QVERIFY(m_view->filteredResults()
                    ->index(0, widgets::ResultsModel::FirstField + 3)
                    .data()
                    .toString()
                    .contains(QStringLiteral("404")));
    }

    // Issue 12 point 7: items that end on 429 say so, and name the form's settings that help.
    void itemsRefusedWith429SuggestARateLimit() {
        auto *form = m_view->form();
        form->applyPreset(BatchForm::Custom);
        form->templateEdit()->setText(m_server->baseUrl().toString() +
                                      QStringLiteral("/limited/{item}?rps=2"));
        form->fieldsEdit()->clear();
        form->itemsEdit()->setPlainText(QStringLiteral("a\nb\nc\nd\ne\nf"));
        form->concurrencyBox()->setValue(6);
        QCOMPARE(form->maxWaitBox()->value(), 300); // the default
        form->maxWaitBox()->setValue(0);
        m_view->start();
        waitUntilIdle();
        QVERIFY(m_view->errorBanner()->isVisible());
        const QString shown = m_view->errorBanner()->text();
        QVERIFY2(shown.contains(QStringLiteral("4 item(s) failed with HTTP 429")) &&
                     shown.contains(QStringLiteral("\"Rate limit\"")) &&
                     shown.contains(QStringLiteral("\"Max server wait\"")),
                 qPrintable(shown));
    }

    // Issue 12 point 8: the table shows the wait for the rate limit in its own column, and the
    // latency column leaves it out (5 items at 10/s wait about 0 … 400 ms for their turn).
    void tableShowsQueueTimeApartFromLatency() {
        fillCustomForm(5, 5);
        m_view->form()->templateEdit()->setText(m_server->baseUrl().toString() +
                                                QStringLiteral("/item/{item}?ms=0"));
        m_view->form()->rateBox()->setValue(10);
        m_view->start();
        waitUntilIdle();
        auto *model = m_view->results();
        QCOMPARE(model->rowCount(), 5);
        QCOMPARE(model->headerData(widgets::ResultsModel::QueuedMs, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QStringLiteral("Queued ms"));
        double longestQueue = 0;
        for (int row = 0; row < model->rowCount(); ++row) {
            const double latency =
                model->index(row, widgets::ResultsModel::LatencyMs).data().toDouble();
            QVERIFY2(latency < 200, qPrintable(QString::number(latency)));
            longestQueue = std::max(
                longestQueue, model->index(row, widgets::ResultsModel::QueuedMs).data().toDouble());
        }
        QVERIFY2(longestQueue >= 350, qPrintable(QString::number(longestQueue)));
    }

    // Issue 12 point 10: there was no way to run only the items that failed.
    void retryFailedItemsRunsOnlyThoseAndKeepsTheOkRows() {
        auto *form = m_view->form();
        form->applyPreset(BatchForm::Custom);
        // The first two requests of the group get a 404 (not retried); later ones succeed.
        form->templateEdit()->setText(m_server->baseUrl().toString() +
                                      QStringLiteral("/fail-first/{item}?n=2&status=404&group=r"));
        form->fieldsEdit()->clear();
        form->itemsEdit()->setPlainText(QStringLiteral("a\nb\nc\nd"));
        form->concurrencyBox()->setValue(1);
        QVERIFY(!m_view->retryButton()->isEnabled());
        m_view->start();
        waitUntilIdle();
        QVERIFY(m_view->retryButton()->isEnabled());
        QTest::mouseClick(m_view->retryButton(), Qt::LeftButton);
        waitUntilIdle();
        QCOMPARE(m_server->requestCount(), qint64(6)); // a and b again, not c and d
        m_view->results()->flush();
        const auto &rows = m_view->results()->results();
        QCOMPARE(rows.size(), 4);
        QSet<int> ranks;
        QSet<int> indexes;
        for (const auto &r : rows) {
            QVERIFY2(r.status == fetch::ItemStatus::Ok, qPrintable(r.item + r.error));
            ranks << r.rank;
            indexes << r.index;
        }
        QCOMPARE(ranks, (QSet<int>{3, 4, 5, 6})); // c and d kept theirs; a and b came after
        QCOMPARE(indexes, (QSet<int>{0, 1, 2, 3}));
        QVERIFY(!m_view->retryButton()->isEnabled()); // nothing left to retry
    }

    // The batch has a thread of its own: while the GUI thread is busy (drawing 16 charts, or
    // here a plain busy loop), its requests go on, and their results are shown as soon as the
    // GUI thread is back. The server is nginx, in its own process: the demo server would share
    // the blocked thread.
    void aBatchGoesOnWhileTheGuiThreadIsBusy() {
        test::NginxServer nginx;
        if (!nginx.isRunning())
            QSKIP("nginx is not installed (packaging/debian-packages.txt lists it)");
        QStringList items;
        for (int i = 0; i < 80; ++i) {
            QFile f(nginx.root() + QStringLiteral("/%1.json").arg(i));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArrayLiteral("{\"v\": 1}"));
            items << QString::number(i);
        }
        auto *form = m_view->form();
        form->applyPreset(BatchForm::Custom);
        form->templateEdit()->setText(nginx.url({}).toString() + QStringLiteral("{item}.json"));
        form->fieldsEdit()->clear();
        form->itemsEdit()->setPlainText(items.join(u'\n'));
        form->concurrencyBox()->setValue(4);
        form->rateBox()->setValue(20); // four seconds: still going after a busy one
        QVERIFY2(form->isValid(), qPrintable(form->problems().value(0).message));
        m_view->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_view->progressBar()->value() >= 2, 10000);
        const int before = m_view->progressBar()->value();
        for (QDeadlineTimer busy(1000); !busy.hasExpired();) {
        }
        QCoreApplication::processEvents(); // what arrived meanwhile, at once
        const int done = m_view->progressBar()->value() - before;
        QVERIFY2(done >= 10,
                 qPrintable(QStringLiteral("%1 items in a second of a busy GUI thread").arg(done)));
        waitUntilIdle();
        QCOMPARE(m_view->progressBar()->value(), 80);
    }

    void cancelStopsPromptlyAndKeepsFinishedRows() {
        fillCustomForm(200, 10);
        m_view->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_view->progressBar()->value() >= 10, 10000);
        QTest::mouseClick(m_view->cancelButton(), Qt::LeftButton);
        waitUntilIdle();
        m_view->results()->flush();
        const auto &rows = m_view->results()->results();
        QCOMPARE(rows.size(), 200);
        const auto ok = std::count_if(rows.begin(), rows.end(), [](const auto &r) {
            return r.status == fetch::ItemStatus::Ok;
        });
        QVERIFY(ok >= 10 && ok < 200);
        // Issue 12 point 10: the bar shows what was done, not 100 %.
        QCOMPARE(m_view->progressBar()->value(), int(ok));
        QCOMPARE(m_view->progressBar()->maximum(), 200);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->inFlight(), 0, 5000);
    }

    void shutdownCancelsTheComparisonAndRefusesNewRuns() {
        fillCustomForm(40, 8);
        m_view->compare();
        QTRY_VERIFY_WITH_TIMEOUT(m_view->progressBar()->value() >= 2, 10000);
        QVERIFY(test::shutDown(*m_view));
        // The sequential run was cancelled and the concurrent one never began.
        QVERIFY(!m_view->isRunning());
        QCOMPARE(m_view->compareLabel()->text(), QStringLiteral("Comparison stopped."));
        const auto &rows = m_view->results()->results();
        QVERIFY(std::count_if(rows.begin(), rows.end(), [](const auto &r) {
                    return r.status == fetch::ItemStatus::Ok;
                }) < 40);
        m_view->start();
        m_view->compare();
        QVERIFY(!m_view->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(m_server->inFlight(), 0, 5000);
    }

    void compareShowsBothTimesAndTheSpeedup() {
        auto *form = m_view->form();
        form->itemsEdit()->setPlainText(QStringLiteral("water\nethanol\nmethanol\nacetone"));
        form->templateEdit()->setText(m_server->baseUrl().toString() +
                                      QStringLiteral("/compound/{item}?ms=100"));
        form->concurrencyBox()->setValue(4);
        m_view->compare();
        waitUntilIdle();
        const QString text = m_view->compareLabel()->text();
        QVERIFY2(text.contains(QStringLiteral("Sequential")) &&
                     text.contains(QStringLiteral("faster")),
                 qPrintable(text));
        const double speedup = text.section(QStringLiteral("· "), 2).section(u'×', 0, 0).toDouble();
        QVERIFY2(speedup > 2.0, qPrintable(text));
    }

    // Issue 12 point 9: a slower concurrent run with failures said "0.9× faster".
    void comparisonSaysSlowerAndShowsBothRunsCounts_data() {
        QTest::addColumn<double>("sequentialS");
        QTest::addColumn<int>("concurrentFailed");
        QTest::addColumn<double>("concurrentS");
        QTest::addColumn<QString>("expected");
        QTest::newRow("faster, alike")
            << 2.0 << 0 << 0.5
            << QStringLiteral("Sequential: 2.00 s (ok 10, failed 0) · concurrency 8: 0.50 s (ok "
                              "10, failed 0) · 4.0× faster");
        QTest::newRow("slower, with failures")
            << 1.8 << 4 << 2.0
            << QStringLiteral("Sequential: 1.80 s (ok 10, failed 0) · concurrency 8: 2.00 s (ok "
                              "6, failed 4) · 1.1× slower (the runs did not end alike, so the "
                              "times do not compare like for like)");
    }

    void comparisonSaysSlowerAndShowsBothRunsCounts() {
        QFETCH(double, sequentialS);
        QFETCH(int, concurrentFailed);
        QFETCH(double, concurrentS);
        QFETCH(QString, expected);
        fetch::BatchSummary sequential;
        sequential.ok = 10;
        sequential.wallS = sequentialS;
        fetch::BatchSummary concurrent;
        concurrent.ok = 10 - concurrentFailed;
        concurrent.failed = concurrentFailed;
        concurrent.wallS = concurrentS;
        QCOMPARE(BatchFetchView::comparisonText(sequential, concurrent, 8), expected);
    }

    // Issue 12 point 10: a steady 20 completions/s reads 20/s from the first sample, not a ramp
    // from 0 over the first second.
    void completionRateIsSteadyFromTheStart() {
        async::VirtualClock clock;
        widgets::ThroughputChart chart(clock);
        chart.start();
        for (int i = 1; i <= 40; ++i) {
            clock.advance(50ms);
            chart.record(1.0);
            if (i == 5) {
                chart.stop(); // samples, at 250 ms
                QCOMPARE(chart.lastSample().at(0), 20.0);
            }
        }
        chart.stop();
        QCOMPARE(chart.lastSample().at(0), 20.0); // at 2 s, the full window
    }

    // Learned rates: a line per host for the first four, then the median of all.
    void chartDrawsEachHostsLearnedRate() {
        async::VirtualClock clock;
        widgets::ThroughputChart chart(clock);
        chart.start();
        chart.recordHostRate(QStringLiteral("http://127.0.0.1:8080/quota/1"), 9.5);
        chart.recordHostRate(QStringLiteral("http://127.0.0.1:8080/quota/2"), 9.0);
        chart.recordHostRate(QStringLiteral("http://127.0.0.1:8080/x"), 0); // a fixed rate
        QCOMPARE(chart.seriesCount(), 4);
        for (int h = 1; h <= 5; ++h)
            chart.recordHostRate(QStringLiteral("http://127.0.1.%1/x").arg(h), h);
        clock.advance(250ms);
        chart.stop();
        QCOMPARE(chart.seriesCount(), 3 + 4 + 1);
        chart.start(); // a new batch: its own hosts only
        QCOMPARE(chart.seriesCount(), 3);
    }

    void exportWritesCsvAndJson() {
        m_view->form()->itemsEdit()->setPlainText(QStringLiteral("water\nunobtainium"));
        m_view->start();
        waitUntilIdle();
        QTemporaryDir dir;
        QString error;
        const QString csvPath = dir.filePath(QStringLiteral("r.csv"));
        QVERIFY2(m_view->exportTo(csvPath, &error), qPrintable(error));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith("rank,index,item,status,http_status,latency_ms"));
        QVERIFY(lines[0].contains("formula"));
        const QString jsonPath = dir.filePath(QStringLiteral("r.json"));
        QVERIFY(m_view->exportTo(jsonPath, &error));
        QFile json(jsonPath);
        QVERIFY(json.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(json.readAll()).array().size(), 2);
        const QString harPath = dir.filePath(QStringLiteral("r.har"));
        QVERIFY2(m_view->exportTo(harPath, &error), qPrintable(error));
        QFile har(harPath);
        QVERIFY(har.open(QIODevice::ReadOnly));
        QCOMPARE(test::HarCheck::problems(har.readAll()), QStringList());
        QVERIFY2(m_view->exportLabel()->text().startsWith(QStringLiteral("Wrote 2 requests of 2 "
                                                                         "results to ")),
                 qPrintable(m_view->exportLabel()->text()));
        QVERIFY(!m_view->exportTo(dir.filePath(QStringLiteral("missing/dir/r.csv")), &error));
        QVERIFY(error.contains(QStringLiteral("cannot write")));
    }

    // Issue 12 point 10: export wrote every row whatever the status filter showed, silently. It
    // writes what the table shows, and says so.
    void exportWritesWhatTheFilterShowsAndSaysSo() {
        m_view->form()->itemsEdit()->setPlainText(QStringLiteral("water\nunobtainium\nbenzene"));
        m_view->start();
        waitUntilIdle();
        m_view->statusFilter()->setCurrentIndex(
            m_view->statusFilter()->findText(QStringLiteral("failed")));
        QTemporaryDir dir;
        QString error;
        const QString csvPath = dir.filePath(QStringLiteral("failed.csv"));
        QVERIFY2(m_view->exportTo(csvPath, &error), qPrintable(error));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[1].contains("unobtainium"));
        QCOMPARE(
            m_view->exportLabel()->text(),
            QStringLiteral("Wrote 1 of 3 results (those the filter shows) to %1").arg(csvPath));
        m_view->statusFilter()->setCurrentIndex(0);
        QVERIFY(m_view->exportTo(dir.filePath(QStringLiteral("all.json")), &error));
        QVERIFY(m_view->exportLabel()->text().startsWith(QStringLiteral("Wrote all 3 results")));
    }

    // A full disk without root: past RLIMIT_FSIZE writes fail with EFBIG (SIGXFSZ ignored).
    void exportToAFullDiskShowsARedBannerWithTheReason() {
        m_view->form()->itemsEdit()->setPlainText(QStringLiteral("water\nunobtainium"));
        m_view->start();
        waitUntilIdle();
        QVERIFY(!m_view->errorBanner()->isVisible());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("r.csv"));
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit old{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        rlimit small = old;
        small.rlim_cur = 64;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        QString error;
        const bool written = m_view->exportTo(path, &error);
        setrlimit(RLIMIT_FSIZE, &old);
        QVERIFY(!written);
        QVERIFY(m_view->errorBanner()->isVisible());
        const QString shown = m_view->errorBanner()->text();
        QVERIFY2(shown.contains(path) && shown.contains(QStringLiteral("File too large")),
                 qPrintable(shown));
        QVERIFY2(m_view->exportTo(path, &error), qPrintable(error)); // room again: banner goes
        QVERIFY(!m_view->errorBanner()->isVisible());
    }
};

QTEST_MAIN(TestBatchFetchView)
#include "tst_batchfetchview.moc"
