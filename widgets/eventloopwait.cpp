#include "eventloopwait.h"

#include <QCoreApplication>
#include <QElapsedTimer>

namespace vigil::widgets {

void waitUntil(const std::function<bool()> &done, std::chrono::milliseconds limit) {
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < limit.count())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 10);
}

} // namespace vigil::widgets
