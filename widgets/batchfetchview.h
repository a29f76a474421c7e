// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/taskscope.h"
#include "fetch/batchspec.h"
#include "fetch/itemresult.h"
#include "io/harwriter.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QTimer>
#include <QUrl>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace vigil::fetch {
class BatchThread;
struct TransferCounters;
} // namespace vigil::fetch

namespace vigil::widgets {

class BatchForm;
class ErrorBanner;
class ResultsModel;
class ThroughputChart;
class WaterfallPanel;

/// @brief The Batch Fetch tab: the form, Start/Cancel, the results table filling in completion
/// order, progress with ETA, the live throughput chart, sequential-vs-concurrent comparison and
/// export. Owns its HTTP client and runner, and the batch coroutine (in a TaskScope).
class BatchFetchView : public QWidget {
    Q_OBJECT
public:
    explicit BatchFetchView(std::function<QUrl()> demoUrl, QWidget *parent = nullptr);
    /// Asserts that shutdown() ran, or that no batch runs.
    ~BatchFetchView() override;
    /// Its batches' counts, for /metrics.
    /// "done/total · rate · ETA", and the items held for their hosts while a batch runs.
    [[nodiscard]] QString progressText() const;
    [[nodiscard]] std::shared_ptr<const fetch::TransferCounters> counters() const;

    void start();
    /// Runs again, with the form's settings, the items of the last results that did not end ok;
    /// their rows are replaced and the ok rows stay.
    void retryFailed();
    void cancel();
    void compare();
    /// Cancels a running batch or comparison and waits for it to end; Start does nothing after.
    [[nodiscard]] QCoro::Task<> shutdown();
    [[nodiscard]] bool isRunning() const { return m_running; }
    /// Exports the results the table shows (its filters applied, in its order) as CSV, JSON or
    /// HAR 1.2 (by extension: .csv, .json, .har), and says in exportLabel() how many of all it
    /// wrote; a failure also shows in errorBanner().
    bool exportTo(const QString &path, QString *error);
    /// The comparison's verdict: both runs' times and ok/failed counts, and how many times
    /// faster, or slower, the concurrent run was.
    [[nodiscard]] static QString comparisonText(const fetch::BatchSummary &sequential,
                                                const fetch::BatchSummary &concurrent,
                                                int concurrency);

    BatchForm *form() const { return m_form; }
    ResultsModel *results() const { return m_model; }
    QSortFilterProxyModel *filteredResults() const { return m_filter; }
    QComboBox *statusFilter() const { return m_statusFilter; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *retryButton() const { return m_retry; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *compareLabel() const { return m_compareLabel; }
    QLabel *exportLabel() const { return m_exportLabel; }
    WaterfallPanel *waterfall() const { return m_waterfall; }
    ThroughputChart *throughputChart() const { return m_chart; }
    /// The red strip for what stopped a batch or lost its results: a batch that could not start,
    /// a journal write error, a failed export.
    ErrorBanner *errorBanner() const { return m_banner; }

Q_SIGNALS:
    void runningChanged(bool running);
    void batchFinished(const QString &summaryLine);

private:
    QCoro::Task<> runBatch(fetch::BatchSpec spec, std::stop_token token,
                           QList<fetch::ItemResult> kept = {});
    QCoro::Task<> runComparison(fetch::BatchSpec spec, std::stop_token token);
    /// Runs @p spec into a cleared table that first gets the @p kept rows back.
    QCoro::Task<std::optional<fetch::BatchSummary>>
    execute(fetch::BatchSpec spec, std::stop_token token, QList<fetch::ItemResult> kept = {});
    [[nodiscard]] bool hasUnfinishedItems() const;
    bool exportHar(const QString &path, const QList<fetch::ItemResult> &shown, QString *error);
    void setUpTable();
    void connectControls();
    void setRunning(bool running);
    void onItem(const fetch::ItemResult &finished);
    void updateProgress();

    /// The batch runs on a thread of its own: its replies never wait for the charts to draw.
    std::unique_ptr<fetch::BatchThread> m_runner;
    BatchForm *m_form;
    ResultsModel *m_model;
    QSortFilterProxyModel *m_filter;
    QTableView *m_table;
    WaterfallPanel *m_waterfall;
    QComboBox *m_statusFilter;
    QLineEdit *m_textFilter;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QPushButton *m_compare;
    QPushButton *m_export;
    QProgressBar *m_progress;
    QLabel *m_progressLabel;
    QLabel *m_compareLabel;
    QLabel *m_exportLabel;
    ThroughputChart *m_chart;
    ErrorBanner *m_banner;
    QElapsedTimer m_elapsed;
    QTimer m_heldTicker; ///< redraws the progress line's held items while a batch runs
    /// What the last batch asked with, for a HAR export: its template and headers.
    io::HarWriter::Context m_ranWith;
    int m_total = 0;
    int m_done = 0;
    // A retry's results, renumbered into the run they complete: ranks after the kept rows, and
    // each item's index in the original list.
    int m_rankOffset = 0;
    QList<int> m_originalIndex;
    bool m_running = false;   // what the buttons show
    async::TaskScope m_tasks; // the batch or comparison in progress
};

} // namespace vigil::widgets
