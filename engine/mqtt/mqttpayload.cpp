// SPDX-License-Identifier: Apache-2.0
#include "mqttspec.h"

#include "net/jsonpointer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace vigil::mqtt {

std::optional<qint64> parseTimestamp(const QJsonValue &value) {
    if (value.isString()) {
        const QString text = value.toString().trimmed();
        QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!t.isValid()) // RFC 3339 allows a space for the T
            t = QDateTime::fromString(QString(text).replace(u' ', u'T'), Qt::ISODateWithMs);
        if (t.isValid())
            return t.toMSecsSinceEpoch();
        bool ok = false;
        const double d = text.toDouble(&ok);
        return ok ? parseTimestamp(QJsonValue(d)) : std::nullopt;
    }
    if (!value.isDouble())
        return std::nullopt;
    const double x = value.toDouble();
    const double magnitude = std::fabs(x);
    if (!std::isfinite(x) || magnitude < 1e8) // before 1973 in seconds: not a clock reading
        return std::nullopt;
    // Now is ~1.8e9 s, 1.8e12 ms, 1.8e15 µs, 1.8e18 ns: each unit has its own three decades.
    if (magnitude < 1e11)
        return qint64(std::llround(x * 1000));
    if (magnitude < 1e14)
        return qint64(std::llround(x));
    if (magnitude < 1e17)
        return qint64(std::llround(x / 1000));
    return qint64(std::llround(x / 1e6));
}

namespace {
std::optional<double> bareNumber(const QJsonValue &v) {
    if (v.isDouble())
        return v.toDouble();
    if (v.isString()) {
        bool ok = false;
        const double d = v.toString().trimmed().toDouble(&ok);
        if (ok && std::isfinite(d))
            return d;
    }
    return std::nullopt;
}

QString describe(const QJsonValue &v) {
    return v.isString() ? QStringLiteral("\"%1\"").arg(v.toString().left(40))
                        : net::jsonValueText(v).left(40);
}

/// One sample's worth of payload: a number, or an object read through the fields' pointers.
void decodeOne(const QJsonValue &v, const QList<Field> &fields, const QString &tsPointer,
               DecodedPayload &out) {
    std::optional<qint64> time;
    if (!tsPointer.isEmpty()) {
        if (const auto ts = net::evaluateJsonPointer(v, tsPointer))
            time = parseTimestamp(*ts); // a message without it gets its receive time
    }
    if (fields.isEmpty()) {
        if (const auto d = bareNumber(v))
            out.samples.append({QString(), *d, time});
        else
            out.problems.append({QString(), QStringLiteral("not a number: %1").arg(describe(v))});
        return;
    }
    for (const auto &field : fields) {
        QString why;
        const auto found = net::evaluateJsonPointer(v, field.pointer, &why);
        if (!found) {
            out.problems.append({field.name, why});
            continue;
        }
        if (const auto d = bareNumber(*found))
            out.samples.append({field.name, *d, time});
        else
            out.problems.append(
                {field.name, QStringLiteral("not a number: %1").arg(describe(*found))});
    }
}
} // namespace

DecodedPayload decodePayload(QByteArrayView payload, const QList<Field> &fields,
                             const QString &timestampPointer) {
    DecodedPayload out;
    const QByteArray bytes = payload.trimmed().toByteArray();
    if (fields.isEmpty() && timestampPointer.isEmpty() && !bytes.startsWith('[') &&
        !bytes.startsWith('{')) {
        bool ok = false;
        const double d = bytes.toDouble(&ok);
        if (ok && std::isfinite(d))
            out.samples.append({QString(), d, std::nullopt});
        else
            out.problems.append(
                {QString(),
                 QStringLiteral("not a number: \"%1\"").arg(QString::fromUtf8(bytes.left(40)))});
        return out;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    QJsonValue root;
    if (parseError.error == QJsonParseError::NoError)
        root = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    else if (bool ok = false; bytes.toDouble(&ok), ok) // JSON texts that are a bare number
        root = QJsonValue(bytes.toDouble());
    else {
        out.problems.append({QString(), QStringLiteral("not JSON: %1 at byte %2")
                                            .arg(parseError.errorString())
                                            .arg(parseError.offset)});
        return out;
    }
    if (root.isArray()) {
        const QJsonArray batch = root.toArray();
        if (batch.isEmpty())
            out.problems.append({QString(), QStringLiteral("an empty batch")});
        for (const auto &item : batch)
            decodeOne(item, fields, timestampPointer, out);
        return out;
    }
    decodeOne(root, fields, timestampPointer, out);
    return out;
}

} // namespace vigil::mqtt
