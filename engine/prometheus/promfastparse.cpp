// SPDX-License-Identifier: Apache-2.0
// A fast path for query_range answers: Prometheus writes them in one fixed compact shape, and a
// backfill reads tens of thousands of [time,"value"] pairs. QJsonDocument took ~3 ms for one
// 1,200-point series (bench prometheus); this reads the pairs directly and leaves anything it
// does not expect to the full parser.
#include "promapi.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <charconv>
#include <cmath>
#include <limits>

namespace vigil::prometheus::detail {

namespace {
class Cursor {
public:
    explicit Cursor(const QByteArray &text)
        : m_p(text.constData())
        , m_end(text.constData() + text.size()) {}

    bool take(std::string_view literal) {
        if (std::size_t(m_end - m_p) < literal.size() ||
            std::string_view(m_p, literal.size()) != literal)
            return false;
        m_p += literal.size();
        return true;
    }
    [[nodiscard]] bool atEnd() const { return m_p == m_end; }

    /// A JSON object of strings, as Prometheus writes a metric: found by scanning for its end
    /// (strings may hold braces), then read by QJsonDocument, which knows every escape.
    bool labels(QMap<QString, QString> &out) {
        if (m_p == m_end || *m_p != '{')
            return false;
        const char *start = m_p;
        bool inString = false;
        for (; m_p < m_end; ++m_p) {
            if (inString) {
                if (*m_p == '\\' && m_end - m_p > 1)
                    ++m_p; // whatever is escaped, it does not end the string
                else if (*m_p == '"')
                    inString = false;
            } else if (*m_p == '"') {
                inString = true;
            } else if (*m_p == '}') {
                ++m_p;
                QJsonParseError error{};
                const QJsonDocument doc = QJsonDocument::fromJson(
                    QByteArray::fromRawData(start, int(m_p - start)), &error);
                if (error.error != QJsonParseError::NoError)
                    return false;
                const QJsonObject o = doc.object();
                for (auto it = o.begin(); it != o.end(); ++it)
                    out.insert(it.key(), it.value().toString());
                return true;
            }
        }
        return false;
    }

    /// [1700000000.5,"1.25"]
    bool pair(PromSample &s) {
        if (!take("["))
            return false;
        double t = 0;
        const auto [afterTime, ec] = std::from_chars(m_p, m_end, t);
        if (ec != std::errc() || !std::isfinite(t) || std::abs(t) > 1e15)
            return false;
        m_p = afterTime;
        if (!take(",\""))
            return false;
        const char *valueEnd =
            static_cast<const char *>(std::memchr(m_p, '"', size_t(m_end - m_p)));
        if (!valueEnd)
            return false;
        s.timeMs = qint64(std::llround(t * 1000.0));
        if (!value(std::string_view(m_p, size_t(valueEnd - m_p)), s.value))
            return false; // not as Prometheus writes numbers: the full parser decides
        m_p = valueEnd + 1;
        return take("]");
    }

private:
    static bool value(std::string_view text, double &v) {
        if (text == "NaN")
            v = std::numeric_limits<double>::quiet_NaN();
        else if (text == "+Inf")
            v = std::numeric_limits<double>::infinity();
        else if (text == "-Inf")
            v = -std::numeric_limits<double>::infinity();
        else if (text.empty() || !(text[0] == '-' || (text[0] >= '0' && text[0] <= '9')))
            return false;
        else if (const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
                 ec != std::errc() || end != text.data() + text.size())
            return false;
        return true;
    }

    const char *m_p;
    const char *m_end;
};

bool series(Cursor &c, PromSeries &s) {
    if (!c.take("{\"metric\":") || !c.labels(s.labels) || !c.take(",\"values\":["))
        return false;
    if (c.take("]"))
        return c.take("}");
    do {
        PromSample sample;
        if (!c.pair(sample))
            return false;
        s.samples.append(sample);
    } while (c.take(","));
    return c.take("]}");
}
} // namespace

bool parseMatrixFast(const QByteArray &body, PromResult &out) {
    Cursor c(body);
    if (!c.take(R"({"status":"success","data":{"resultType":"matrix","result":[)"))
        return false;
    QList<PromSeries> all;
    if (!c.take("]")) {
        do {
            PromSeries s;
            if (!series(c, s))
                return false;
            all.append(std::move(s));
        } while (c.take(","));
        if (!c.take("]"))
            return false;
    }
    // What may follow: the closing braces, or warnings the full parser can read.
    if (!c.take("}}"))
        return false;
    (void)c.take("\n");
    if (!c.atEnd())
        return false;
    out.series = std::move(all);
    return true;
}

} // namespace vigil::prometheus::detail
