// SPDX-License-Identifier: Apache-2.0
#include "exposition.h"

#include <QLocale>

#include <cmath>

namespace vigil::metrics {

namespace {
/// Backslash and newline escaped, and the double quote too when @p quotes (label values; HELP
/// text keeps its quotes).
QByteArray escaped(const QString &text, bool quotes) {
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"' && quotes)
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}
} // namespace

QByteArray escapeLabelValue(const QString &value) {
    return escaped(value, true);
}

QByteArray formatValue(double value) {
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (value == std::trunc(value) && std::abs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest).toLatin1();
}

namespace {
const char *typeName(MetricType type) {
    switch (type) {
    case MetricType::Gauge:
        return "gauge";
    case MetricType::Counter:
        return "counter";
    case MetricType::Histogram:
        return "histogram";
    }
    return "untyped";
}
} // namespace

void ExpositionWriter::family(const char *name, const QString &help, MetricType type) {
    m_text += "# HELP ";
    m_text += name;
    m_text += ' ';
    m_text += escaped(help, false);
    m_text += "\n# TYPE ";
    m_text += name;
    m_text += ' ';
    m_text += typeName(type);
    m_text += '\n';
}

void ExpositionWriter::writeLabels(const Labels &labels, const char *extraName,
                                   const QByteArray &extraValue) {
    if (labels.isEmpty() && !extraName)
        return;
    m_text += '{';
    bool first = true;
    for (const auto &[name, value] : labels) {
        if (!first)
            m_text += ',';
        first = false;
        m_text += name.toLatin1();
        m_text += "=\"";
        m_text += escapeLabelValue(value);
        m_text += '"';
    }
    if (extraName) {
        if (!first)
            m_text += ',';
        m_text += extraName;
        m_text += "=\"";
        m_text += extraValue;
        m_text += '"';
    }
    m_text += '}';
}

void ExpositionWriter::sample(const char *name, const Labels &labels, double value) {
    m_text += name;
    writeLabels(labels);
    m_text += ' ';
    m_text += formatValue(value);
    m_text += '\n';
}

void ExpositionWriter::histogram(const char *name, const Labels &labels,
                                 std::span<const double> bounds,
                                 std::span<const quint64> cumulative, double sum) {
    const QByteArray base(name);
    const QByteArray bucket = base + "_bucket";
    const QByteArray sumName = base + "_sum";
    const QByteArray countName = base + "_count";
    for (std::size_t i = 0; i <= bounds.size() && i < cumulative.size(); ++i) {
        m_text += bucket;
        writeLabels(labels, "le", i < bounds.size() ? formatValue(bounds[i]) : "+Inf");
        m_text += ' ';
        m_text += QByteArray::number(cumulative[i]);
        m_text += '\n';
    }
    sample(sumName.constData(), labels, sum);
    sample(countName.constData(), labels, cumulative.empty() ? 0.0 : double(cumulative.back()));
}

} // namespace vigil::metrics
