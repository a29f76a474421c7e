// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "shutdown.h"

#include "addsensormenu.h"
#include "capturebuttons.h"
#include "chartpanel.h"
#include "dashboardrenderer.h"
#include "dashboardview.h"
#include "mainwindow.h"

#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace vigil;
using widgets::MainWindow;

namespace {
// One sensor read every 200 ms and one every 10 s: most poll cycles read one of the two.
const QByteArray kDashboard =
    "{\"sensors\": [{\"type\": \"simulated\", \"name\": \"Fast\", \"interval_ms\": 200, "
    "\"latency_ms\": 5}, {\"type\": \"simulated\", \"name\": \"Slow\", \"interval_ms\": 10000, "
    "\"latency_ms\": 5}]}";
} // namespace

class TestDashboardFeedback : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString writeDashboard(const QString &name) {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(kDashboard);
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("VigilTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_dashboardfeedback"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("config")));
    }

    void windowTitleNamesTheOpenDashboardFile() {
        MainWindow w(writeDashboard(QStringLiteral("plant.json")));
        test::ShutDownAtExit closing(w);
        QCOMPARE(w.windowTitle(), QStringLiteral("plant.json — Vigil"));
        QString error;
        QVERIFY2(w.saveDashboard(m_dir.filePath(QStringLiteral("copy.json")), &error),
                 qPrintable(error));
        QCOMPARE(w.windowTitle(), QStringLiteral("copy.json — Vigil"));
    }

    /// The file's window_s is the window shown, in the box and on the charts.
    void dashboardFileSetsTheTimeWindow() {
        const QString path = m_dir.filePath(QStringLiteral("window.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray json = kDashboard;
        json.insert(json.lastIndexOf('}'), ", \"window_s\": 600");
        file.write(json);
        file.close();
        MainWindow w(path);
        test::ShutDownAtExit closing(w);
        QTRY_COMPARE_WITH_TIMEOUT(w.dashboard()->renderer().window(), std::chrono::seconds(600),
                                  5000);
        auto *box = w.dashboard()->findChild<QComboBox *>();
        QVERIFY(box);
        QCOMPARE(box->currentText(), QStringLiteral("10 min"));
    }

    void statusBarCountsSensorsNotReads() {
        MainWindow w(writeDashboard(QStringLiteral("count.json")));
        test::ShutDownAtExit closing(w);
        auto *cycle = w.findChild<QLabel *>(QStringLiteral("pollCycle"));
        QVERIFY(cycle);
        QTRY_VERIFY_WITH_TIMEOUT(cycle->text().contains(QStringLiteral("(1 of 2 sensors read)")),
                                 5000);
    }

    void exportsConfirmTheFileTheyWrote() {
        MainWindow w(writeDashboard(QStringLiteral("exports.json")));
        test::ShutDownAtExit closing(w);
        w.show();
        QTRY_COMPARE_WITH_TIMEOUT(w.dashboard()->panels().size(), 2, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(w.dashboard()->panels().first()->drawnPoints(0) >= 2, 5000);
        auto *capture = w.findChild<widgets::CaptureButtons *>();
        QVERIFY(capture);
        const QString csv = m_dir.filePath(QStringLiteral("readings.csv"));
        QVERIFY(capture->exportCsvTo(csv, false));
        QVERIFY2(
            w.statusBar()->currentMessage().startsWith(QStringLiteral("CSV written to ") + csv),
            qPrintable(w.statusBar()->currentMessage()));
        const QString png = m_dir.filePath(QStringLiteral("charts.png"));
        QVERIFY(capture->exportPngTo(png));
        QVERIFY2(
            w.statusBar()->currentMessage().startsWith(QStringLiteral("PNG written to ") + png),
            qPrintable(w.statusBar()->currentMessage()));
    }

    void aCsvOfTheShownWindowWhilePausedEndsWhereTheChartsStopped() {
        MainWindow w(writeDashboard(QStringLiteral("paused.json")));
        test::ShutDownAtExit closing(w);
        w.show();
        QTRY_COMPARE_WITH_TIMEOUT(w.dashboard()->panels().size(), 2, 5000);
        auto *panel = w.dashboard()->panels().first();
        QTRY_VERIFY_WITH_TIMEOUT(panel->drawnPoints(0) >= 2, 5000);
        w.dashboard()->setPaused(true);
        test::spin(std::chrono::milliseconds(1100)); // readings go on meanwhile
        const auto range = panel->shownRange();
        QVERIFY(range);
        const QString csv = m_dir.filePath(QStringLiteral("paused.csv"));
        QVERIFY(w.findChild<widgets::CaptureButtons *>()->exportCsvTo(csv, false));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = f.readAll().trimmed().split('\n');
        QVERIFY(rows.size() >= 2);
        const QDateTime last = QDateTime::fromString(
            QString::fromUtf8(rows.last().split(',').first()), Qt::ISODateWithMs);
        QVERIFY2(last <= range->second, qPrintable(last.toString(Qt::ISODateWithMs) + u' ' +
                                                   range->second.toString(Qt::ISODateWithMs)));
    }

    void pngCarriesTheDashboardNameAndTimeRange() {
        MainWindow w(writeDashboard(QStringLiteral("reactor.json")));
        test::ShutDownAtExit closing(w);
        w.show();
        QTRY_COMPARE_WITH_TIMEOUT(w.dashboard()->panels().size(), 2, 5000);
        auto *panel = w.dashboard()->panels().first();
        QTRY_VERIFY_WITH_TIMEOUT(panel->drawnPoints(0) >= 2, 5000);
        w.dashboard()->setPaused(true);
        // Readings go on while paused: an export drawn at "now" would be a second or more on
        // from what the charts show.
        test::spin(std::chrono::milliseconds(1100));
        const auto range = panel->shownRange();
        QVERIFY(range);
        const QString png = m_dir.filePath(QStringLiteral("reactor.png"));
        QVERIFY(w.findChild<widgets::CaptureButtons *>()->exportPngTo(png));
        const QImage image(png);
        QVERIFY(!image.isNull());
        const QString caption = image.text(QStringLiteral("Description"));
        QVERIFY2(caption.startsWith(QStringLiteral("reactor.json · ")), qPrintable(caption));
        QVERIFY2(caption.contains(range->first.toString(QStringLiteral("HH:mm:ss")) +
                                  QStringLiteral(" – ") +
                                  range->second.toString(QStringLiteral("HH:mm:ss"))),
                 qPrintable(caption));
        // Drawn above the charts too: a strip added on top, with dark text pixels in it.
        const QWidget *grid = panel->parentWidget();
        QVERIFY(image.height() > grid->height());
        const int strip = image.height() - grid->height();
        int dark = 0;
        for (int y = 0; y < strip; ++y)
            for (int x = 0; x < image.width(); ++x)
                dark += qGray(image.pixel(x, y)) < 100;
        QVERIFY2(dark > 50, qPrintable(QString::number(dark)));
    }

    void httpSensorDialogShowsALongUrl() {
        async::VirtualClock clock;
        QWidget parent;
        widgets::AddSensorMenu menu(
            clock, [](const dashboard::SensorConfig &) {}, &parent);
        QAction *http = nullptr;
        for (auto *action : menu.actions())
            if (action->text().startsWith(QStringLiteral("HTTP JSON endpoint")))
                http = action;
        QVERIFY(http);
        int width = 0;
        int charWidth = 0;
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            if (auto *url = dialog->findChild<QLineEdit *>(QStringLiteral("url"))) {
                width = url->width();
                charWidth = url->fontMetrics().averageCharWidth();
            }
            dialog->reject();
        });
        http->trigger(); // runs the dialog until the timer above closes it
        QVERIFY(charWidth > 0);
        QVERIFY2(
            width >= 55 * charWidth,
            qPrintable(QStringLiteral("%1 px, %2 characters").arg(width).arg(width / charWidth)));
    }
};

QTEST_MAIN(TestDashboardFeedback)
#include "tst_dashboardfeedback.moc"
