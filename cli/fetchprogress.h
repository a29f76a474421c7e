// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clisupport.h"

#include "fetch/hostscheduler.h"
#include "fetch/itemresult.h"

#include <QElapsedTimer>
#include <QString>

#include <map>

namespace vigil::cli {

/// The live line on stderr: done/total, counts, rate and ETA, redrawn at most 10 times a second.
class FetchProgress {
public:
    explicit FetchProgress(bool enabled)
        : m_enabled(enabled) {
        m_clock.start();
    }

    void start(int total, int skipped) {
        m_total = total - skipped;
        if (skipped > 0)
            err() << "resuming: " << skipped << " of " << total << " items already done"
                  << Qt::endl;
    }

    void add(const fetch::ItemResult &r);
    /// What the batch holds back for hosts that cannot take a request yet; redrawn at once.
    void showHeld(const fetch::HeldStatus &held);

    void clear() {
        if (m_enabled && m_lastDraw.isValid())
            err() << "\r\x1b[K" << Qt::flush;
    }

private:
    void draw();
    /// With --rate auto: each host's learned rate (one host), or their range, and the 429/503s.
    [[nodiscard]] QString learnedRates() const;
    [[nodiscard]] QString heldText() const;

    bool m_enabled;
    QElapsedTimer m_clock;
    QElapsedTimer m_lastDraw;
    int m_total = 0;
    int m_done = 0;
    int m_ok = 0;
    int m_bad = 0;
    int m_throttled = 0;
    std::map<QString, double> m_hostRates; ///< each host's last learned rate (--rate auto)
    fetch::HeldStatus m_held;
};

} // namespace vigil::cli
