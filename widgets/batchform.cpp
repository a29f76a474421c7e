// SPDX-License-Identifier: Apache-2.0
#include "batchform.h"

#include "requesteditor.h"

#include "demo/demodata.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>

namespace vigil::widgets {

namespace {
const QString kPubChemTemplate =
    QStringLiteral("https://pubchem.ncbi.nlm.nih.gov/rest/pug/compound/name/{item}/property/"
                   "MolecularWeight,MolecularFormula,IUPACName/JSON");
const QString kCompoundFields =
    QStringLiteral("formula=/PropertyTable/Properties/0/MolecularFormula\n"
                   "mw=/PropertyTable/Properties/0/MolecularWeight\n"
                   "iupac=/PropertyTable/Properties/0/IUPACName");
const QStringList kTenCompounds = {QStringLiteral("water"),    QStringLiteral("ethanol"),
                                   QStringLiteral("methanol"), QStringLiteral("acetone"),
                                   QStringLiteral("benzene"),  QStringLiteral("toluene"),
                                   QStringLiteral("hexane"),   QStringLiteral("acetic acid"),
                                   QStringLiteral("ammonia"),  QStringLiteral("glucose")};

// The demo presets name the built-in demo API by this token instead of its address, so that the
// server starts only when a batch runs against it, not when the form is built.
const QString kDemoToken = QStringLiteral("{demo}");
// What the token stands for while the form is only validated: any loopback http URL will do.
const QString kDemoForValidation = QStringLiteral("http://127.0.0.1");

/// @p first, then @p second with its @p label between them, on one form row.
QHBoxLayout *pairRow(QWidget *first, const QString &label, QWidget *second, int secondStretch) {
    auto *row = new QHBoxLayout;
    row->addWidget(first, 1);
    row->addWidget(new QLabel(label));
    row->addWidget(second, secondStretch);
    return row;
}

QSpinBox *spin(int lo, int hi, int value, const QString &suffix = {}) {
    auto *box = new QSpinBox;
    box->setRange(lo, hi);
    box->setValue(value);
    box->setSuffix(suffix);
    box->setAccelerated(true);
    return box;
}
} // namespace

BatchForm::BatchForm(std::function<QUrl()> demoUrl, QWidget *parent)
    : QWidget(parent)
    , m_demoUrl(std::move(demoUrl))
    , m_preset(new QComboBox)
    , m_template(new QLineEdit)
    , m_items(new QPlainTextEdit)
    , m_itemCount(new QLabel)
    // Ranges wider than what is valid, so a typed 0 or 99999 gets a message, not a silent clamp.
    , m_concurrency(spin(0, 99999, 10))
    , m_perHost(spin(0, 99999, 0))
    , m_autoPerHost(new QCheckBox(tr("Auto")))
    , m_rate(new QDoubleSpinBox)
    , m_autoRate(new QCheckBox(tr("Auto")))
    , m_timeoutMs(spin(0, 9999999, 10000, QStringLiteral(" ms")))
    , m_retries(spin(0, 999, 2))
    , m_breaker(spin(0, 99999, 0))
    , m_maxWait(spin(0, 99999, 300, QStringLiteral(" s")))
    , m_mode(new QComboBox)
    , m_fields(new QPlainTextEdit)
    , m_kinetics(new QCheckBox(tr("Kinetics compute stage (RK4 on the compute pool)")))
    , m_problems(new QLabel)
    , m_request(new RequestEditor(this)) {
    m_preset->addItems({tr("PubChem compound properties"), tr("Demo API compounds"),
                        tr("Reaction kinetics (demo)"),
                        tr("Rate-limited demo API (10/s, unannounced)"), tr("Custom")});
    m_template->setPlaceholderText(QStringLiteral("https://host/path/{item}"));
    m_template->setToolTip(tr("{demo} stands for the built-in demo API; it starts when a batch "
                              "runs against it"));
    m_items->setPlaceholderText(tr("One item per line; paste or load a file"));
    describeHostLimits();
    m_rate->setRange(0, 1000000);
    m_rate->setDecimals(1);
    m_autoRate->setToolTip(tr(
        "Learn each host's limit: starts slow, speeds up while the host answers fine, and settles "
        "just under its limit after a 429 or 503; obeys RateLimit headers "
        "before any 429. The rate box is then its upper bound."));
    showRateMeaning();
    m_maxWait->setToolTip(tr("How long one item may wait, in all, when a server answers 429 or "
                             "503 with Retry-After; these waits use up no retry"));
    m_mode->addItems({tr("Collect all (errors in place)"), tr("Stop on first error")});
    m_fields->setPlaceholderText(tr("name=/json/pointer, one per line"));
    m_fields->setMaximumHeight(80);
    m_problems->setWordWrap(true);
    m_itemCount->setWordWrap(true); // a table's placeholders follow the count
    m_problems->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));

    auto *loadButton = new QPushButton(tr("Load file…"));
    auto *itemsRow = new QHBoxLayout;
    itemsRow->addWidget(m_request->itemFormatBox(), 1);
    itemsRow->addWidget(loadButton);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Preset"), m_preset);
    form->addRow(tr("URL template"), m_template);
    m_request->addRowsTo(*form);
    form->addRow(tr("Items"), m_items);
    form->addRow(QString(), itemsRow);
    form->addRow(QString(), m_itemCount);
    auto *concurrencyRow = pairRow(m_concurrency, tr("per host"), m_perHost, 1);
    concurrencyRow->addWidget(m_autoPerHost);
    form->addRow(tr("Concurrency"), concurrencyRow);
    auto *rateRow = new QHBoxLayout;
    rateRow->addWidget(m_rate, 1);
    rateRow->addWidget(m_autoRate);
    form->addRow(tr("Rate limit"), rateRow);
    form->addRow(tr("Timeout"), m_timeoutMs);
    form->addRow(tr("Retries"), pairRow(m_retries, tr("breaker"), m_breaker, 2));
    form->addRow(tr("Max server wait"), m_maxWait);
    form->addRow(tr("Mode"), m_mode);
    form->addRow(tr("Fields"), m_fields);
    form->addRow(QString(), m_kinetics);
    form->addRow(m_problems);

    connectEdits(loadButton);

    m_preset->setCurrentIndex(DemoCompounds);
    applyPreset(DemoCompounds);
}

