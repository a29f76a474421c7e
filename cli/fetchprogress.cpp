// SPDX-License-Identifier: Apache-2.0
#include "fetchprogress.h"

#include "clisupport.h"

#include "net/httptypes.h"

#include <QUrl>

#include <algorithm>

namespace vigil::cli {

void FetchProgress::add(const fetch::ItemResult &r) {
    ++m_done;
    r.status == fetch::ItemStatus::Ok ? ++m_ok : ++m_bad;
    m_throttled += r.throttled;
    if (r.hostRate > 0)
        m_hostRates[net::originKey(QUrl(r.url))] = r.hostRate;
    if (m_enabled &&
        (m_lastDraw.isValid() == false || m_lastDraw.elapsed() >= 100 || m_done == m_total))
        draw();
}

void FetchProgress::showHeld(const fetch::HeldStatus &held) {
    const bool changed =
        held.items != m_held.items || held.timedOut != m_held.timedOut || held.timedOut > 0;
    m_held = held;
    if (m_enabled && changed && m_lastDraw.isValid())
        draw();
}

QString FetchProgress::heldText() const {
    if (m_held.items == 0)
        return {};
    QString text = QStringLiteral("  held %1 for %2 host(s)").arg(m_held.items).arg(m_held.hosts);
    if (m_held.timedOut > 0)
        text += QStringLiteral(", %1 in a breaker time-out (next probe in %2 s)")
                    .arg(m_held.timedOut)
                    .arg(std::chrono::ceil<std::chrono::seconds>(m_held.nextProbe).count());
    return text;
}

void FetchProgress::draw() {
    m_lastDraw.start();
    const double seconds = double(m_clock.elapsed()) / 1000.0;
    const double rate = seconds > 0 ? m_done / seconds : 0;
    const double eta = rate > 0 ? (m_total - m_done) / rate : 0;
    err() << "\r\x1b[K" << m_done << '/' << m_total << "  ok " << m_ok << "  not ok " << m_bad
          << "  " << QString::number(rate, 'f', 1) << " req/s" << learnedRates() << heldText()
          << "  ETA " << QString::number(eta, 'f', 0) << " s" << Qt::flush;
}

QString FetchProgress::learnedRates() const {
    if (m_hostRates.empty())
        return {};
    const auto [lo, hi] =
        std::minmax_element(m_hostRates.begin(), m_hostRates.end(),
                            [](const auto &a, const auto &b) { return a.second < b.second; });
    const QString range =
        m_hostRates.size() == 1
            ? QString::number(lo->second, 'f', 1)
            : QStringLiteral("%1-%2").arg(lo->second, 0, 'f', 1).arg(hi->second, 0, 'f', 1);
    return QStringLiteral("  host rate %1/s%2  throttled %3")
        .arg(range, m_hostRates.size() == 1 ? QString()
                                            : QStringLiteral(" (%1 hosts)").arg(m_hostRates.size()))
        .arg(m_throttled);
}

} // namespace vigil::cli
