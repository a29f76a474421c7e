// SPDX-License-Identifier: Apache-2.0
// DashboardView's layout edits: move, merge, split, show or hide, and remove with undo.
#include "addsensormenu.h"
#include "chartpanel.h"
#include "dashboardrenderer.h"
#include "dashboardview.h"
#include "linesourcedialog.h"
#include "sensorstatusmodel.h"
#include "thresholdsdialog.h"

#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"

#include <QComboBox>
#include <QHeaderView>
#include <QTableView>
#include <QToolButton>

namespace vigil::widgets {

void DashboardView::showStatusMenu(QPoint pos) {
    const QString id = m_status->idAt(m_statusTable->indexAt(pos).row());
    if (id.isEmpty())
        return;
    popupThresholdsMenu(
        m_statusTable, {{id, m_session.hub().sensor(id)->name()}},
        m_statusTable->viewport()->mapToGlobal(pos),
        [this](const QString &sensor) { editThresholds(sensor); },
        [this, id](QMenu *menu) {
            // A serial or TCP source's series offer a line for the instrument.
            addLineCommandAction(menu, m_session, id,
                                 [this](const QString &line) { addLogLine(line); });
        });
}

void DashboardView::connectStreamSources() {
    // The MQTT dialog's discovery runs as a task of the session, which ends it on shutdown.
    m_addMenu->setDiscover([this](mqtt::MqttSpec spec, auto done) {
        m_session.discoverTopicsInBackground(std::move(spec), std::chrono::seconds(5), done);
    });
    m_addMenu->setPromQuery([this](dashboard::SensorConfig config, auto done) {
        m_session.queryPrometheusInBackground(std::move(config), done);
    });
    // The Modbus dialog's test read goes through the session's connection to that device, one
    // transaction at a time with the sensors already reading it.
    m_addMenu->setModbusRead([this](modbus::RegisterSpec spec, auto done) {
        m_session.readRegistersInBackground(std::move(spec), std::chrono::seconds(3), done);
    });
    // A wider window asks Prometheus for its history, a pixel per step; what comes back is
    // drawn at the next frame.
    connect(m_window, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_session.backfillHistory(qint64(m_window->itemData(i).toInt()) * 1000,
                                  m_renderer->plotWidth());
    });
    connect(&m_session, &dashboard::MonitoringSession::historyReplaced, m_renderer,
            &DashboardRenderer::requestFrame);
}

void DashboardView::showStale(const QString &id, bool stale) {
    for (auto *panel : panels()) {
        for (qsizetype i = 0; i < panel->series().size(); ++i)
            if (panel->series().at(i).id == id)
                panel->setStale(int(i), stale); // the tile says it, not only the table
    }
}

void DashboardView::moveSensor(const QString &id, int delta) {
    auto charts = m_session.layout().charts;
    if (dashboard::moveSeries(charts, id, delta))
        m_session.setCharts(charts);
}

void DashboardView::mergeSensors(const QStringList &ids) {
    if (ids.size() < 2) {
        addLogLine(tr("Merge: select two or more series (Ctrl+click); they join the chart of the "
                      "first"));
        return;
    }
    auto charts = m_session.layout().charts;
    if (dashboard::mergeIntoChart(charts, ids))
        m_session.setCharts(charts);
}

void DashboardView::splitIntoOwnChart(const QString &id) {
    auto charts = m_session.layout().charts;
    if (dashboard::splitIntoOwnChart(charts, id))
        m_session.setCharts(charts);
}

void DashboardView::setSensorVisible(const QString &id, bool visible) {
    QStringList hidden = m_session.layout().hidden;
    if (dashboard::setSeriesHidden(hidden, id, !visible))
        m_session.setHidden(hidden);
}

void DashboardView::removeSensor(const QString &id) {
    if (id.isEmpty() || !m_session.hub().contains(id))
        return;
    const auto current = m_session.current();
    const auto it = std::find_if(current.sensors.begin(), current.sensors.end(),
                                 [&](const dashboard::SensorConfig &s) { return s.id() == id; });
    if (it != current.sensors.end()) {
        // Its config as it stands (thresholds and colour included) and its place, for Undo.
        m_removed.append(
            {*it, dashboard::placeOf(current.charts, id), current.hidden.contains(id)});
        while (m_removed.size() > kUndoDepth)
            m_removed.removeFirst();
    }
    const QString name = m_session.hub().sensor(id)->name(); // gone once the removal runs
    m_session.removeSensorInBackground(id);
    m_undo->setEnabled(!m_removed.isEmpty());
    addLogLine(tr("Removed %1 — Undo (Ctrl+Z) puts it back").arg(name));
}

bool DashboardView::undoRemove() {
    if (m_removed.isEmpty())
        return false;
    const RemovedSensor removed = m_removed.last();
    const QString id = removed.config.id();
    if (m_session.hub().contains(id))
        return false; // its removal is still under way
    // A failed re-add (the dashboard is full again) keeps the entry: free a place and undo again.
    if (!m_session.addSensor(removed.config))
        return false;
    m_removed.removeLast();
    m_undo->setEnabled(!m_removed.isEmpty());
    auto charts = m_session.layout().charts;
    dashboard::restoreSeries(charts, id, removed.place);
    m_session.setCharts(charts);
    if (removed.hidden)
        setSensorVisible(id, false);
    addLogLine(tr("%1 is back").arg(m_session.hub().sensor(id)->name()));
    return true;
}

} // namespace vigil::widgets
