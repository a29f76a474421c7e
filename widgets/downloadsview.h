// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/taskscope.h"
#include "fetch/downloadspec.h"
#include "fetch/downloadthread.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QSet>
#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QLabel;
class QLayout;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace vigil::widgets {

class DownloadsModel;
class TwoAxisChart;

/// @brief The Downloads tab: paste URLs (and checksums), pick a folder, and watch per-file
/// progress and the aggregate throughput; pause, resume and cancel per file or for all.
///
/// The list is remembered while it runs: after a crash or kill, the next start restores the
/// unfinished files and resumes them from their partial data; a file the user paused comes back
/// paused.
class DownloadsView : public QWidget {
    Q_OBJECT
public:
    explicit DownloadsView(QWidget *parent = nullptr);
    /// Asserts that shutdown() ran, or that no list runs.
    ~DownloadsView() override;

    void start();
    /// Row controls, as the Pause, Resume and Cancel buttons run them on the selected row. Resume
    /// also retries a failed or cancelled file, after its list ended too, from valid partial data.
    void pause(int row);
    void resume(int row);
    void cancel(int row);
    void pauseAll();
    /// Resumes the paused files and retries the failed ones.
    void resumeAll();
    void cancelAll();
    /// Interrupts a running list (partial files and the remembered list are kept, so the next
    /// start resumes them) and waits for it to stop; Start does nothing after. The demo's folder
    /// (DemoFolder) is removed with its files.
    [[nodiscard]] QCoro::Task<> shutdown();
    [[nodiscard]] bool isRunning() const { return m_running; }
    /// What is wrong with the form; empty when Start can run.
    [[nodiscard]] QStringList problems() const;

    QPlainTextEdit *urlsEdit() const { return m_urls; }
    QPlainTextEdit *checksumsEdit() const { return m_checksums; }
    QLineEdit *folderEdit() const { return m_folder; }
    QLineEdit *limitEdit() const { return m_limit; }
    QLabel *problemsLabel() const { return m_problems; }
    QSpinBox *concurrencyBox() const { return m_concurrency; }
    QPushButton *startButton() const { return m_start; }
    DownloadsModel *model() const { return m_model; }
    fetch::DownloadThread &downloader() const { return *m_downloader; }
    /// Its downloads' counts, for /metrics.
    [[nodiscard]] std::shared_ptr<const fetch::TransferCounters> counters() const {
        return m_downloader->counters();
    }
    [[nodiscard]] qsizetype chartPoints() const;

    /// The settings key under which a running list is remembered.
    static constexpr const char *kSessionKey = "downloads/session";
    /// Set when the remembered list had secrets (URL passwords, key-like parameters) left out.
    static constexpr const char *kSecretsLeftOutKey = "downloads/session_secrets_left_out";

Q_SIGNALS:
    void runningChanged(bool running);
    void finished(const QString &summaryLine);

private:
    QLayout *buildForm();
    QLayout *buildControls();
    void setUpTableAndChart();
    [[nodiscard]] fetch::DownloadForm form() const;
    /// Runs the rows @p rows of m_spec; the other rows keep their state.
    QCoro::Task<> run(QList<int> rows, std::stop_token token);
    void resumeRows(const QList<int> &rows);
    /// Pause or Cancel of a row whose retry waits for the running list; false if it does not.
    bool holdPending(int row, fetch::DownloadState state);
    void runPending();
    void onProgress(const fetch::DownloadProgress &p);
    void remember();
    void restore();
    void sample();
    void revalidate();

    /// Downloads run on a thread of their own: their bytes never wait for the charts to draw.
    std::unique_ptr<fetch::DownloadThread> m_downloader;
    fetch::DownloadSpec m_spec; ///< the list, one item per row, remembered for a restart
    QList<fetch::DownloadState> m_remembered; ///< per row: what a restart should know of it
    QList<int> m_runRows;                     ///< per item of the downloader's run: its row
    QList<int> m_pending;                     ///< rows to retry once the current run ends
    QSet<QString> m_restoredPaused; ///< URLs (as remembered) the user had paused before a restart
    QSet<int> m_startPaused;        ///< rows to pause before they are asked for
    bool m_interrupting = false;    ///< quitting: the pauses it makes are not the user's
    bool m_usedDemoFolder = false;  ///< a list ran in DemoFolder::path(): removed at shutdown
    DownloadsModel *m_model;
    QPlainTextEdit *m_urls;
    QPlainTextEdit *m_checksums;
    QLineEdit *m_folder;
    QSpinBox *m_concurrency;
    QLineEdit *m_limit;
    QCheckBox *m_overwrite;
    QLabel *m_problems;
    QLabel *m_summary;
    QPushButton *m_start;
    QTableView *m_table;
    TwoAxisChart *m_chart;
    QElapsedTimer m_clock;
    class QTimer *m_sampler;
    bool m_running = false;   // what the form and buttons show
    async::TaskScope m_tasks; // the list in progress
};

} // namespace vigil::widgets
