// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sensor.h"

#include "async/cancellation.h"
#include "async/clock.h"
#include "async/notifier.h"
#include "async/taskscope.h"

#include <QCoroTask>
#include <QMetaType>
#include <QObject>

#include <memory>
#include <optional>

namespace vigil::sensors {

/// @brief Reads a set of sensors on their schedules, concurrently or one after another.
///
/// Policy (skip-if-busy): each sensor is read at multiples of its own interval, aligned to a shared
/// epoch, so sensors with the same interval are read at the same moment and form one cycle. Every
/// read has its own deadline (the sensor's timeout). A sensor still busy when its next slot comes
/// skips that slot, so a slow or stuck sensor never delays anyone else's next reading.
///
/// Concurrent mode reads a cycle's sensors at once through a TaskGroup, so a cycle lasts about as
/// long as its slowest read; sequential mode reads them one after another, so it lasts the sum.
class Poller : public QObject {
    Q_OBJECT
public:
    enum class Mode { Concurrent, Sequential };
    Q_ENUM(Mode)

    explicit Poller(async::Clock &clock, QObject *parent = nullptr);
    ~Poller() override;

    void addSensor(std::shared_ptr<Sensor> sensor);
    /// Cancels the sensor's read in flight, waits for it, and closes the sensor.
    [[nodiscard]] QCoro::Task<> removeSensor(QString id);
    [[nodiscard]] QList<std::shared_ptr<Sensor>> sensors() const;
    [[nodiscard]] std::shared_ptr<Sensor> sensor(const QString &id) const;

    void setMode(Mode mode) { m_mode = mode; }
    [[nodiscard]] Mode mode() const { return m_mode; }

    void start();
    /// Cancels every read, waits for them, and closes every sensor. Await it before destruction;
    /// start() may follow.
    [[nodiscard]] QCoro::Task<> stop();
    [[nodiscard]] bool isRunning() const { return m_tasks.running() > 0; }

Q_SIGNALS:
    void reading(const QString &sensorId, const vigil::sensors::Reading &reading);
    /// A cycle ended: its wall time, the sum and the maximum of its reads' latencies (what it
    /// would take one after another, and all at once), and how many reads it had.
    void cycleFinished(double cycleMs, double sumLatencyMs, double maxLatencyMs, int reads);
    /// A sensor was still busy at its slot, so the slot was skipped.
    void slotSkipped(const QString &sensorId);

private:
    struct Slot;
    struct Cycle;
    QCoro::Task<> loop(std::stop_token token);
    QCoro::Task<> readOne(std::shared_ptr<Slot> slot, std::shared_ptr<Cycle> cycle, qint64 wallMs,
                          std::stop_token token);
    QCoro::Task<> readChain(QList<std::shared_ptr<Slot>> slots, std::shared_ptr<Cycle> cycle,
                            qint64 wallMs, std::stop_token token);
    QCoro::Task<std::optional<Reading>> timedRead(std::shared_ptr<Slot> slot, qint64 wallMs,
                                                  std::stop_token token);
    void finishRead(Cycle &cycle, const Reading &reading);

    async::Clock &m_clock;
    Mode m_mode = Mode::Concurrent;
    QList<std::shared_ptr<Slot>> m_slots;
    bool m_chainBusy = false;
    async::Notifier m_changed; // a sensor was added: the idle loop looks again
    async::TaskScope m_tasks;  // the polling loop; it owns the reads in flight
};

} // namespace vigil::sensors

Q_DECLARE_METATYPE(vigil::sensors::Reading)
