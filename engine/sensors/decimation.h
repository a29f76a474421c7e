// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "history.h"

#include <QCoroTask>
#include <QList>
#include <QPointF>

#include <vector>

class QThread;

namespace vigil::sensors {

/// The column, counted from the epoch, that time @p t falls in when @p span ms are drawn over
/// @p columns pixels. Columns are fixed in absolute time, not in the window: when the window
/// scrolls, samples never move from one column to another, so the curve does not shimmer.
[[nodiscard]] qint64 absoluteColumn(qint64 t, qint64 span, int columns);

/// Reduces the samples of @p snapshot in [from, to] to at most 4 × (@p columns + 1) points: per
/// pixel column (absoluteColumn(), so the window's two edge columns are partial) its first, min,
/// max and last, in time order, so every spike survives. A column with a failed reading ends with
/// a NaN point, which breaks the line there. Pure; runs on the compute pool. Whole blocks inside
/// one column are taken from their envelope, so the work grows with the pixel count, not the
/// sample count.
[[nodiscard]] QList<QPointF> decimate(const HistorySnapshot &snapshot, qint64 from, qint64 to,
                                      int columns);

/// @brief One series to decimate: its snapshot, the time window and the pixel width.
struct DecimationJob {
    HistorySnapshot snapshot;
    qint64 from = 0;
    qint64 to = 0;
    int columns = 1;
};

/// Decimates every job in one compute-pool job, never on the GUI thread. @p ranOn, if given,
/// receives the thread that did the work (for tests and the benchmark).
[[nodiscard]] QCoro::Task<std::vector<QList<QPointF>>>
decimateOnPool(std::vector<DecimationJob> jobs, QThread **ranOn = nullptr);

} // namespace vigil::sensors
