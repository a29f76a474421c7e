// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/metricsregistry.h"
#include "metrics/metricsserver.h"

#include <QCommandLineOption>
#include <QCoroTask>

#include <memory>
#include <optional>
#include <stop_token>

class QCommandLineParser;

namespace vigil::cli {

/// @brief `--metrics-port N` and `--metrics-address A` of record, fetch and download, and the
/// /metrics server they start: what a run does can be scraped by Prometheus while it runs.
class CliMetrics {
public:
    /// @p withLinger: the command ends by itself (fetch, download) and takes --metrics-linger.
    explicit CliMetrics(bool withLinger = true);
    ~CliMetrics();

    void addTo(QCommandLineParser &parser) const;
    /// Starts the server when --metrics-port is given, and says its URL on stderr (port 0 picks a
    /// free one). Returns an exit code when the run must end here: a bad flag (2) or a port it
    /// cannot listen on (1).
    [[nodiscard]] std::optional<int> start(const QCommandLineParser &parser, const char *command);
    [[nodiscard]] bool isServing() const { return m_server != nullptr; }
    [[nodiscard]] metrics::MetricsRegistry &registry() { return m_registry; }
    /// Collectors added for this run live as long as this object.
    [[nodiscard]] QObject *owner() { return &m_owner; }
    /// Runs @p run, then keeps /metrics up for --metrics-linger seconds, so that the scrape after
    /// the end sees the final counts (a batch job's last numbers are the ones that matter).
    [[nodiscard]] QCoro::Task<int> lingerAfter(QCoro::Task<int> run);
    /// The wait itself; none after a Ctrl+C, and a Ctrl+C during it leaves the run's code.
    [[nodiscard]] QCoro::Task<> linger();
    /// Ends the linger at once (Ctrl+C).
    void stopLingering() { m_lingerStop.request_stop(); }

private:
    QCommandLineOption m_port;
    QCommandLineOption m_address;
    QCommandLineOption m_linger;
    bool m_withLinger;
    int m_lingerS = 0;
    std::stop_source m_lingerStop;
    metrics::MetricsRegistry m_registry;
    QObject m_owner;
    std::unique_ptr<metrics::MetricsServer> m_server;
};

} // namespace vigil::cli
