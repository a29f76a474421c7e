// SPDX-License-Identifier: Apache-2.0
#include "downloadthread.h"

#include "async/clock.h"
#include "async/taskscope.h"
#include "net/httpclient.h"

namespace vigil::fetch {

/// @brief Everything a run needs, on the download thread: its clock (timers belong to a thread),
/// HTTP client and downloader, and the task of the run under way.
class DownloadThread::Host : public QObject {
public:
    Host(DownloadThread &owner, async::Handover<DownloadSummary> &summary)
        : m_owner(owner)
        , m_summary(summary)
        , m_clock(this)
        , m_client(m_clock, this)
        , m_downloader(m_client, m_clock, this) {
        m_downloader.shareCounters(owner.m_counters);
        // Same thread: the pause of a file that starts paused runs inside its Queued report,
        // before any worker can ask for it.
        connect(&m_downloader, &Downloader::progress, this,
                [this](const DownloadProgress &p) { onProgress(p); });
    }

    void start(QList<DownloadItem> items, DownloadOptions options, QSet<int> startPaused) {
        m_startPaused = std::move(startPaused);
        m_tasks.spawn(runList(std::move(items), std::move(options)));
    }
    Downloader &downloader() { return m_downloader; }

private:
    QCoro::Task<> runList(QList<DownloadItem> items, DownloadOptions options) {
        // Named local: GCC 12 destroys a call's temporaries inside co_await twice (DESIGN.md).
        auto run = m_downloader.run(std::move(items), std::move(options));
        const DownloadSummary summary = co_await run;
        m_summary.deliver(summary);
    }

    void onProgress(const DownloadProgress &p) {
        Q_EMIT m_owner.progress(p);
        if (p.state == DownloadState::Queued && m_startPaused.remove(p.index))
            m_downloader.pause(p.index);
    }

    DownloadThread &m_owner;
    async::Handover<DownloadSummary> &m_summary;
    async::RealClock m_clock;
    net::HttpClient m_client;
    Downloader m_downloader;
    QSet<int> m_startPaused;
    async::TaskScope m_tasks; // the run under way; it ends by itself or by interrupt()
};

DownloadThread::DownloadThread(QObject *parent)
    : QObject(parent)
    , m_summary(*this)
    , m_worker(QStringLiteral("vigil-downloads"), *this, m_summary) {}

DownloadThread::~DownloadThread() {
    Q_ASSERT_X(!m_running, "DownloadThread", "destroyed during a run: interrupt and await it");
}

void DownloadThread::post(std::function<void(Host &)> call) {
    m_worker.post(std::move(call));
}

QCoro::Task<DownloadSummary> DownloadThread::run(QList<DownloadItem> items, DownloadOptions options,
                                                 QSet<int> startPaused) {
    Q_ASSERT_X(!m_running, "DownloadThread::run", "one run at a time");
    m_running = true;
    auto start = [items = std::move(items), options = std::move(options),
                  startPaused = std::move(startPaused)](Host &host) {
        host.start(items, options, startPaused);
    };
    post(std::move(start));
    auto finished = m_summary.take();
    DownloadSummary summary = co_await finished;
    m_running = false;
    co_return summary;
}

void DownloadThread::pause(int index) {
    post([index](Host &host) { host.downloader().pause(index); });
}

void DownloadThread::resume(int index) {
    post([index](Host &host) { host.downloader().resume(index); });
}

void DownloadThread::cancel(int index) {
    post([index](Host &host) { host.downloader().cancel(index); });
}

void DownloadThread::pauseAll() {
    post([](Host &host) { host.downloader().pauseAll(); });
}

void DownloadThread::resumeAll() {
    post([](Host &host) { host.downloader().resumeAll(); });
}

void DownloadThread::cancelAll() {
    post([](Host &host) { host.downloader().cancelAll(); });
}

void DownloadThread::interrupt() {
    post([](Host &host) { host.downloader().interrupt(); });
}

} // namespace vigil::fetch
