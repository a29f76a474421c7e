// SPDX-License-Identifier: Apache-2.0
#include "downloadsview.h"

#include "demofolder.h"
#include "downloadsmodel.h"
#include "privatesettings.h"
#include "twoaxischart.h"

#include "dashboard/dashboardsecrets.h"
#include "fetch/downloadnames.h"
#include "fetch/downloadspec.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace vigil::widgets {

DownloadsView::DownloadsView(QWidget *parent)
    : QWidget(parent)
    , m_downloader(std::make_unique<fetch::DownloadThread>())
    , m_model(new DownloadsModel(this))
    , m_urls(new QPlainTextEdit)
    , m_checksums(new QPlainTextEdit)
    , m_folder(new QLineEdit(QStandardPaths::writableLocation(QStandardPaths::DownloadLocation) +
                             QStringLiteral("/vigil")))
    , m_concurrency(new QSpinBox)
    , m_limit(new QLineEdit)
    , m_overwrite(new QCheckBox(tr("Replace files that already exist")))
    , m_problems(new QLabel)
    , m_summary(new QLabel)
    , m_start(new QPushButton(tr("Start")))
    , m_table(new QTableView)
    , m_chart(new TwoAxisChart(tr("Aggregate throughput"), tr("MB/s"), tr("MB")))
    , m_sampler(new QTimer(this)) {
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->addLayout(buildForm());
    leftLayout->addStretch(1);
    left->setMaximumWidth(520);
    setUpTableAndChart();
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->addLayout(buildControls());
    rightLayout->addWidget(m_summary);
    rightLayout->addWidget(m_table, 3);
    rightLayout->addWidget(m_chart, 2);
    auto *split = new QSplitter;
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_downloader.get(), &fetch::DownloadThread::progress, this, &DownloadsView::onProgress);
    m_sampler->setInterval(250);
    connect(m_sampler, &QTimer::timeout, this, &DownloadsView::sample);
    revalidate();
    restore();
}

QLayout *DownloadsView::buildForm() {
    m_urls->setPlaceholderText(tr("One URL per line"));
    m_checksums->setPlaceholderText(
        tr("Optional: checksums in sha256sum format (<sha256>  <file name>)"));
    m_checksums->setMaximumHeight(90);
    m_concurrency->setRange(1, fetch::DownloadSpec::kMaxConcurrency);
    m_concurrency->setValue(4);
    m_limit->setPlaceholderText(tr("no limit (e.g. 2M = 2 MB/s; 2Mi = 2 MiB/s)"));
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    m_summary->setWordWrap(true);
    auto *load = new QPushButton(tr("Load URLs…"));
    auto *choose = new QPushButton(tr("Choose…"));
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(choose);
    auto *form = new QFormLayout;
    form->addRow(tr("URLs"), m_urls);
    form->addRow(QString(), load);
    form->addRow(tr("Checksums"), m_checksums);
    form->addRow(tr("Folder"), folderRow);
    form->addRow(tr("Concurrency"), m_concurrency);
    form->addRow(tr("Bandwidth"), m_limit);
    form->addRow(QString(), m_overwrite);
    form->addRow(m_problems);
    connect(load, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load URLs"));
        QFile f(path);
        if (!path.isEmpty() && f.open(QIODevice::ReadOnly))
            m_urls->setPlainText(QString::fromUtf8(f.readAll()));
    });
    connect(choose, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Download to"), m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });
    for (auto *edit : {m_urls, m_checksums})
        connect(edit, &QPlainTextEdit::textChanged, this, &DownloadsView::revalidate);
    for (auto *edit : {m_folder, m_limit})
        connect(edit, &QLineEdit::textChanged, this, &DownloadsView::revalidate);
    return form;
}

QLayout *DownloadsView::buildControls() {
    auto *pauseAll = new QPushButton(tr("Pause all"));
    auto *resumeAll = new QPushButton(tr("Resume all"));
    auto *cancelAll = new QPushButton(tr("Cancel all"));
    auto *pauseOne = new QPushButton(tr("Pause"));
    auto *resumeOne = new QPushButton(tr("Resume"));
    auto *cancelOne = new QPushButton(tr("Cancel"));
    auto *controls = new QHBoxLayout;
    for (auto *b : {m_start, pauseAll, resumeAll, cancelAll})
        controls->addWidget(b);
    controls->addSpacing(16);
    controls->addWidget(new QLabel(tr("Selected:")));
    for (auto *b : {pauseOne, resumeOne, cancelOne})
        controls->addWidget(b);
    controls->addStretch(1);
    connect(m_start, &QPushButton::clicked, this, &DownloadsView::start);
    connect(pauseAll, &QPushButton::clicked, this, &DownloadsView::pauseAll);
    connect(resumeAll, &QPushButton::clicked, this, &DownloadsView::resumeAll);
    connect(cancelAll, &QPushButton::clicked, this, &DownloadsView::cancelAll);
    const auto selected = [this] {
        return m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1;
    };
    connect(pauseOne, &QPushButton::clicked, this, [this, selected] { pause(selected()); });
    connect(resumeOne, &QPushButton::clicked, this, [this, selected] { resume(selected()); });
    connect(cancelOne, &QPushButton::clicked, this, [this, selected] { cancel(selected()); });
    return controls;
}

