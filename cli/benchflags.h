// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

#include <optional>

// The flags of `vigil bench`, shared by benchcommand.cpp and benchsources.cpp.
namespace vigil::cli {

/// @p option's value as a whole number in [lo, hi], or nullopt.
inline std::optional<int> intOption(const QCommandLineParser &parser,
                                    const QCommandLineOption &option, int lo, int hi) {
    bool ok = false;
    const int v = parser.value(option).toInt(&ok);
    if (!ok || v < lo || v > hi)
        return std::nullopt;
    return v;
}

/// The flags of `vigil bench`; each benchmark reads its own.
struct BenchFlags {
    QCommandLineOption jobMs{QStringLiteral("job-ms"),
                             QStringLiteral("CPU job length in ms (default 500)."),
                             QStringLiteral("ms"), QStringLiteral("500")};
    QCommandLineOption n{QStringLiteral("n"), QStringLiteral("fetch: requests (default 5000)."),
                         QStringLiteral("N"), QStringLiteral("5000")};
    QCommandLineOption concurrency{
        QStringLiteral("concurrency"),
        QStringLiteral("fetch: requests in flight (default 100; app: 200)."), QStringLiteral("C"),
        QStringLiteral("100")};
    QCommandLineOption latency{
        QStringLiteral("latency-ms"),
        QStringLiteral("fetch, app: server latency per request (default 50)."), QStringLiteral("L"),
        QStringLiteral("50")};
    QCommandLineOption series{QStringLiteral("series"),
                              QStringLiteral("plot, app: series, one chart each (default 16)."),
                              QStringLiteral("S"), QStringLiteral("16")};
    QCommandLineOption rateHz{
        QStringLiteral("rate-hz"),
        QStringLiteral("plot, app: samples per second per series (default 50)."),
        QStringLiteral("H"), QStringLiteral("50")};
    QCommandLineOption historyS{
        QStringLiteral("history-s"),
        QStringLiteral("plot, app: seconds of history pre-filled (default 3600)."),
        QStringLiteral("T"), QStringLiteral("3600")};
    QCommandLineOption charts{
        QStringLiteral("charts"),
        QStringLiteral("plot: charts the series are shared out over (default: one per series)."),
        QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption seconds{QStringLiteral("seconds"),
                               QStringLiteral("plot: seconds to measure (default 10)."),
                               QStringLiteral("D"), QStringLiteral("10")};
    QCommandLineOption files{QStringLiteral("files"),
                             QStringLiteral("download: files (default 4)."), QStringLiteral("N"),
                             QStringLiteral("4")};
    QCommandLineOption size{QStringLiteral("size"),
                            QStringLiteral("download: size of each, e.g. 256Mi (default 256Mi)."),
                            QStringLiteral("BYTES"), QStringLiteral("256Mi")};
    QCommandLineOption verify{
        QStringLiteral("verify"),
        QStringLiteral("download: also check every SHA-256 (curl does not).")};
    QCommandLineOption runs{QStringLiteral("runs"),
                            QStringLiteral("download: runs of each client, the best counts "
                                           "(default 3)."),
                            QStringLiteral("N"), QStringLiteral("3")};
    QCommandLineOption server{QStringLiteral("server"),
                              QStringLiteral("download: demo (vigil serve-demo) or nginx "
                                             "(default demo)."),
                              QStringLiteral("NAME"), QStringLiteral("demo")};
    QCommandLineOption qtNetwork{
        QStringLiteral("qt-network"),
        QStringLiteral(
            "fetch: send through QNetworkAccessManager instead of Vigil's HTTP/1.1 pool.")};
    QCommandLineOption sharedCores{QStringLiteral("shared-cores"),
                                   QStringLiteral("fetch: let client and server share CPUs as the "
                                                  "kernel likes (by default each gets its own).")};
    QCommandLineOption hosts{
        QStringLiteral("hosts"),
        QStringLiteral("fetch: fan out over N demo hosts (127.0.1.1 …), every tenth down for 10 s "
                       "mid-run; --n then defaults to 100000, --concurrency to 500, --rate-hz "
                       "(per host) to 5, --latency-ms to 0."),
        QStringLiteral("N")};
    QCommandLineOption perHost{QStringLiteral("per-host"),
                               QStringLiteral("fetch --hosts: requests at once per host (default "
                                              "2)."),
                               QStringLiteral("N"), QStringLiteral("2")};
    QCommandLineOption naive{
        QStringLiteral("naive"),
        QStringLiteral("plot: replace full histories, undecimated, on the GUI thread.")};

    void addTo(QCommandLineParser &parser) const {
        parser.addOptions({jobMs, n, concurrency, latency, qtNetwork, sharedCores, series, rateHz,
                           historyS, charts, seconds, naive, files, size, verify, runs, server,
                           hosts, perHost});
    }
};

/// The flags only `vigil bench app` reads; it shares --series, --rate-hz, --history-s,
/// --concurrency and --latency-ms with the others.
struct AppFlags {
    QCommandLineOption items{QStringLiteral("items"),
                             QStringLiteral("app: batch items, /item/{i}?ms=L (default 10000)."),
                             QStringLiteral("N"), QStringLiteral("10000")};
    QCommandLineOption downloads{QStringLiteral("downloads"),
                                 QStringLiteral("app: files downloaded at once (default 4)."),
                                 QStringLiteral("N"), QStringLiteral("4")};
    QCommandLineOption downloadMib{QStringLiteral("download-mib"),
                                   QStringLiteral("app: MiB per file (default 256)."),
                                   QStringLiteral("MIB"), QStringLiteral("256")};

