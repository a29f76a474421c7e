// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exposition.h"

#include <QPointer>

#include <functional>
#include <vector>

namespace vigil::metrics {

/// @brief What a `/metrics` scrape shows: `vigil_build_info`, the process' CPU and memory, then
/// every collector's families, each rendered from its owner's live state at scrape time.
///
/// GUI thread (or whichever thread the owners live on); a collector must not write a family
/// another collector writes.
class MetricsRegistry {
public:
    using Collector = std::function<void(ExpositionWriter &)>;

    /// Adds @p collect; it is left out from the moment @p owner is destroyed.
    void add(QObject *owner, Collector collect);
    [[nodiscard]] QByteArray render() const;

private:
    struct Entry {
        QPointer<QObject> owner;
        Collector collect;
    };
    std::vector<Entry> m_entries;
};

} // namespace vigil::metrics
