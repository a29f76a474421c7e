#include "downloadsview.h"

#include "downloadsmodel.h"
#include "twoaxischart.h"

#include "async/clock.h"
#include "fetch/downloadnames.h"
#include "net/httpclient.h"

#include <QApplication>
#include <QCheckBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace vigil::widgets {

namespace {
/// Draws the Progress column as a progress bar.
class ProgressDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        const double fraction = index.data(DownloadsModel::kFractionRole).toDouble();
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 3, -2, -3);
        bar.minimum = 0;
        bar.maximum = fraction < 0 ? 0 : 1000; // 0/0 is Qt's busy indicator
        bar.progress = fraction < 0 ? 0 : int(fraction * 1000);
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
    }
};

QStringList urlLines(const QString &text) {
    QStringList out;
    for (const auto &line : text.split(u'\n')) {
        const QString t = line.trimmed();
        if (!t.isEmpty() && !t.startsWith(u'#'))
            out << t;
    }
    return out;
}
} // namespace

DownloadsView::DownloadsView(QWidget *parent)
    : QWidget(parent)
    , m_client(std::make_unique<net::HttpClient>())
    , m_downloader(std::make_unique<fetch::Downloader>(*m_client, async::Clock::system()))
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
    m_urls->setPlaceholderText(tr("One URL per line"));
    m_checksums->setPlaceholderText(
        tr("Optional: checksums in sha256sum format (<sha256>  <file name>)"));
    m_checksums->setMaximumHeight(90);
    m_concurrency->setRange(1, 64);
    m_concurrency->setValue(4);
    m_limit->setPlaceholderText(tr("no limit (e.g. 2M = 2 MiB/s)"));
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

    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(DownloadsModel::Progress, new ProgressDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(DownloadsModel::Name, 220);
    m_table->setColumnWidth(DownloadsModel::Progress, 160);
    m_table->setColumnWidth(DownloadsModel::Bytes, 170);

    m_chart->addSeries(tr("MB/s"), Qt::AlignLeft);
    m_chart->addSeries(tr("MB in flight (received by running transfers)"), Qt::AlignRight);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->addLayout(form);
    leftLayout->addStretch(1);
    left->setMaximumWidth(520);
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->addLayout(controls);
    rightLayout->addWidget(m_summary);
    rightLayout->addWidget(m_table, 3);
    rightLayout->addWidget(m_chart, 2);
    auto *split = new QSplitter;
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_start, &QPushButton::clicked, this, &DownloadsView::start);
    connect(pauseAll, &QPushButton::clicked, this, [this] { m_downloader->pauseAll(); });
    connect(resumeAll, &QPushButton::clicked, this, [this] { m_downloader->resumeAll(); });
    connect(cancelAll, &QPushButton::clicked, this, [this] { m_downloader->cancelAll(); });
    const auto selected = [this] {
        return m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1;
    };
    connect(pauseOne, &QPushButton::clicked, this,
            [this, selected] { m_downloader->pause(selected()); });
    connect(resumeOne, &QPushButton::clicked, this,
            [this, selected] { m_downloader->resume(selected()); });
    connect(cancelOne, &QPushButton::clicked, this,
            [this, selected] { m_downloader->cancel(selected()); });
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
    connect(m_downloader.get(), &fetch::Downloader::progress, this, &DownloadsView::onProgress);
    m_sampler->setInterval(250);
    connect(m_sampler, &QTimer::timeout, this, &DownloadsView::sample);
    revalidate();
    restore();
}

// m_tasks asserts that shutdown() ran: the list's coroutine points at this view and its
// downloader.
DownloadsView::~DownloadsView() = default;

QCoro::Task<> DownloadsView::shutdown() {
    auto closing = m_tasks.close(); // its token interrupts the downloader, see run()
    co_await closing;
}

QStringList DownloadsView::problems() const {
    QStringList out;
    const auto urls = urlLines(m_urls->toPlainText());
    if (urls.isEmpty())
        out << tr("Add at least one URL");
    for (int i = 0; i < urls.size(); ++i) {
        const QUrl url(urls[i], QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            out << tr("URL line %1 is not an http(s) URL: %2").arg(i + 1).arg(urls[i].left(80));
            break;
        }
    }
    const auto sums = fetch::parseSha256Sums(m_checksums->toPlainText().toUtf8());
    if (!sums.problems.isEmpty())
        out << tr("Checksums, %1").arg(sums.problems.first());
    if (m_folder->text().trimmed().isEmpty())
        out << tr("Choose a folder");
    if (!m_limit->text().trimmed().isEmpty() && !fetch::parseByteRate(m_limit->text()))
        out << tr("Bandwidth: a number of bytes/s with an optional K, M or G, e.g. 2M");
    return out;
}

void DownloadsView::revalidate() {
    const QStringList list = problems();
    m_problems->setText(list.join(u'\n'));
    m_start->setEnabled(list.isEmpty() && !m_running);
}