    void addTo(QCommandLineParser &parser) const {
        parser.addOptions({items, downloads, downloadMib});
    }
};

/// The flags only `vigil bench idle` reads.
struct IdleFlags {
    QCommandLineOption windowS{QStringLiteral("window-s"),
                               QStringLiteral("idle: the charts' time window (default 60)."),
                               QStringLiteral("W"), QStringLiteral("60")};
    QCommandLineOption hidden{QStringLiteral("hidden"),
                              QStringLiteral("idle: show another tab, so no chart is visible.")};
    QCommandLineOption sensors{
        QStringLiteral("sensors"),
        QStringLiteral("idle: N simulated sensors instead of the default dashboard."),
        QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption intervalMs{QStringLiteral("interval-ms"),
                                  QStringLiteral("idle: their read interval (default 100)."),
                                  QStringLiteral("MS"), QStringLiteral("100")};

    void addTo(QCommandLineParser &parser) const {
        parser.addOptions({windowS, hidden, sensors, intervalMs});
    }
};

/// The flags of the source benchmarks (mqtt, modbus, lines) and of `bench polite`.
struct SourceFlags {
    QCommandLineOption topics{QStringLiteral("topics"),
                              QStringLiteral("mqtt: load topics (default 1000)."),
                              QStringLiteral("T"), QStringLiteral("1000")};
    QCommandLineOption qos{QStringLiteral("qos"), QStringLiteral("mqtt: 0 or 1 (default 1)."),
                           QStringLiteral("Q"), QStringLiteral("1")};
    QCommandLineOption registers{QStringLiteral("registers"),
                                 QStringLiteral("modbus: adjacent registers (default 2000)."),
                                 QStringLiteral("N"), QStringLiteral("2000")};
    QCommandLineOption columns{QStringLiteral("columns"),
                               QStringLiteral("lines: values per line (default 8)."),
                               QStringLiteral("N"), QStringLiteral("8")};
    void addTo(QCommandLineParser &parser) const {
        parser.addOptions({topics, qos, registers, columns});
    }
};

/// All of them, for the benchmarks that read several groups.
struct AllBenchFlags {
    const BenchFlags &bench;
    const AppFlags &app;
    const IdleFlags &idle;
    const SourceFlags &source;
};

/// Runs the source benchmark or `bench polite` that @p name names; nullopt for any other name.
[[nodiscard]] std::optional<int> benchSourceFromFlags(const QString &name,
                                                      const QCommandLineParser &parser,
                                                      const AllBenchFlags &flags);

} // namespace vigil::cli
