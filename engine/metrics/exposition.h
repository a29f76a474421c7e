// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <span>

namespace vigil::metrics {

/// The content type of what ExpositionWriter writes: Prometheus' text format 0.0.4.
inline constexpr char kContentType[] = "text/plain; version=0.0.4; charset=utf-8";

using Labels = QList<QPair<QString, QString>>;

enum class MetricType { Gauge, Counter, Histogram };

/// A label value as the text format quotes it: backslash, double quote and newline escaped.
[[nodiscard]] QByteArray escapeLabelValue(const QString &value);
/// A sample value: integers without a fraction, shortest round-trip text otherwise, and NaN,
/// +Inf and -Inf as Prometheus spells them.
[[nodiscard]] QByteArray formatValue(double value);

/// @brief Writes Prometheus' text exposition format 0.0.4: a family's HELP and TYPE once, then
/// its samples. Samples carry no timestamp, so Prometheus' own staleness handling applies.
class ExpositionWriter {
public:
    /// Starts a family; @p help may hold any text (backslashes and newlines are escaped).
    void family(const char *name, const QString &help, MetricType type);
    void sample(const char *name, const Labels &labels, double value);
    void sample(const char *name, double value) { sample(name, {}, value); }
    /// A histogram's _bucket (cumulative, ending with +Inf), _sum and _count samples.
    void histogram(const char *name, const Labels &labels, std::span<const double> bounds,
                   std::span<const quint64> cumulative, double sum);
    [[nodiscard]] const QByteArray &text() const { return m_text; }

private:
    void writeLabels(const Labels &labels, const char *extraName = nullptr,
                     const QByteArray &extraValue = {});
    QByteArray m_text;
};

} // namespace vigil::metrics