void DownloadsView::setUpTableAndChart() {
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(DownloadsModel::Progress, new ProgressDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(DownloadsModel::Name, 220);
    m_table->setColumnWidth(DownloadsModel::Progress, 160);
    m_table->setColumnWidth(DownloadsModel::Bytes, 170);
    // The longest state fits on one line (it wrapped to "already / complete").
    m_table->setColumnWidth(DownloadsModel::State,
                            m_table->fontMetrics().horizontalAdvance(tr("already complete")) + 16);
    m_chart->addSeries(tr("MB/s"), Qt::AlignLeft);
    m_chart->addSeries(tr("MB in flight (received by running transfers)"), Qt::AlignRight);
}

// m_tasks asserts that shutdown() ran: the list's coroutine points at this view and its
// downloader.
DownloadsView::~DownloadsView() = default;

QCoro::Task<> DownloadsView::shutdown() {
    auto closing = m_tasks.close(); // its token interrupts the downloader, see run()
    co_await closing;
    // The demo's files go with the app that made them, once no file of theirs is open.
    if (m_usedDemoFolder)
        DemoFolder::removeOwn();
}

fetch::DownloadForm DownloadsView::form() const {
    fetch::DownloadForm form;
    form.urls = m_urls->toPlainText();
    form.checksums = m_checksums->toPlainText();
    form.folder = m_folder->text();
    form.concurrency = QString::number(m_concurrency->value());
    form.bandwidth = m_limit->text();
    form.overwrite = m_overwrite->isChecked();
    return form;
}

QStringList DownloadsView::problems() const {
    // The first problem of each field: a pasted list with many bad lines stays readable.
    QStringList out;
    QSet<QString> fields;
    for (const auto &p : fetch::parseDownloadForm(form()).problems) {
        if (!fields.contains(p.field))
            out << p.message;
        fields.insert(p.field);
    }
    return out;
}

void DownloadsView::revalidate() {
    const QStringList list = problems();
    m_problems->setText(list.join(u'\n'));
    m_start->setEnabled(list.isEmpty() && !m_running);
}

void DownloadsView::start() {
    if (m_tasks.running() > 0 || m_tasks.isClosed())
        return;
    const auto parsed = fetch::parseDownloadForm(form());
    if (!parsed.problems.isEmpty())
        return;
    m_spec = parsed.spec;
    m_usedDemoFolder = m_usedDemoFolder || QDir(m_spec.options.outDir) == QDir(DemoFolder::path());
    QStringList names;
    QList<int> rows;
    m_startPaused.clear();
    for (int i = 0; i < m_spec.items.size(); ++i) {
        names << fetch::fileNameFromUrl(m_spec.items[i].url);
        rows << i;
        if (m_restoredPaused.contains(dashboard::persistableUrl(m_spec.items[i].url).toString()))
            m_startPaused.insert(i);
    }
    m_restoredPaused.clear();
    m_model->reset(names);
    m_remembered = QList<fetch::DownloadState>(names.size(), fetch::DownloadState::Queued);
    m_pending.clear();
    m_tasks.spawn(run(rows, m_tasks.token()));
}

void DownloadsView::pause(int row) {
    if (holdPending(row, fetch::DownloadState::Paused))
        return;
    if (const int index = m_runRows.indexOf(row); index >= 0)
        m_downloader->pause(index);
}

bool DownloadsView::holdPending(int row, fetch::DownloadState state) {
    // A retry waiting for the running list never reached the downloader: hold it here.
    if (!m_pending.removeOne(row))
        return false;
    auto p = m_model->row(row);
    p.state = state;
    m_model->update(p);
    if (row < m_remembered.size())
        m_remembered[row] = state;
    remember();
    return true;
}

void DownloadsView::resume(int row) {
    resumeRows({row});
}

void DownloadsView::cancel(int row) {
    if (holdPending(row, fetch::DownloadState::Cancelled))
        return;
    if (const int index = m_runRows.indexOf(row); index >= 0)
        m_downloader->cancel(index);
}

void DownloadsView::pauseAll() {
    for (const int row : QList<int>(m_pending))
        holdPending(row, fetch::DownloadState::Paused);
    m_downloader->pauseAll();
}

void DownloadsView::resumeAll() {
    QList<int> rows;
    for (int row = 0; row < m_model->count(); ++row)
        if (m_model->row(row).state == fetch::DownloadState::Paused ||
            m_model->row(row).state == fetch::DownloadState::Failed)
            rows << row;
    resumeRows(rows);
}

void DownloadsView::cancelAll() {
    m_downloader->cancelAll();
    for (const int row : QList<int>(m_pending))
        holdPending(row, fetch::DownloadState::Cancelled);
}

void DownloadsView::resumeRows(const QList<int> &rows) {
    QList<int> retry;
    for (const int row : rows) {
        if (row < 0 || row >= m_model->count())
            continue;
        const auto state = m_model->row(row).state;
        if (state != fetch::DownloadState::Paused && state != fetch::DownloadState::Failed &&
            state != fetch::DownloadState::Cancelled)
            continue;
        // Shown queued at once. Should the run end before the download thread gets the resume,
        // the end of run() finds the row queued and runs it again.
        auto p = m_model->row(row);
        p.state = fetch::DownloadState::Queued;
        p.error.clear();
        m_model->update(p);
        if (const int index = m_runRows.indexOf(row); index >= 0 && m_downloader->isRunning())
            m_downloader->resume(index);
        else
            retry << row; // its list has ended: it runs again by itself
    }
    m_pending += retry;
    if (!retry.isEmpty())
        QTimer::singleShot(0, this, &DownloadsView::runPending);
}

void DownloadsView::runPending() {
    if (m_pending.isEmpty() || m_tasks.running() > 0 || m_tasks.isClosed())
        return; // the running list starts them when it ends
    m_tasks.spawn(run(std::exchange(m_pending, {}), m_tasks.token()));
}

QCoro::Task<> DownloadsView::run(QList<int> rows, std::stop_token token) {
    m_runRows = rows;
    QList<fetch::DownloadItem> items;
    for (const int row : rows)
        items << m_spec.items[row];
    m_running = true;
    revalidate();
    Q_EMIT runningChanged(true);
    remember();
    m_chart->clearPoints();
    m_clock.start();
    m_sampler->start();
    m_summary->setText(
        tr("Downloading %n file(s) to %1…", nullptr, int(items.size())).arg(m_spec.options.outDir));
    // The downloader's run is under way once the task is made, so the link below interrupts it
    // even when the token stopped already: partial files stay for the next start.
    QSet<int> startPaused;
    for (qsizetype i = 0; i < rows.size(); ++i)
        if (m_startPaused.contains(rows[i]))
            startPaused.insert(int(i));
    auto downloads = m_downloader->run(items, m_spec.options, startPaused);
    const auto interrupt = [this] {
        m_interrupting = true;
        m_downloader->interrupt();
    };
    std::stop_callback onStop(token, interrupt);
    const auto summary = co_await downloads;
    m_sampler->stop();
    sample();
    m_summary->setText(summary.line());
    m_running = false;
    // A Resume that came as the run was ending finds no worker left: it runs next.
    for (const int row : std::exchange(m_runRows, {}))
        if (m_model->row(row).state == fetch::DownloadState::Queued && !m_pending.contains(row))
            m_pending << row;
    // A finished list is forgotten; an interrupted one stays for the next start.
    if (summary.unfinished == 0 && m_pending.isEmpty()) {
        removePrivateSetting(QLatin1String(kSessionKey));
        removePrivateSetting(QLatin1String(kSecretsLeftOutKey));
    }
    revalidate();
    Q_EMIT runningChanged(false);
    Q_EMIT finished(summary.line());
    if (!m_pending.isEmpty())
        QTimer::singleShot(0, this, &DownloadsView::runPending);
}

void DownloadsView::onProgress(const fetch::DownloadProgress &p) {
    if (p.index < 0 || p.index >= m_runRows.size())
        return;
    fetch::DownloadProgress shown = p;
    const int row = shown.index = m_runRows[p.index];
    m_model->update(shown);
    // A file the user had paused before a restart is paused again before it is asked for (the
    // download thread does it): its Queued report is not one to remember.
    if (p.state == fetch::DownloadState::Queued && m_startPaused.remove(row))
        return;
    // Quitting pauses every file to keep its data; the next start must know which were paused
    // by the user, so those pauses are not remembered.
    if (m_interrupting && p.state == fetch::DownloadState::Paused)
        return;
    if (m_remembered.value(row) != p.state) {
        m_remembered[row] = p.state;
        remember();
    }
}

qsizetype DownloadsView::chartPoints() const {
    return m_chart->pointCount();
}

void DownloadsView::sample() {
    double rate = 0, inFlight = 0;
    for (int i = 0; i < m_model->count(); ++i) {
        const auto &p = m_model->row(i);
        rate += p.bytesPerSecond;
        if (p.state == fetch::DownloadState::Downloading ||
            p.state == fetch::DownloadState::Verifying)
            inFlight += double(p.bytes);
    }
    m_chart->append(double(m_clock.elapsed()) / 1000.0, {rate / 1e6, inFlight / 1e6});
}

} // namespace vigil::widgets