void DownloadsView::start() {
    if (m_tasks.running() > 0 || m_tasks.isClosed() || !problems().isEmpty())
        return;
    const auto digests = fetch::parseSha256Sums(m_checksums->toPlainText().toUtf8()).digests;
    QList<fetch::DownloadItem> items;
    for (const auto &line : urlLines(m_urls->toPlainText())) {
        const QUrl url(line, QUrl::StrictMode);
        items << fetch::DownloadItem{url, digests.value(fetch::fileNameFromUrl(url)), {}};
    }
    fetch::DownloadOptions options;
    options.outDir = m_folder->text().trimmed();
    options.concurrency = m_concurrency->value();
    options.bandwidth =
        m_limit->text().trimmed().isEmpty() ? 0 : fetch::parseByteRate(m_limit->text()).value_or(0);
    options.overwrite = m_overwrite->isChecked();
    m_tasks.spawn(run(items, options, m_tasks.token()));
}

QCoro::Task<> DownloadsView::run(QList<fetch::DownloadItem> items, fetch::DownloadOptions options,
                                 std::stop_token token) {
    m_items = items;
    m_options = options;
    QStringList names;
    for (const auto &item : items)
        names << fetch::fileNameFromUrl(item.url);
    m_model->reset(names);
    m_running = true;
    revalidate();
    Q_EMIT runningChanged(true);
    remember();
    m_chart->clearPoints();
    m_clock.start();
    m_sampler->start();
    m_summary->setText(
        tr("Downloading %n file(s) to %1…", nullptr, int(items.size())).arg(options.outDir));
    // The downloader's run is under way once the task is made, so the link below interrupts it
    // even when the token stopped already: partial files stay for the next start.
    auto downloads = m_downloader->run(items, options);
    const auto interrupt = [this] { m_downloader->interrupt(); };
    std::stop_callback onStop(token, interrupt);
    const auto summary = co_await downloads;
    m_sampler->stop();
    sample();
    m_summary->setText(summary.line());
    m_running = false;
    // A finished list is forgotten; an interrupted one stays for the next start.
    if (summary.unfinished == 0)
        QSettings().remove(QLatin1String(kSessionKey));
    revalidate();
    Q_EMIT runningChanged(false);
    Q_EMIT finished(summary.line());
}

void DownloadsView::onProgress(const fetch::DownloadProgress &p) {
    const auto before = p.index < m_model->count() ? m_model->row(p.index).state : p.state;
    m_model->update(p);
    if (before != p.state)
        remember();
}

void DownloadsView::remember() {
    QJsonArray items;
    for (int i = 0; i < m_items.size(); ++i) {
        const auto state =
            i < m_model->count() ? m_model->row(i).state : fetch::DownloadState::Queued;
        items.append(QJsonObject{{QStringLiteral("url"), m_items[i].url.toString()},
                                 {QStringLiteral("sha256"), m_items[i].sha256},
                                 {QStringLiteral("state"), fetch::downloadStateName(state)}});
    }
    const QJsonObject session{{QStringLiteral("folder"), m_options.outDir},
                              {QStringLiteral("concurrency"), m_options.concurrency},
                              {QStringLiteral("bandwidth"), double(m_options.bandwidth)},
                              {QStringLiteral("overwrite"), m_options.overwrite},
                              {QStringLiteral("items"), items}};
    QSettings().setValue(QLatin1String(kSessionKey),
                         QJsonDocument(session).toJson(QJsonDocument::Compact));
}

void DownloadsView::restore() {
    const QJsonObject session =
        QJsonDocument::fromJson(QSettings().value(QLatin1String(kSessionKey)).toByteArray())
            .object();
    QStringList urls, sums;
    for (const auto &v : session.value(QStringLiteral("items")).toArray()) {
        const QJsonObject item = v.toObject();
        const QString state = item.value(QStringLiteral("state")).toString();
        if (state == QLatin1String("done") || state == QLatin1String("cancelled"))
            continue;
        const QUrl url(item.value(QStringLiteral("url")).toString());
        urls << url.toString();
        if (fetch::isSha256Hex(item.value(QStringLiteral("sha256")).toString()))
            sums << item.value(QStringLiteral("sha256")).toString() + QStringLiteral("  ") +
                        fetch::fileNameFromUrl(url);
    }
    if (urls.isEmpty())
        return;
    m_urls->setPlainText(urls.join(u'\n'));
    m_checksums->setPlainText(sums.join(u'\n'));
    m_folder->setText(session.value(QStringLiteral("folder")).toString());
    m_concurrency->setValue(session.value(QStringLiteral("concurrency")).toInt(4));
    const qint64 bandwidth = qint64(session.value(QStringLiteral("bandwidth")).toDouble());
    m_limit->setText(bandwidth > 0 ? QString::number(bandwidth) : QString());
    m_overwrite->setChecked(session.value(QStringLiteral("overwrite")).toBool());
    // Resume what was left: partial files continue where they stopped.
    QTimer::singleShot(0, this, &DownloadsView::start);
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
