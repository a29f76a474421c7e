// SPDX-License-Identifier: Apache-2.0
#include "batchfetchview.h"

#include "batchform.h"
#include "errorbanner.h"
#include "resultsmodel.h"
#include "throughputchart.h"
#include "waterfallpanel.h"

#include "fetch/batchthread.h"
#include "fetch/itemlabel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace vigil::widgets {

BatchFetchView::BatchFetchView(std::function<QUrl()> demoUrl, QWidget *parent)
    : QWidget(parent)
    , m_runner(std::make_unique<fetch::BatchThread>())
    , m_form(new BatchForm(std::move(demoUrl)))
    , m_model(new ResultsModel(this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_table(new QTableView)
    , m_waterfall(new WaterfallPanel)
    , m_statusFilter(new QComboBox)
    , m_textFilter(new QLineEdit)
    , m_start(new QPushButton(tr("Start")))
    , m_cancel(new QPushButton(tr("Cancel")))
    , m_retry(new QPushButton(tr("Retry failed items")))
    , m_compare(new QPushButton(tr("Compare sequential vs concurrent")))
    , m_export(new QPushButton(tr("Export…")))
    , m_progress(new QProgressBar)
    , m_progressLabel(new QLabel)
    , m_compareLabel(new QLabel)
    , m_exportLabel(new QLabel)
    , m_chart(new ThroughputChart)
    , m_banner(new ErrorBanner) {
    setUpTable();
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_retry);
    buttons->addStretch(1);
    buttons->addWidget(m_export);
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(m_form);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_exportLabel);
    leftLayout->addWidget(m_compare);
    leftLayout->addWidget(m_compareLabel);
    leftLayout->addStretch(1);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_statusFilter);
    filters->addWidget(m_textFilter, 1);
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_progressLabel);
    rightLayout->addLayout(progressRow);
    rightLayout->addLayout(filters);
    auto *views = new QTabWidget;
    views->addTab(m_table, tr("Results"));
    views->addTab(m_waterfall, tr("Waterfall"));
    rightLayout->addWidget(views, 3);
    rightLayout->addWidget(m_chart, 2);
    left->setMaximumWidth(480);

    auto *split = new QSplitter;
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(split);

    connectControls();
}

void BatchFetchView::setUpTable() {
    m_filter->setSourceModel(m_model);
    m_filter->setSortRole(Qt::DisplayRole);
    m_filter->setFilterRole(ResultsModel::kStatusRole);
    m_filter->setFilterKeyColumn(ResultsModel::Status);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ResultsModel::Rank, Qt::AscendingOrder);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Fixed widths: ResizeToContents re-measures every row on each insert, which does not scale.
    for (const auto &[column, width] : {std::pair{ResultsModel::Rank, 44},
                                        {ResultsModel::Item, 120},
                                        {ResultsModel::Status, 70},
                                        {ResultsModel::Http, 50},
                                        {ResultsModel::LatencyMs, 80},
                                        {ResultsModel::QueuedMs, 80},
                                        {ResultsModel::Attempts, 42},
                                        {ResultsModel::Bytes, 60}})
        m_table->setColumnWidth(column, width);
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_statusFilter->addItems({tr("All statuses"), QStringLiteral("ok"), QStringLiteral("failed"),
                              QStringLiteral("timeout"), QStringLiteral("cancelled")});
    m_textFilter->setPlaceholderText(tr("Filter items…"));
    m_cancel->setEnabled(false);
    m_retry->setEnabled(false);
    m_retry->setToolTip(tr("Runs the items that failed, timed out or were cancelled again, with "
                           "the form's settings; the ok rows stay"));
    m_compareLabel->setWordWrap(true);
    m_exportLabel->setWordWrap(true);
    m_compareLabel->setStyleSheet(QStringLiteral("QLabel { font-weight: bold; }"));
}

