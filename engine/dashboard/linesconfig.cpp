// SPDX-License-Identifier: Apache-2.0
// The keys of a line source in a dashboard file (type "lines"): serial, TCP or UDP.
#include "configreader.h"

#include "net/jsonpointer.h"

#include <QJsonArray>

namespace vigil::dashboard::detail {

namespace {
bool readColumns(Reader &r, lines::LineSpec &l) {
    if (!r.has(QStringLiteral("columns")))
        return true;
    const QJsonValue v = r.object().value(QStringLiteral("columns"));
    if (!v.isArray() || v.toArray().isEmpty() || v.toArray().size() > 1000)
        return r.fail(QStringLiteral("columns"),
                      QStringLiteral("must be an array of 1 to 1000 column names"));
    for (const auto &c : v.toArray()) {
        if (!c.isString() || c.toString().trimmed().isEmpty() ||
            c.toString().size() > kMaxNameLength)
            return r.fail(QStringLiteral("columns"), QStringLiteral("must hold column names"));
        l.columns << c.toString().trimmed();
    }
    return true;
}

bool readFields(Reader &r, lines::LineSpec &l) {
    if (!r.has(QStringLiteral("fields")))
        return true;
    const QJsonValue v = r.object().value(QStringLiteral("fields"));
    if (!v.isObject() || v.toObject().isEmpty())
        return r.fail(QStringLiteral("fields"),
                      QStringLiteral("must be an object of field name: JSON pointer"));
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString where = QStringLiteral("fields.") + it.key();
        if (!it.value().isString())
            return r.fail(where, QStringLiteral("must be a JSON pointer such as /temp"));
        if (const QString p = net::jsonPointerSyntaxError(it.value().toString()); !p.isEmpty())
            return r.fail(where, p);
        l.fields.append({it.key(), it.value().toString()});
    }
    return true;
}
} // namespace

bool readLinesSource(Reader &r, SensorConfig &s) {
    lines::LineSpec &l = s.lines;
    QString transport = QStringLiteral("serial");
    QString format = QStringLiteral("csv");
    if (!r.string(QStringLiteral("transport"), transport, false, 20) ||
        !r.string(QStringLiteral("device"), l.device, false) ||
        !r.string(QStringLiteral("url"), l.url, false) ||
        !r.integer(QStringLiteral("baud"), l.baud, 50, 4000000) ||
        !r.string(QStringLiteral("framing"), l.framing, false, 3) ||
        !r.string(QStringLiteral("format"), format, false, 20) ||
        !r.string(QStringLiteral("timestamp"), l.timestamp, false, kMaxNameLength) ||
        !r.integer(QStringLiteral("expected_interval_ms"), l.expectedIntervalMs, 0, 86400000) ||
        !r.integer(QStringLiteral("max_series"), l.maxSeries, 1, 1000) || !readColumns(r, l) ||
        !readFields(r, l))
        return false;
    const auto t = lines::parseTransport(transport);
    if (!t)
        return r.fail(QStringLiteral("transport"),
                      QStringLiteral("must be serial, tcp or udp, not \"%1\"").arg(transport));
    const auto f = lines::parseFormat(format);
    if (!f)
        return r.fail(QStringLiteral("format"),
                      QStringLiteral("must be csv, kv or json, not \"%1\"").arg(format));
    l.transport = *t;
    l.format = *f;
    l.namePattern = s.name;
    l.unit = s.unit;
    if (l.format == lines::LineFormat::Json && !l.timestamp.isEmpty())
        if (const QString p = net::jsonPointerSyntaxError(l.timestamp); !p.isEmpty())
            return r.fail(QStringLiteral("timestamp"), p);
    if (const QString why = lines::lineSpecProblem(l); !why.isEmpty()) {
        const qsizetype colon = why.indexOf(QLatin1String(": "));
        return r.fail(why.left(colon), why.mid(colon + 2));
    }
    return true;
}

void putLinesSource(const SensorConfig &s, QJsonObject &o) {
    const lines::LineSpec &l = s.lines;
    const lines::LineSpec defaults;
    o.insert(QStringLiteral("transport"), lines::transportName(l.transport));
    if (l.transport == lines::Transport::Serial) {
        o.insert(QStringLiteral("device"), l.device);
        o.insert(QStringLiteral("baud"), l.baud);
        o.insert(QStringLiteral("framing"), l.framing);
    } else {
        o.insert(QStringLiteral("url"), l.url);
    }
    o.insert(QStringLiteral("format"), lines::formatName(l.format));
    if (!l.namePattern.isEmpty())
        o.insert(QStringLiteral("name"), l.namePattern);
    if (!l.columns.isEmpty())
        o.insert(QStringLiteral("columns"), QJsonArray::fromStringList(l.columns));
    QJsonObject fields;
    for (const auto &f : l.fields)
        fields.insert(f.name, f.pointer);
    if (!fields.isEmpty())
        o.insert(QStringLiteral("fields"), fields);
    if (!l.timestamp.isEmpty())
        o.insert(QStringLiteral("timestamp"), l.timestamp);
    if (l.expectedIntervalMs != 0)
        o.insert(QStringLiteral("expected_interval_ms"), l.expectedIntervalMs);
    if (l.maxSeries != defaults.maxSeries)
        o.insert(QStringLiteral("max_series"), l.maxSeries);
}

} // namespace vigil::dashboard::detail
