// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mqtt/mqttspec.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vigil::lines {

enum class Transport { Serial, Tcp, Udp };
enum class LineFormat { Csv, Kv, Json };

/// @brief A line source as a dashboard file and the Add dialog describe it: where the lines
/// come from and how each one becomes values.
struct LineSpec {
    Transport transport = Transport::Serial;
    QString device;    ///< serial: /dev/ttyUSB0
    QString url;       ///< tcp://host:port to connect to; udp://127.0.0.1:port to listen on
    int baud = 115200; ///< serial
    QString framing = QStringLiteral("8N1"); ///< serial: data bits, parity (N, E, O), stop bits
    LineFormat format = LineFormat::Csv;
    QStringList columns;       ///< CSV without a header line: the columns' names; "-" skips one
    QList<mqtt::Field> fields; ///< JSON: name → pointer
    QString timestamp;         ///< a column (CSV, key=value) or a pointer (JSON); empty: none
    QString namePattern;       ///< over {field}; empty: the field's name
    QString unit;
    int expectedIntervalMs = 0; ///< 0: never stale
    int maxSeries = 100;

    /// "serial /dev/ttyUSB0", "tcp://plc:4001", "udp://127.0.0.1:9870": what the source reads.
    [[nodiscard]] QString where() const;
};

[[nodiscard]] QString transportName(Transport t); ///< "serial", "tcp", "udp"
[[nodiscard]] QString formatName(LineFormat f);   ///< "csv", "kv", "json"
[[nodiscard]] std::optional<Transport> parseTransport(const QString &name);
[[nodiscard]] std::optional<LineFormat> parseFormat(const QString &name);

/// @brief Host and port of a tcp:// or udp:// URL.
struct Endpoint {
    QString host;
    int port = 0;
};
/// The host and port of @p url for @p transport (tcp:// or udp://), or nullopt with @p error.
[[nodiscard]] std::optional<Endpoint> parseEndpoint(const QString &url, Transport transport,
                                                    QString *error);
/// Why @p spec cannot work ("device: …", "url: …", "framing: …"), or "" when it can.
[[nodiscard]] QString lineSpecProblem(const LineSpec &spec);
/// The id of the dashboard entry: "lines:serial:/dev/ttyUSB0", "lines:tcp://h:p", ….
[[nodiscard]] QString linesSourceId(const LineSpec &spec);

/// @brief What one line gave: its values by field, its time when it carries one, or why it
/// gave nothing.
struct ParsedLine {
    QList<QPair<QString, double>> values;
    std::optional<qint64> timeMs;
    QString problem;     ///< set: the line is malformed, and says why
    bool header = false; ///< a CSV header line: it named the columns
};

/// @brief Turns lines into values, one line at a time: CSV (a header line, or fixed column
/// names), key=value pairs, or one JSON object per line read through a pointer per field.
/// Keeps the CSV header it saw. Pure: bytes in, values out.
class LineParser {
public:
    explicit LineParser(LineSpec spec);
    /// Parses one line, without its line ending.
    [[nodiscard]] ParsedLine parse(QByteArrayView line);
    /// The CSV columns in use: the spec's, or the header's once it came.
    [[nodiscard]] const QStringList &columns() const { return m_columns; }

private:
    ParsedLine parseCsv(QByteArrayView line);
    ParsedLine parseKv(QByteArrayView line) const;
    ParsedLine parseJson(QByteArrayView line) const;

    LineSpec m_spec;
    QStringList m_columns;
    QByteArray m_header; ///< the CSV header line as first seen
    char m_sep = 0;      ///< the CSV separator, from the first line
};

} // namespace vigil::lines
