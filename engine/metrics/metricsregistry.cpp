// SPDX-License-Identifier: Apache-2.0
#include "metricsregistry.h"

#include "util/processstats.h"

#include <QtGlobal>

#include <algorithm>

namespace vigil::metrics {

void MetricsRegistry::add(QObject *owner, Collector collect) {
    std::erase_if(m_entries, [](const Entry &e) { return e.owner.isNull(); });
    m_entries.push_back({owner, std::move(collect)});
}

QByteArray MetricsRegistry::render() const {
    ExpositionWriter out;
    out.family("vigil_build_info", QStringLiteral("Vigil's version and the Qt it runs on."),
               MetricType::Gauge);
    out.sample("vigil_build_info",
               {{QStringLiteral("version"), QStringLiteral(VIGIL_VERSION)},
                {QStringLiteral("qt_version"), QString::fromLatin1(qVersion())}},
               1);
    out.family("process_cpu_seconds_total", QStringLiteral("User and system CPU time spent."),
               MetricType::Counter);
    out.sample("process_cpu_seconds_total", util::processCpuSeconds());
    out.family("process_resident_memory_bytes", QStringLiteral("Resident memory size in bytes."),
               MetricType::Gauge);
    out.sample("process_resident_memory_bytes", util::residentMB() * 1e6);
    for (const Entry &e : m_entries) {
        if (!e.owner.isNull())
            e.collect(out);
    }
    return out.text();
}

} // namespace vigil::metrics
