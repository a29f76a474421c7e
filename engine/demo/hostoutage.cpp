// SPDX-License-Identifier: Apache-2.0
#include "hostoutage.h"

#include <QHostAddress>
#include <QStringList>

#include <QStringList>
#include <algorithm>

namespace vigil::demo {

namespace {
constexpr int kPerBlock = 254; // 127.0.B.1 … 127.0.B.254
} // namespace

QString demoHostAddress(int number) {
    const int block = 1 + (number - 1) / kPerBlock;
    const int last = 1 + (number - 1) % kPerBlock;
    return QStringLiteral("127.0.%1.%2").arg(block).arg(last);
}

int demoHostNumber(const QString &address) {
    bool ok = false;
    const quint32 ip = QHostAddress(address).toIPv4Address(&ok);
    if (!ok || (ip >> 16) != 0x7f00)
        return 0;
    const int block = int((ip >> 8) & 0xff);
    const int last = int(ip & 0xff);
    if (block < 1 || last < 1 || last > kPerBlock)
        return 0;
    const int number = (block - 1) * kPerBlock + last;
    return number <= kMaxDemoHosts ? number : 0;
}

namespace {
constexpr qint64 kNewRunAfterMs = 5000;
} // namespace

OutageDecision HostOutages::admit(int hostNumber, const OutagePlan &plan, qint64 nowMs) {
    // Quiet since the last request and since the end of the last wait it asked for: a client
    // that waits as told is still in the same run.
    if (m_startMs && nowMs - std::max(m_lastMs, m_awayUntilMs) >= kNewRunAfterMs)
        *this = HostOutages(m_graceMs);
    if (!m_startMs)
        m_startMs = nowMs;
    m_lastMs = nowMs;
    const qint64 t = nowMs - *m_startMs;
    ++m_requests;
    Host &h = m_hosts[hostNumber];
    if (h.awayUntilMs > t && t >= h.refusedAtMs + m_graceMs)
        ++m_early;
    const bool down = hostNumber > 0 && plan.every > 0 && hostNumber % plan.every == 0 &&
                      t >= plan.fromMs && t < plan.toMs;
    if (!down) {
        ++m_acceptedPerSecond[t / 1000];
        return {};
    }
    ++m_refused;
    OutageDecision d;
    d.allowed = false;
    d.retryAfterS = int((plan.toMs - t + 999) / 1000);
    h.refusedAtMs = t;
    h.awayUntilMs = t + qint64(d.retryAfterS) * 1000;
    m_awayUntilMs = std::max(m_awayUntilMs, nowMs + qint64(d.retryAfterS) * 1000);
    return d;
}

qint64 HostOutages::acceptedBetween(qint64 fromMs, qint64 toMs) const {
    qint64 n = 0;
    for (auto it = m_acceptedPerSecond.lower_bound(fromMs / 1000);
         it != m_acceptedPerSecond.end() && it->first * 1000 < toMs; ++it)
        n += it->second;
    return n;
}

std::optional<OutagePlan> parseOutagePlan(const QString &down, const QString &every) {
    OutagePlan plan;
    if (!every.isEmpty()) {
        bool ok = false;
        plan.every = every.toInt(&ok);
        if (!ok || plan.every < 1)
            return std::nullopt;
    }
    if (down.isEmpty())
        return plan;
    const QStringList parts = down.split(u'-');
    if (parts.size() != 2)
        return std::nullopt;
    bool okFrom = false;
    bool okTo = false;
    const double from = parts[0].toDouble(&okFrom);
    const double to = parts[1].toDouble(&okTo);
    if (!okFrom || !okTo || from < 0 || to < from || to > 86400)
        return std::nullopt;
    plan.fromMs = qint64(from * 1000);
    plan.toMs = qint64(to * 1000);
    return plan;
}

} // namespace vigil::demo
