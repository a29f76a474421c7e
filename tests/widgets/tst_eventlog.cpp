// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "demofixture.h"
#include "shutdown.h"

#include "eventlog.h"
#include "sensorstatusmodel.h"

#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"
#include "sensors/simulatedsensor.h"

#include <QFont>
#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using widgets::EventLog;
using widgets::SensorStatusModel;

namespace {
const QString kId = QStringLiteral("sim:Boiler");

/// A session on a virtual clock whose one sensor is fed by hand, through the poller's signal,
/// exactly as a real read reaches the hub.
class Fixture {
public:
    Fixture() {
        sensors::SimulatedSpec spec;
        spec.name = QStringLiteral("Boiler");
        spec.unit = QStringLiteral("°C");
        session.hub().add(std::make_shared<sensors::SimulatedSensor>(spec, clock));
    }
    ~Fixture() {
        auto shutdown = session.shutdown();
        (void)test::drive(std::move(shutdown), &clock);
    }
    /// A reading at @p atS seconds past the clock's wall start.
    void read(int atS, std::optional<double> value,
              sensors::ReadingError error = sensors::ReadingError::Unavailable,
              const QString &message = QStringLiteral("connection refused")) {
        sensors::Reading r;
        r.timeMs = clock.wallNow().toMSecsSinceEpoch() + atS * 1000;
        if (value) {
            r.value = *value;
        } else {
            r.error = error;
            r.message = message;
        }
        Q_EMIT session.hub().poller().reading(kId, r);
    }
    [[nodiscard]] QString stamp(int atS) const {
        return clock.wallNow().addSecs(atS).toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    }

    async::VirtualClock clock;
    dashboard::MonitoringSession session{clock};
};

QStringList logLines(const EventLog &log) {
    QStringList out; // oldest first
    for (int i = log.count() - 1; i >= 0; --i)
        out << log.item(i)->text();
    return out;
}
} // namespace

class TestEventLog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyLineStartsWithItsTime() {
        Fixture f;
        EventLog log(f.session);
        Q_EMIT f.session.logMessage(QStringLiteral("Probe_1: connected")); // instrument lifecycle
        log.addLine(QStringLiteral("Recording every reading to r.csv"));
        QCOMPARE(logLines(log),
                 (QStringList{f.stamp(0) + QStringLiteral("  Probe_1: connected"),
                              f.stamp(0) + QStringLiteral("  Recording every reading to r.csv")}));
    }

    void aSensorGoingDownAndComingBackIsLoggedOncePerChange() {
        Fixture f;
        EventLog log(f.session);
        f.read(1, 42);
        f.read(2, std::nullopt); // refused
        f.read(3, std::nullopt); // still refused: no new line
        f.read(4, std::nullopt, sensors::ReadingError::Unavailable, QStringLiteral("HTTP 404"));
        f.read(5, std::nullopt, sensors::ReadingError::BadData, QStringLiteral("not a number"));
        f.read(7, 43);
        f.read(8, 44);
        QCOMPARE(logLines(log),
                 (QStringList{
                     f.stamp(2) + QStringLiteral("  Boiler down: unavailable (connection refused)"),
                     f.stamp(5) + QStringLiteral("  Boiler still down: bad data (not a number)"),
                     f.stamp(7) + QStringLiteral("  Boiler recovered after 4 failed read(s) over "
                                                 "5.0 s")}));
        QCOMPARE(log.item(0)->foreground().color(), QColor(0x2e, 0x7d, 0x32));
    }

    void alarmLinesCarryTheReadingsTime() {
        Fixture f;
        sensors::Thresholds t;
        t.highAlarm = 90;
        f.session.hub().setThresholds(kId, t);
        EventLog log(f.session);
        f.read(3, 95);
        QCOMPARE(logLines(log),
                 (QStringList{f.stamp(3) + QStringLiteral("  Boiler → alarm (95.00 °C)")}));
    }

    void realRefusalsAnd404sAreLoggedWithTheirReason() {
        test::DemoFixture demo;
        QVERIFY(demo.start(7));
        dashboard::MonitoringSession session(async::Clock::system());
        test::ShutDownAtExit closing(session);
        EventLog log(session);
        dashboard::SensorConfig missing;
        missing.type = QStringLiteral("http_json");
        missing.name = QStringLiteral("Missing");
        missing.url = demo.url(QStringLiteral("/sensors/Nope"));
        missing.pointer = QStringLiteral("/value");
        missing.intervalMs = 200;
        dashboard::SensorConfig refused = missing;
        refused.name = QStringLiteral("Refused");
        refused.url = QUrl(QStringLiteral("http://127.0.0.1:1/value"));
        QVERIFY(session.addSensor(missing));
        QVERIFY(session.addSensor(refused));
        const auto logged = [&log](const QString &start, const QString &reason) {
            const QStringList all = logLines(log);
            return std::any_of(all.begin(), all.end(), [&](const QString &line) {
                return line.mid(10).startsWith(start) && line.contains(reason);
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(logged(QStringLiteral("Missing down: "), QStringLiteral("404")),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(
            logged(QStringLiteral("Refused down: "), QStringLiteral("refused")), 5000);
        test::spin(std::chrono::milliseconds(600)); // more failed reads: still one line each
        QCOMPARE(log.count(), 2);
    }

    void aValueWhoseLaterReadsFailedShowsAsStale() {
        Fixture f;
        SensorStatusModel model(f.session.hub());
        const QModelIndex value = model.index(0, SensorStatusModel::Value);
        f.read(1, 42);
        QCOMPARE(value.data().toString(), QStringLiteral("42.00 °C"));
        QVERIFY(!value.data(Qt::FontRole).value<QFont>().italic());
        f.read(2, std::nullopt);
        f.read(6, std::nullopt, sensors::ReadingError::Timeout, QStringLiteral("timed out"));
        QCOMPARE(value.data().toString(), QStringLiteral("42.00 °C · stale 5 s"));
        QVERIFY(value.data(Qt::FontRole).value<QFont>().italic());
        QVERIFY(value.data(Qt::ToolTipRole).toString().contains(QStringLiteral("timed out")));
        f.read(7, 43);
        QCOMPARE(value.data().toString(), QStringLiteral("43.00 °C"));
    }
};

QTEST_MAIN(TestEventLog)
#include "tst_eventlog.moc"
