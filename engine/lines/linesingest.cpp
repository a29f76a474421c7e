// SPDX-License-Identifier: Apache-2.0
// LinesSource's receiving side: bytes into lines, lines into series, and the staleness check.
#include "linessource.h"

#include "async/sleep.h"
#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"

#include <QNetworkDatagram>
#include <QUdpSocket>

#include <algorithm>

namespace vigil::lines {

using namespace std::chrono_literals;

void LinesSource::readAvailable() {
    if (!m_io)
        return;
    if (auto *udp = qobject_cast<QUdpSocket *>(m_io.get())) {
        // A datagram holds one line or several; the last needs no newline.
        while (udp->hasPendingDatagrams()) {
            const QByteArray data = udp->receiveDatagram().data();
            for (const QByteArray &line : data.split('\n'))
                if (!line.trimmed().isEmpty())
                    ingest(line);
        }
        return;
    }
    m_buffer += m_io->readAll();
    // LF, CR LF or a bare CR ends a line; the empty "lines" between CR and LF are skipped.
    qsizetype start = 0;
    for (qsizetype i = 0; i < m_buffer.size(); ++i) {
        if (m_buffer[i] != '\n' && m_buffer[i] != '\r')
            continue;
        const QByteArrayView line = QByteArrayView(m_buffer).sliced(start, i - start);
        if (std::exchange(m_skipping, false))
            ; // the tail of a line too long to keep: not a line of its own
        else if (!line.trimmed().isEmpty())
            ingest(line);
        start = i + 1;
    }
    m_buffer.remove(0, start);
    if (m_buffer.size() > kMaxLineBytes) { // a device that never ends a line: not our memory
        countProblem(tr("a line longer than %1 KiB").arg(kMaxLineBytes / 1024));
        m_buffer.clear();
        m_skipping = true;
    }
}

void LinesSource::ingest(QByteArrayView line) {
    ++m_lines;
    const ParsedLine parsed = m_parser.parse(line);
    if (parsed.header)
        return;
    if (!parsed.problem.isEmpty())
        countProblem(parsed.problem);
    if (!parsed.values.isEmpty())
        m_failures = 0; // the port works: the next outage backs off from the start again
    const qint64 receivedMs = m_clock.wallNow().toMSecsSinceEpoch();
    for (const auto &[field, value] : parsed.values) {
        const QString id = seriesFor(field);
        if (id.isEmpty())
            continue; // past max_series
        m_lastSeen[id] = m_clock.now();
        sensors::Reading r;
        r.timeMs = r.slotTimeMs = parsed.timeMs.value_or(receivedMs);
        r.value = value;
        if (parsed.timeMs)
            r.latencyMs = double(receivedMs - *parsed.timeMs);
        m_hub.ingest(id, r);
    }
}

void LinesSource::countProblem(const QString &reason) {
    ++m_malformed;
    m_lastProblem = reason;
    // Each kind of problem once in the log (the reason without what the line held), then only
    // counted: a device sending a bad line 1,000 times a second must not flood it.
    const QString kind = reason.section(u'"', 0, 0);
    if (m_reasonsLogged.size() < 20 && !m_reasonsLogged.contains(kind)) {
        m_reasonsLogged << kind;
        Q_EMIT logMessage(
            tr("%1: a malformed line (%2); counted, reading goes on").arg(m_spec.where(), reason));
    }
}

QString LinesSource::seriesFor(const QString &field) {
    const QString id = seriesId(field);
    if (m_lastSeen.count(id) > 0 || m_hub.contains(id))
        return id;
    if (m_seriesOrder.size() >= m_spec.maxSeries) {
        if (m_overCap++ == 0)
            Q_EMIT logMessage(tr("%1: %2 series, the most this source takes; \"%3\" and any "
                                 "later new field are not shown (raise max_series)")
                                  .arg(m_spec.where())
                                  .arg(m_spec.maxSeries)
                                  .arg(field));
        return {};
    }
    QString name = m_spec.namePattern.isEmpty() ? field : m_spec.namePattern;
    name.replace(QStringLiteral("{field}"), field);
    m_hub.addStream(std::make_shared<sensors::StreamSeries>(id, name, m_spec.unit, m_id, m_status),
                    m_thresholds);
    m_seriesOrder << id;
    Q_EMIT seriesAdded(id);
    return id;
}

QCoro::Task<> LinesSource::watch(std::stop_token token) {
    const auto expected = std::chrono::milliseconds(m_spec.expectedIntervalMs);
    while (true) {
        co_await async::sleepFor(m_clock, 1s, token);
        const auto now = m_clock.now();
        m_rateMarks.emplace_back(now, m_lines);
        while (m_rateMarks.size() > 2 && now - m_rateMarks.front().first > 5s)
            m_rateMarks.pop_front();
        const auto &[t0, n0] = m_rateMarks.front();
        const double seconds = std::chrono::duration<double>(now - t0).count();
        m_status->messagesPerSecond = seconds > 0 ? double(m_lines - n0) / seconds : 0;
        if (expected <= 0ms)
            continue;
        // A series the operator removed is forgotten here too (the hub no longer has it).
        std::erase_if(m_lastSeen,
                      [this](const auto &entry) { return !m_hub.contains(entry.first); });
        for (const auto &[id, seen] : m_lastSeen) {
            const bool stale = now - seen > 3 * expected;
            if (stale && !m_hub.stats(id).stale) {
                Q_EMIT logMessage(
                    tr("%1 is stale: no value for %2 s")
                        .arg(m_hub.sensor(id)->name())
                        .arg(std::chrono::duration<double>(now - seen).count(), 0, 'f', 1));
                m_hub.setStale(id, true);
            }
        }
    }
}

} // namespace vigil::lines