void BatchForm::describeHostLimits() {
    m_perHost->setSpecialValueText(tr("no limit"));
    m_perHost->setToolTip(tr("Requests in flight at most per host. A full, paused or "
                             "rate-limited host never holds up the others: its items wait while "
                             "the other hosts are served"));
    m_autoPerHost->setToolTip(tr("Fewer requests at once to a host whose latency climbs well "
                                 "above its own baseline (its requests queue in the server); "
                                 "the per-host box is then its upper bound"));
    m_breaker->setSpecialValueText(tr("off"));
    m_breaker->setSuffix(tr(" failures in a row"));
    m_breaker->setToolTip(tr("Circuit breaker: a host whose items fail this many times in a row "
                             "(timeouts, network errors, 5xx) gets a 10 s time-out while the "
                             "batch goes on; one item then probes it, and after 3 time-outs its "
                             "remaining items fail unsent"));
}

void BatchForm::connectEdits(QPushButton *loadButton) {
    connect(m_preset, &QComboBox::activated, this,
            [this](int index) { applyPreset(Preset(index)); });
    connect(loadButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load items"));
        QString error;
        if (!path.isEmpty() && !loadItemsFile(path, &error))
            m_problems->setText(error);
    });
    for (auto *edit : {m_items, m_fields})
        connect(edit, &QPlainTextEdit::textChanged, this, &BatchForm::revalidate);
    connect(m_template, &QLineEdit::textChanged, this, &BatchForm::revalidate);
    for (auto *box : {m_concurrency, m_perHost, m_timeoutMs, m_retries, m_breaker, m_maxWait})
        connect(box, &QSpinBox::valueChanged, this, &BatchForm::revalidate);
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &BatchForm::revalidate);
    for (auto *box : {m_kinetics, m_autoPerHost})
        connect(box, &QCheckBox::toggled, this, &BatchForm::revalidate);
    connect(m_request, &RequestEditor::changed, this, &BatchForm::revalidate);
    connect(m_autoRate, &QCheckBox::toggled, this, [this] {
        showRateMeaning();
        revalidate();
    });
}

void BatchForm::applyPreset(Preset preset) {
    m_preset->setCurrentIndex(preset);
    m_kinetics->setChecked(preset == Kinetics);
    if (preset != Custom) {
        // A preset is a batch that runs: it brings its own limits, never an invalid one left
        // over from what was typed before.
        const fetch::BatchSpec defaults;
        m_request->reset(); // a GET over a plain list
        m_autoPerHost->setChecked(false);
        m_timeoutMs->setValue(int(defaults.timeout.count()));
        m_retries->setValue(defaults.retries);
        m_maxWait->setValue(int(defaults.maxServerWait.count()));
        m_mode->setCurrentIndex(0);
    }
    switch (preset) {
    case PubChem:
        m_template->setText(kPubChemTemplate);
        m_items->setPlainText(kTenCompounds.join(u'\n'));
        m_fields->setPlainText(kCompoundFields);
        m_concurrency->setValue(5);
        m_rate->setValue(5); // PubChem asks for at most 5 requests per second
        m_autoRate->setChecked(false);
        break;
    case DemoCompounds:
        m_template->setText(kDemoToken + QStringLiteral("/compound/{item}"));
        m_items->setPlainText(kTenCompounds.join(u'\n'));
        m_fields->setPlainText(kCompoundFields);
        m_concurrency->setValue(10);
        m_rate->setValue(0);
        m_autoRate->setChecked(false);
        break;
    case Kinetics: {
        m_template->setText(kDemoToken + QStringLiteral("/kinetics/{item}"));
        QStringList ids;
        for (int i = 1; i <= 100; ++i)
            ids << QStringLiteral("reaction-%1").arg(i);
        m_items->setPlainText(ids.join(u'\n'));
        m_fields->clear();
        m_concurrency->setValue(20);
        m_rate->setValue(0);
        m_autoRate->setChecked(false);
        break;
    }
    case RateLimited: {
        // A server that allows 10 requests/s per client and does not say so: Auto finds it.
        m_template->setText(kDemoToken + QStringLiteral("/quota/{item}?rps=10&ms=30"));
        QStringList ids;
        for (int i = 1; i <= 300; ++i)
            ids << QStringLiteral("record-%1").arg(i);
        m_items->setPlainText(ids.join(u'\n'));
        m_fields->clear();
        m_concurrency->setValue(20);
        m_rate->setValue(0);
        m_autoRate->setChecked(true);
        break;
    }
    case Custom:
        break;
    }
    revalidate();
}

