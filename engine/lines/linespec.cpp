// SPDX-License-Identifier: Apache-2.0
#include "linespec.h"

#include <QJsonValue>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <array>
#include <cmath>

namespace vigil::lines {

namespace {
const std::array<const char *, 3> kTransports = {"serial", "tcp", "udp"};
const std::array<const char *, 3> kFormats = {"csv", "kv", "json"};

std::optional<double> number(QByteArrayView text) {
    bool ok = false;
    const double v = text.trimmed().toByteArray().toDouble(&ok);
    return ok && std::isfinite(v) ? std::optional(v) : std::nullopt;
}

std::optional<qint64> timeOf(QByteArrayView text) {
    if (const auto n = number(text))
        return mqtt::parseTimestamp(QJsonValue(*n));
    return mqtt::parseTimestamp(QJsonValue(QString::fromUtf8(text.trimmed())));
}

QString shown(QByteArrayView text) {
    return QString::fromUtf8(text.trimmed().first(std::min<qsizetype>(text.trimmed().size(), 40)));
}
} // namespace

QString transportName(Transport t) {
    return QString::fromLatin1(kTransports[std::size_t(t)]);
}
QString formatName(LineFormat f) {
    return QString::fromLatin1(kFormats[std::size_t(f)]);
}
std::optional<Transport> parseTransport(const QString &name) {
    for (std::size_t i = 0; i < kTransports.size(); ++i)
        if (name == QLatin1String(kTransports[i]))
            return Transport(i);
    return std::nullopt;
}
std::optional<LineFormat> parseFormat(const QString &name) {
    for (std::size_t i = 0; i < kFormats.size(); ++i)
        if (name == QLatin1String(kFormats[i]))
            return LineFormat(i);
    return std::nullopt;
}

QString LineSpec::where() const {
    return transport == Transport::Serial ? QStringLiteral("serial ") + device : url;
}

std::optional<Endpoint> parseEndpoint(const QString &url, Transport transport, QString *error) {
    const QString scheme = transportName(transport);
    const QUrl u(url, QUrl::StrictMode);
    if (!u.isValid() || u.scheme() != scheme || u.host().isEmpty() || u.port() < 1 ||
        !u.path().isEmpty() || !u.userInfo().isEmpty() || u.hasQuery()) {
        if (error)
            *error = QStringLiteral("must be %1://host:port").arg(scheme);
        return std::nullopt;
    }
    return Endpoint{u.host(), u.port()};
}

QString lineSpecProblem(const LineSpec &s) {
    QString why;
    if (s.transport == Transport::Serial) {
        if (s.device.trimmed().isEmpty())
            return QStringLiteral("device: is required for a serial port");
        if (s.baud < 50 || s.baud > 4000000)
            return QStringLiteral("baud: must be from 50 to 4000000");
        static const QRegularExpression framing(QStringLiteral("^[5-8][NEO][12]$"));
        if (!framing.match(s.framing).hasMatch())
            return QStringLiteral("framing: must be data bits, parity and stop bits, like 8N1, "
                                  "7E1 or 8O2");
    } else if (const auto endpoint = parseEndpoint(s.url, s.transport, &why); !endpoint) {
        return QStringLiteral("url: ") + why;
    } else if (s.transport == Transport::Udp) {
        // Listening needs an address: a host name would bind every interface.
        static const QRegularExpression ipv4(QStringLiteral("^\\d{1,3}(\\.\\d{1,3}){3}$"));
        if (!ipv4.match(endpoint->host).hasMatch())
            return QStringLiteral("url: name the address to listen on, such as "
                                  "udp://127.0.0.1:9870");
    }
    if (s.format == LineFormat::Json && s.fields.isEmpty())
        return QStringLiteral("fields: a json source needs its fields (name: pointer)");
    if (s.format != LineFormat::Csv && !s.columns.isEmpty())
        return QStringLiteral("columns: only for csv");
    if (s.format != LineFormat::Json && !s.fields.isEmpty())
        return QStringLiteral("fields: only for json");
    if (s.maxSeries < 1 || s.maxSeries > 1000)
        return QStringLiteral("max_series: must be from 1 to 1000");
    return {};
}

QString linesSourceId(const LineSpec &s) {
    return QStringLiteral("lines:") +
           (s.transport == Transport::Serial ? QStringLiteral("serial:") + s.device : s.url);
}

LineParser::LineParser(LineSpec spec)
    : m_spec(std::move(spec))
    , m_columns(m_spec.columns) {}

ParsedLine LineParser::parse(QByteArrayView line) {
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty())
        return {{}, std::nullopt, QStringLiteral("an empty line"), false};
    switch (m_spec.format) {
    case LineFormat::Csv:
        return parseCsv(line);
    case LineFormat::Kv:
        return parseKv(line);
    case LineFormat::Json:
        return parseJson(line);
    }
    return {};
}

