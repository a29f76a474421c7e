// SPDX-License-Identifier: Apache-2.0
#include "decimation.h"

#include "compute/computepool.h"

#include <QThread>

#include <algorithm>
#include <array>

namespace vigil::sensors {

namespace {
class Columns {
public:
    // One more column than asked: the window's edges fall inside the first and last ones.
    Columns(qint64 from, qint64 to, int count)
        : m_span(std::max<qint64>(1, to - from))
        , m_count(std::max(1, count))
        , m_origin(absoluteColumn(from, m_span, m_count))
        , m_env(std::size_t(m_count) + 1) {}

    [[nodiscard]] int columnOf(qint64 t) const {
        return int(std::clamp<qint64>(absoluteColumn(t, m_span, m_count) - m_origin, 0, m_count));
    }
    void add(const Sample &s) { m_env[std::size_t(columnOf(s.t))].add(s); }
    void merge(int column, const Envelope &e) { m_env[std::size_t(column)].merge(e); }

    [[nodiscard]] QList<QPointF> points() const {
        QList<QPointF> out;
        out.reserve((m_count + 1) * 4);
        for (const auto &e : m_env) {
            if (e.hasValue) {
                std::array<std::pair<qint64, double>, 4> p = {
                    {{e.tFirst, e.first}, {e.tMin, e.min}, {e.tMax, e.max}, {e.tLast, e.last}}};
                if (e.hasGap) // keep the extremes, leave room for the break
                    p = {{{e.tMin, e.min}, {e.tMax, e.max}, {e.tMax, e.max}, {e.tMax, e.max}}};
                std::stable_sort(p.begin(), p.end(),
                                 [](auto &a, auto &b) { return a.first < b.first; });
                qint64 lastT = std::numeric_limits<qint64>::min();
                double lastV = 0;
                for (const auto &[t, v] : p) {
                    if (t == lastT && v == lastV)
                        continue;
                    out.append(QPointF(double(t), v));
                    lastT = t;
                    lastV = v;
                }
            }
            if (e.hasGap)
                out.append(QPointF(double(e.tGap), std::numeric_limits<double>::quiet_NaN()));
        }
        return out;
    }

private:
    qint64 m_span;
    int m_count;
    qint64 m_origin;
    std::vector<Envelope> m_env;
};
} // namespace

qint64 absoluteColumn(qint64 t, qint64 span, int columns) {
    const qint64 scaled = t * columns;
    const qint64 q = scaled / span;
    return q - (scaled % span < 0 ? 1 : 0); // floor, also before 1970
}

QList<QPointF> decimate(const HistorySnapshot &snapshot, qint64 from, qint64 to, int columns) {
    Columns cols(from, to, columns);
    const auto inRange = [from, to](const Sample &s) { return s.t >= from && s.t <= to; };
    for (const auto &chunk : snapshot.chunks) {
        for (std::size_t b = 0; b < chunk->blocks.size(); ++b) {
            const std::size_t begin = b * HistoryChunk::kBlock;
            const std::size_t end = std::min(begin + HistoryChunk::kBlock, chunk->samples.size());
            const Sample &firstSample = chunk->samples[begin];
            const Sample &lastSample = chunk->samples[end - 1];
            if (lastSample.t < from || firstSample.t > to)
                continue;
            if (inRange(firstSample) && inRange(lastSample) &&
                cols.columnOf(firstSample.t) == cols.columnOf(lastSample.t)) {
                cols.merge(cols.columnOf(firstSample.t), chunk->blocks[b]);
                continue;
            }
            for (std::size_t i = begin; i < end; ++i) {
                if (inRange(chunk->samples[i]))
                    cols.add(chunk->samples[i]);
            }
        }
    }
    for (const auto &s : snapshot.tail) {
        if (inRange(s))
            cols.add(s);
    }
    return cols.points();
}

QCoro::Task<std::vector<QList<QPointF>>> decimateOnPool(std::vector<DecimationJob> jobs,
                                                        QThread **ranOn) {
    struct Output {
        std::vector<QList<QPointF>> series;
        QThread *thread = nullptr;
    };
    auto work = [jobs = std::move(jobs)] {
        Output out;
        out.thread = QThread::currentThread();
        out.series.reserve(jobs.size());
        for (const auto &job : jobs)
            out.series.push_back(decimate(job.snapshot, job.from, job.to, job.columns));
        return out;
    };
    Output out = co_await compute::offload(work);
    if (ranOn)
        *ranOn = out.thread;
    co_return std::move(out.series);
}

} // namespace vigil::sensors