void BatchFetchView::connectControls() {
    connect(&m_heldTicker, &QTimer::timeout, this, &BatchFetchView::updateProgress);
    connect(m_start, &QPushButton::clicked, this, &BatchFetchView::start);
    connect(m_cancel, &QPushButton::clicked, this, &BatchFetchView::cancel);
    connect(m_retry, &QPushButton::clicked, this, &BatchFetchView::retryFailed);
    connect(m_compare, &QPushButton::clicked, this, &BatchFetchView::compare);
    connect(m_export, &QPushButton::clicked, this, [this] {
        m_model->flush();
        const QString title = m_filter->rowCount() < m_model->rowCount()
                                  ? tr("Export the %1 of %2 results the filter shows")
                                        .arg(m_filter->rowCount())
                                        .arg(m_model->rowCount())
                                  : tr("Export results");
        const QString path = QFileDialog::getSaveFileName(
            this, title, QStringLiteral("results.csv"),
            tr("CSV (*.csv);;JSON (*.json);;HTTP Archive, each request's phases (*.har)"));
        QString error;
        if (!path.isEmpty())
            (void)exportTo(path, &error); // a failure shows in the banner
    });
    connect(m_form, &BatchForm::validityChanged, this, [this](bool valid) {
        m_start->setEnabled(valid && !m_running);
        m_compare->setEnabled(valid && !m_running);
    });
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_filter->setFilterRole(ResultsModel::kStatusRole);
        m_filter->setFilterKeyColumn(ResultsModel::Status);
        m_filter->setFilterFixedString(index == 0 ? QString() : m_statusFilter->currentText());
    });
    connect(m_textFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_statusFilter->setCurrentIndex(0);
        m_filter->setFilterRole(Qt::DisplayRole);
        m_filter->setFilterKeyColumn(ResultsModel::Item);
        m_filter->setFilterFixedString(text);
    });
    connect(m_runner.get(), &fetch::BatchThread::started, this, [this](int total, int skipped) {
        m_total = total - skipped;
        m_done = 0;
        m_progress->setRange(0, std::max(1, m_total));
        updateProgress();
    });
    connect(m_runner.get(), &fetch::BatchThread::itemFinished, this, &BatchFetchView::onItem);
    m_start->setEnabled(m_form->isValid());
    m_compare->setEnabled(m_form->isValid());
}

std::shared_ptr<const fetch::TransferCounters> BatchFetchView::counters() const {
    return m_runner->counters();
}

// m_tasks asserts that shutdown() ran: the batch coroutine points at this view and its runner.
BatchFetchView::~BatchFetchView() = default;

void BatchFetchView::start() {
    if (m_tasks.running() > 0 || m_tasks.isClosed() || !m_form->isValid())
        return;
    m_rankOffset = 0;
    m_originalIndex.clear();
    m_tasks.spawn(runBatch(m_form->specToRun(), m_tasks.token()));
}

bool BatchFetchView::hasUnfinishedItems() const {
    m_model->flush();
    const auto &rows = m_model->results();
    return std::any_of(rows.begin(), rows.end(),
                       [](const auto &r) { return r.status != fetch::ItemStatus::Ok; });
}

void BatchFetchView::retryFailed() {
    if (m_tasks.running() > 0 || m_tasks.isClosed() || !m_form->isValid())
        return;
    m_model->flush();
    QList<fetch::ItemResult> kept;
    std::vector<std::pair<int, QString>> again; // (index, item): run in the list's order
    int lastRank = 0;
    for (const auto &r : m_model->results()) {
        lastRank = std::max(lastRank, r.rank);
        if (r.status == fetch::ItemStatus::Ok)
            kept << r;
        else
            again.emplace_back(r.index, r.item);
    }
    if (again.empty())
        return;
    std::sort(again.begin(), again.end());
    fetch::BatchSpec spec = m_form->specToRun();
    const fetch::ItemList listed = std::exchange(spec.items, {});
    m_originalIndex.clear();
    for (const auto &[index, item] : again) {
        // A result names a URL item with its secrets redacted: send the listed one it stands for.
        const bool same = index < listed.size() && fetch::itemLabel(spec, listed.at(index)) == item;
        spec.items.append(same ? listed.at(index) : item);
        m_originalIndex << index;
    }
    m_rankOffset = lastRank; // the retry completes the run: its ranks come after

    m_tasks.spawn(runBatch(std::move(spec), m_tasks.token(), std::move(kept)));
}

void BatchFetchView::compare() {
    if (m_tasks.running() > 0 || m_tasks.isClosed() || !m_form->isValid())
        return;
    m_rankOffset = 0;
    m_originalIndex.clear();
    m_tasks.spawn(runComparison(m_form->specToRun(), m_tasks.token()));
}

void BatchFetchView::cancel() {
    m_runner->cancel();
}

QCoro::Task<> BatchFetchView::shutdown() {
    auto closing = m_tasks.close(); // its token cancels the runner, see execute()
    co_await closing;
}

void BatchFetchView::setRunning(bool running) {
    m_running = running;
    // Items held for their hosts change while nothing finishes (a host's pause or time-out).
    if (running)
        m_heldTicker.start(1000);
    else
        m_heldTicker.stop();
    m_start->setEnabled(!running && m_form->isValid());
    m_compare->setEnabled(!running && m_form->isValid());
    m_cancel->setEnabled(running);
    m_retry->setEnabled(!running && hasUnfinishedItems());
    m_form->setEnabled(!running);
    Q_EMIT runningChanged(running);
}