ParsedLine LineParser::parseCsv(QByteArrayView line) {
    // Comma-separated; a first line without a comma may use semicolons or tabs instead, and
    // that stays the separator: "21,5" under a ';' header is a decimal comma.
    if (m_sep == 0)
        m_sep = line.contains(',') ? ',' : line.contains(';') ? ';' : '\t';
    QList<QByteArray> cells = line.toByteArray().split(m_sep);
    if (m_sep != ',')
        for (auto &c : cells)
            c.replace(',', '.');
    ParsedLine out;
    const bool numeric = std::any_of(cells.cbegin(), cells.cend(),
                                     [](const QByteArray &c) { return number(c).has_value(); });
    if (!numeric && m_spec.columns.isEmpty()) {
        // The header: the first such line, and the same one again when the instrument restarts.
        // Any other line without a number (a reply to *IDN?, "ERR,ERR") is malformed, never a
        // new header that would rename every series.
        const QByteArray header = line.toByteArray().trimmed();
        if (!m_header.isEmpty() && header != m_header) {
            out.problem = QStringLiteral("no number in the line: \"%1\"").arg(shown(line));
            return out;
        }
        m_header = header;
        m_columns.clear();
        for (const auto &c : cells)
            m_columns << QString::fromUtf8(c.trimmed());
        out.header = true;
        return out;
    }
    if (m_columns.isEmpty()) {
        out.problem = QStringLiteral("values before a header line (or give columns)");
        return out;
    }
    if (cells.size() != m_columns.size()) {
        out.problem =
            QStringLiteral("%1 values for %2 columns").arg(cells.size()).arg(m_columns.size());
        return out;
    }
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const QString &name = m_columns[i];
        if (name == QLatin1String("-") || name.isEmpty())
            continue; // a column the user does not want, or a trailing separator's
        if (!m_spec.timestamp.isEmpty() && name == m_spec.timestamp) {
            out.timeMs = timeOf(cells[i]);
            if (!out.timeMs)
                out.problem = QStringLiteral("%1: not a time: \"%2\"").arg(name, shown(cells[i]));
        } else if (const auto v = number(cells[i])) {
            out.values.append({name, *v});
        } else if (!cells[i].trimmed().isEmpty()) {
            out.problem = QStringLiteral("%1: not a number: \"%2\"").arg(name, shown(cells[i]));
        }
    }
    return out;
}

ParsedLine LineParser::parseKv(QByteArrayView line) const {
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    ParsedLine out;
    const QStringList tokens = QString::fromUtf8(line).split(separators, Qt::SkipEmptyParts);
    for (const QString &token : tokens) {
        // "key=value", else "key:value": an ISO time after '=' keeps its colons.
        qsizetype at = token.indexOf(u'=');
        if (at < 0)
            at = token.indexOf(u':');
        if (at <= 0) {
            out.problem = QStringLiteral("not key=value: \"%1\"").arg(token.left(40));
            continue;
        }
        const QString key = token.left(at);
        const QByteArray value = token.mid(at + 1).toUtf8();
        if (!m_spec.timestamp.isEmpty() && key == m_spec.timestamp) {
            out.timeMs = timeOf(value);
            if (!out.timeMs)
                out.problem = QStringLiteral("%1: not a time: \"%2\"").arg(key, shown(value));
        } else if (const auto v = number(value)) {
            out.values.append({key, *v});
        } else {
            out.problem = QStringLiteral("%1: not a number: \"%2\"").arg(key, shown(value));
        }
    }
    return out;
}

ParsedLine LineParser::parseJson(QByteArrayView line) const {
    const mqtt::DecodedPayload decoded = mqtt::decodePayload(line, m_spec.fields, m_spec.timestamp);
    ParsedLine out;
    for (const auto &s : decoded.samples) {
        out.values.append({s.field, s.value});
        if (s.timeMs)
            out.timeMs = s.timeMs;
    }
    if (!decoded.problems.isEmpty()) {
        const auto &p = decoded.problems.first();
        out.problem = p.field.isEmpty() ? p.reason : p.field + QStringLiteral(": ") + p.reason;
    }
    return out;
}

} // namespace vigil::lines
