// SPDX-License-Identifier: Apache-2.0
#include "computepool.h"

#include <QThread>

namespace vigil::compute {

QThreadPool &ComputePool::pool() {
    // A function-local object: its destructor joins the threads at exit, so no job outlives main.
    static QThreadPool instance;
    static const bool configured = [] {
        instance.setObjectName(QStringLiteral("vigil-compute"));
        instance.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        // Threads stay warm for a while so bursts of small jobs do not pay for thread start-up.
        instance.setExpiryTimeout(30000);
        return true;
    }();
    Q_UNUSED(configured)
    return instance;
}

} // namespace vigil::compute