QCoro::Task<std::optional<fetch::BatchSummary>>
BatchFetchView::execute(fetch::BatchSpec spec, std::stop_token token,
                        QList<fetch::ItemResult> kept) {
    if (token.stop_requested())
        co_return std::nullopt;
    QStringList fieldNames;
    for (const auto &f : spec.fields)
        fieldNames << f.name;
    m_model->reset(fieldNames);
    m_waterfall->clear();
    for (const auto &r : kept) {
        m_model->add(r);
        m_waterfall->add(r);
    }
    m_model->flush();
    m_banner->clear();
    m_chart->start();
    m_elapsed.start();
    std::optional<fetch::BatchSummary> summary;
    QString failure;
    // run() is under way (its stop source exists) once the task is made, so the link below
    // cancels it even when the token stopped already.
    m_ranWith = io::HarWriter::Context::forBatch(spec);
    auto run = m_runner->run(std::move(spec));
    const auto cancelRun = [this] { m_runner->cancel(); };
    std::stop_callback onStop(token, cancelRun);
    try {
        summary = co_await run;
    } catch (const std::exception &e) {
        failure = QString::fromUtf8(e.what());
    }
    m_model->flush();
    m_chart->stop();
    if (!summary) {
        m_progressLabel->setText(tr("Could not start: %1").arg(failure));
        m_banner->showError(tr("The batch could not start: %1").arg(failure));
    } else if (!summary->writeError.isEmpty()) {
        m_banner->showError(tr("The batch stopped: %1. %n fetched result(s) were not saved.",
                               nullptr, summary->unsaved)
                                .arg(summary->writeError));
    }
    co_return summary;
}

QCoro::Task<> BatchFetchView::runBatch(fetch::BatchSpec spec, std::stop_token token,
                                       QList<fetch::ItemResult> kept) {
    setRunning(true);
    m_compareLabel->clear();
    auto run = execute(std::move(spec), token, std::move(kept));
    const auto summary = co_await run;
    if (summary) {
        m_progressLabel->setText(summary->line().section(u' ', 1));
        const QString advice =
            summary->rateLimitAdvice(tr("\"Rate limit\""), tr("\"Max server wait\""));
        if (!advice.isEmpty() && summary->writeError.isEmpty())
            m_banner->showError(advice);
        Q_EMIT batchFinished(summary->line());
    }
    setRunning(false);
}

QCoro::Task<> BatchFetchView::runComparison(fetch::BatchSpec spec, std::stop_token token) {
    setRunning(true);
    const int concurrency = spec.concurrency;
    fetch::BatchSpec sequential = spec;
    sequential.concurrency = 1;
    m_compareLabel->setText(tr("Running one at a time…"));
    auto first = execute(sequential, token);
    const auto slow = co_await first;
    std::optional<fetch::BatchSummary> fast;
    if (slow && slow->cancelled == 0 && !token.stop_requested()) {
        m_compareLabel->setText(
            tr("Sequential %1 s. Now %2 at a time…").arg(slow->wallS, 0, 'f', 2).arg(concurrency));
        auto second = execute(spec, token);
        fast = co_await second;
    }
    if (slow && fast && fast->cancelled == 0 && fast->wallS > 0)
        m_compareLabel->setText(comparisonText(*slow, *fast, concurrency));
    else
        m_compareLabel->setText(tr("Comparison stopped."));
    setRunning(false);
}

void BatchFetchView::onItem(const fetch::ItemResult &finished) {
    fetch::ItemResult result = finished;
    result.rank += m_rankOffset;
    result.index = m_originalIndex.value(result.index, result.index);
    m_model->add(result);
    m_waterfall->add(result);
    // A cancelled item was not done: after Cancel at 140/500 the bar stays at 140, not 100 %.
    if (result.status == fetch::ItemStatus::Cancelled)
        return;
    m_chart->record(result.latencyMs);
    m_chart->recordHostRate(result.url, result.hostRate);
    ++m_done;
    updateProgress();
}

QString BatchFetchView::progressText() const {
    return m_progressLabel->text();
}

void BatchFetchView::updateProgress() {
    m_progress->setValue(m_done);
    const double seconds = double(m_elapsed.elapsed()) / 1000.0;
    const double rate = seconds > 0 ? m_done / seconds : 0;
    const double eta = rate > 0 ? (m_total - m_done) / rate : 0;
    const long long held = m_running ? counters()->held.load() : 0;
    m_progressLabel->setText(tr("%1/%2 · %3 req/s · ETA %4 s")
                                 .arg(m_done)
                                 .arg(m_total)
                                 .arg(rate, 0, 'f', 1)
                                 .arg(eta, 0, 'f', 0) +
                             (held > 0 ? tr(" · %1 held for their hosts").arg(held) : QString()));
}

} // namespace vigil::widgets