bool BatchForm::loadItemsFile(const QString &path, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    m_request->setItemFormat(fetch::itemFormatForFile(path)); // a .csv or .tsv is a table
    m_items->setPlainText(QString::fromUtf8(f.readAll()));
    return true;
}

QList<fetch::FieldSpec> BatchForm::parsedFields(QStringList *errors) const {
    QList<fetch::FieldSpec> fields;
    for (const auto &line : fetch::parseItemList(m_fields->toPlainText())) {
        QString error;
        if (const auto f = fetch::parseFieldSpec(line, &error))
            fields << *f;
        else
            *errors << error.replace(QStringLiteral("--field"), tr("Field"));
    }
    return fields;
}

fetch::BatchSpec BatchForm::specToRun() const {
    fetch::BatchSpec s = spec();
    s.urlTemplate = m_template->text().trimmed();
    if (s.urlTemplate.contains(kDemoToken))
        s.urlTemplate.replace(kDemoToken, m_demoUrl().toString()); // starts the demo API
    return s;
}

fetch::BatchSpec BatchForm::spec() const {
    fetch::BatchSpec s;
    QString tableError; // problems() names it
    if (auto table = items(&tableError)) {
        s.items = std::move(table->records);
        s.columns = table->columns;
        s.separator = fetch::separatorOf(m_request->itemFormat());
    }
    m_request->applyTo(s);
    s.urlTemplate = m_template->text().trimmed().replace(kDemoToken, kDemoForValidation);
    s.concurrency = m_concurrency->value();
    s.perHost = m_perHost->value();
    s.perHostAuto = m_autoPerHost->isChecked();
    s.breaker.failures = m_breaker->value();
    if (m_autoRate->isChecked())
        s.autoRate = async::AutoRateBounds{0, m_rate->value()};
    else
        s.ratePerHost = m_rate->value();
    s.timeout = std::chrono::milliseconds(m_timeoutMs->value());
    s.retries = m_retries->value();
    s.maxServerWait = std::chrono::seconds(m_maxWait->value());
    s.failFast = m_mode->currentIndex() == 1;
    QStringList ignored;
    s.fields = parsedFields(&ignored);
    s.compute = m_kinetics->isChecked() ? fetch::ComputeStage::Kinetics : fetch::ComputeStage::None;
    return s;
}

QList<fetch::SpecProblem> BatchForm::problems() const {
    QStringList fieldErrors;
    const auto fields = parsedFields(&fieldErrors); // parsed for its errors only
    Q_UNUSED(fields)
    auto list = fetch::validate(spec());
    if (QString error; !items(&error)) {
        list.removeIf(
            [](const fetch::SpecProblem &p) { return p.field == QLatin1String("items"); });
        list.prepend({QStringLiteral("items"), error});
    }
    for (const auto &e : fieldErrors)
        list.append({QStringLiteral("fields"), e});
    return list;
}

void BatchForm::showRateMeaning() {
    const bool learned = m_autoRate->isChecked();
    m_rate->setSpecialValueText(learned ? tr("no upper bound") : tr("no limit"));
    m_rate->setSuffix(learned ? tr(" req/s per host at most") : tr(" req/s per host"));
    m_rate->setToolTip(learned ? tr("The learned rate never goes above this; 0 means no bound")
                               : tr("0 means no rate limit"));
}

std::optional<fetch::ItemTable> BatchForm::items(QString *error) const {
    const auto format = m_request->itemFormat();
    if (format == fetch::ItemFormat::Lines)
        return fetch::ItemTable{{}, fetch::parseItemList(m_items->toPlainText())};
    auto table = fetch::parseItemTable(m_items->toPlainText(), format, error);
    if (!table)
        *error = tr("Items: %1").arg(*error);
    return table;
}

void BatchForm::revalidate() {
    QString ignored;
    const auto table = items(&ignored);
    const int count = table ? int(table->records.size()) : 0;
    const QStringList names =
        table && !table->columns.isEmpty() ? table->columns : QStringList{QStringLiteral("item")};
    m_itemCount->setText(tr("%n item(s)", nullptr, count) + tr(" · placeholders: ") + u'{' +
                         names.join(QStringLiteral("}, {")) + u'}');
    const auto list = problems();
    QStringList lines;
    for (const auto &p : list)
        lines << QStringLiteral("• ") + p.message;
    m_problems->setText(lines.join(u'\n'));
    m_problems->setVisible(!list.isEmpty());
    Q_EMIT validityChanged(list.isEmpty());
}

} // namespace vigil::widgets
