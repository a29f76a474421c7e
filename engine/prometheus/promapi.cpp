// SPDX-License-Identifier: Apache-2.0
#include "promapi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace vigil::prometheus {

QString PromSeries::key() const {
    QStringList parts;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        if (it.key() != QLatin1String("__name__"))
            parts << QStringLiteral("%1=\"%2\"").arg(it.key(), it.value());
    }
    // Without __name__: max_over_time() drops it, and the envelope must find the live series.
    return u'{' + parts.join(u',') + u'}';
}

QString PromResult::message() const {
    return ok() ? QString() : errorType + QStringLiteral(": ") + error;
}

namespace {
double parseValue(const QJsonValue &v) {
    const QString text = v.toString();
    if (text == QLatin1String("NaN"))
        return std::numeric_limits<double>::quiet_NaN();
    if (text == QLatin1String("+Inf"))
        return std::numeric_limits<double>::infinity();
    if (text == QLatin1String("-Inf"))
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double d = text.toDouble(&ok);
    return ok ? d : std::numeric_limits<double>::quiet_NaN();
}

PromSample parsePair(const QJsonValue &pair) {
    const QJsonArray a = pair.toArray();
    return {qint64(std::llround(a.at(0).toDouble() * 1000.0)), parseValue(a.at(1))};
}

PromSeries parseSeries(const QJsonObject &o) {
    PromSeries s;
    const QJsonObject metric = o.value(QStringLiteral("metric")).toObject();
    for (auto it = metric.constBegin(); it != metric.constEnd(); ++it)
        s.labels.insert(it.key(), it.value().toString());
    if (o.contains(QStringLiteral("value")))
        s.samples.append(parsePair(o.value(QStringLiteral("value"))));
    const QJsonArray values = o.value(QStringLiteral("values")).toArray();
    s.samples.reserve(s.samples.size() + values.size());
    for (const QJsonValue &v : values)
        s.samples.append(parsePair(v));
    return s;
}

PromResult failure(QString type, QString error) {
    PromResult r;
    r.errorType = std::move(type);
    r.error = std::move(error);
    return r;
}
} // namespace

PromResult parseApiResponse(const QByteArray &body, int httpStatus) {
    if (PromResult fast; detail::parseMatrixFast(body, fast))
        return fast;
    return detail::parseApiJson(body, httpStatus);
}

PromResult detail::parseApiJson(const QByteArray &body, int httpStatus) {
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject root = doc.object();
    if (parseError.error != QJsonParseError::NoError || !root.contains(QStringLiteral("status")))
        return failure(QStringLiteral("bad_response"),
                       QStringLiteral("not a Prometheus API answer (HTTP %1)").arg(httpStatus));
    if (root.value(QStringLiteral("status")).toString() != QLatin1String("success"))
        return failure(root.value(QStringLiteral("errorType")).toString(QStringLiteral("error")),
                       root.value(QStringLiteral("error")).toString());
    const QJsonObject data = root.value(QStringLiteral("data")).toObject();
    const QString type = data.value(QStringLiteral("resultType")).toString();
    PromResult r;
    if (type == QLatin1String("scalar")) {
        PromSeries s;
        s.samples.append(parsePair(data.value(QStringLiteral("result"))));
        r.series.append(s);
        return r;
    }
    if (type != QLatin1String("vector") && type != QLatin1String("matrix"))
        return failure(QStringLiteral("bad_response"),
                       QStringLiteral("a %1 result cannot be drawn").arg(type));
    const QJsonArray result = data.value(QStringLiteral("result")).toArray();
    r.series.reserve(result.size());
    for (const QJsonValue &v : result)
        r.series.append(parseSeries(v.toObject()));
    return r;
}

RangeStep rangeFor(qint64 fromMs, qint64 toMs, int widthPx, qint64 minStepMs) {
    const qint64 span = std::max<qint64>(toMs - fromMs, 1);
    qint64 step = std::max<qint64>({span / std::max(widthPx, 1), minStepMs, 1});
    // One more step than the span holds, so that aligning both ends stays under the cap.
    step = std::max(step, (span + kMaxPointsPerSeries - 2) / (kMaxPointsPerSeries - 2));
    if (step >= 1000)
        step = (step + 999) / 1000 * 1000; // whole seconds read better in PromQL and logs
    RangeStep r;
    r.stepMs = step;
    r.startMs = fromMs / step * step;
    // Down, not up: max_over_time at the end covers (end - step, end], which must be past, or
    // the point would sit in the future and hold back every live sample after it.
    r.endMs = std::max(toMs / step * step, r.startMs);
    return r;
}

bool isSelector(const QString &promql) {
    static const QRegularExpression selector(
        QStringLiteral(R"(^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{[^{}]*\})?\s*$)"));
    const QString trimmed = promql.trimmed();
    return !trimmed.isEmpty() && selector.match(trimmed).hasMatch();
}

QString promDuration(qint64 ms) {
    return ms % 1000 == 0 ? QStringLiteral("%1s").arg(ms / 1000) : QStringLiteral("%1ms").arg(ms);
}

QString envelopeQuery(const QString &promql, bool max, qint64 stepMs, qint64 resolutionMs) {
    const QString fn = max ? QStringLiteral("max_over_time") : QStringLiteral("min_over_time");
    if (isSelector(promql))
        return QStringLiteral("%1(%2[%3])").arg(fn, promql.trimmed(), promDuration(stepMs));
    return QStringLiteral("%1((%2)[%3:%4])")
        .arg(fn, promql.trimmed(), promDuration(stepMs),
             promDuration(std::clamp<qint64>(resolutionMs, 1, stepMs)));
}

} // namespace vigil::prometheus
