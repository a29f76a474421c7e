// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/transfercounters.h"

#include <QObject>

#include <memory>

namespace vigil::async {
class LoopLagProbe;
}
namespace vigil::sensors {
class SensorHub;
}

namespace vigil::metrics {

class MetricsRegistry;

/// Every sensor's last value, reads by outcome, read latency, alarm level and staleness, as long
/// as @p hub lives. Latency is observed from each reading on; the rest is read at scrape time.
void addSensorMetrics(MetricsRegistry &registry, sensors::SensorHub &hub);

/// Event-loop lag as a histogram (`vigil_event_loop_lag_seconds`) while @p owner lives, from
/// @p probe's samples (the GUI's status-bar probe, which wakes every 100 ms), or from a probe
/// of its own with that interval when none is given.
void addLoopLagMetrics(MetricsRegistry &registry, QObject *owner,
                       async::LoopLagProbe *probe = nullptr);

enum class TransferKind { Batch, Download };

/// `vigil_batch_*` or `vigil_download_*`: items by status, items planned, requests in flight,
/// retries, host pauses and bytes received, read from @p counters at scrape time while @p owner
/// lives.
void addTransferMetrics(MetricsRegistry &registry, QObject *owner, TransferKind kind,
                        std::shared_ptr<const fetch::TransferCounters> counters);

/// `vigil_shard_info{shard="K",shards="N"} 1`: which part of a sharded batch this process runs.
void addShardInfo(MetricsRegistry &registry, QObject *owner, int index, int count);

} // namespace vigil::metrics
