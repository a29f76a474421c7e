// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/batchspec.h"
#include "fetch/itemtable.h"

#include <QUrl>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace vigil::widgets {

class RequestEditor;

/// @brief The batch form: preset, URL template, items, limits and result fields, validated as the
/// user types. Every problem is named next to the field it concerns.
class BatchForm : public QWidget {
    Q_OBJECT
public:
    enum Preset { PubChem, DemoCompounds, Kinetics, RateLimited, Custom };

    /// @p demoUrl starts the built-in demo API if needed and returns its base URL; it is called
    /// only when a batch runs with {demo} in its template.
    explicit BatchForm(std::function<QUrl()> demoUrl, QWidget *parent = nullptr);

    void applyPreset(Preset preset);
    /// The spec as the form stands, and every problem with it (empty when it can run). A
    /// template's {demo} stands for a loopback placeholder here: validating never starts the
    /// demo API.
    [[nodiscard]] fetch::BatchSpec spec() const;
    /// spec() with {demo} replaced by the demo API's address, which starts it if needed.
    [[nodiscard]] fetch::BatchSpec specToRun() const;
    [[nodiscard]] QList<fetch::SpecProblem> problems() const;
    [[nodiscard]] bool isValid() const { return problems().isEmpty(); }

    /// Loads items from a text file, one per line.
    bool loadItemsFile(const QString &path, QString *error);

    // Direct access for tests and scripted demos.
    QLineEdit *templateEdit() const { return m_template; }
    QPlainTextEdit *itemsEdit() const { return m_items; }
    QSpinBox *concurrencyBox() const { return m_concurrency; }
    /// Requests at once per host; 0: only the batch's concurrency.
    QSpinBox *perHostBox() const { return m_perHost; }
    /// Checked: each host's requests at once follow its latency, perHostBox() their bound.
    QCheckBox *autoPerHostBox() const { return m_autoPerHost; }
    /// Failures in a row that put a host in a time-out; 0: no breaker.
    QSpinBox *breakerBox() const { return m_breaker; }
    QDoubleSpinBox *rateBox() const { return m_rate; }
    /// Checked: each host's rate is learned, and rateBox() is its upper bound (0: none).
    QCheckBox *autoRateBox() const { return m_autoRate; }
    QSpinBox *timeoutBox() const { return m_timeoutMs; }
    QSpinBox *retriesBox() const { return m_retries; }
    QSpinBox *maxWaitBox() const { return m_maxWait; }
    QPlainTextEdit *fieldsEdit() const { return m_fields; }
    QLabel *problemsLabel() const { return m_problems; }
    /// The items' format, method, body and retry choice.
    RequestEditor *request() const { return m_request; }

Q_SIGNALS:
    void validityChanged(bool valid);

private:
    void revalidate();
    /// Every edit revalidates the form; the preset and Load buttons do their part.
    void connectEdits(QPushButton *loadButton);
    /// The per-host and breaker boxes' words: what 0 means, and their tooltips.
    void describeHostLimits();
    /// The rate box's words for what it means now: a fixed rate, or the learned rate's bound.
    void showRateMeaning();
    [[nodiscard]] QList<fetch::FieldSpec> parsedFields(QStringList *errors) const;
    /// The items as the format box reads them: a table's columns and records, or a plain list.
    [[nodiscard]] std::optional<fetch::ItemTable> items(QString *error) const;

    std::function<QUrl()> m_demoUrl;
    QComboBox *m_preset;
    QLineEdit *m_template;
    QPlainTextEdit *m_items;
    QLabel *m_itemCount;
    QSpinBox *m_concurrency;
    QSpinBox *m_perHost;
    QCheckBox *m_autoPerHost;
    QDoubleSpinBox *m_rate;
    QCheckBox *m_autoRate;
    QSpinBox *m_timeoutMs;
    QSpinBox *m_retries;
    QSpinBox *m_breaker;
    QSpinBox *m_maxWait;
    QComboBox *m_mode;
    QPlainTextEdit *m_fields;
    QCheckBox *m_kinetics;
    QLabel *m_problems;
    RequestEditor *m_request;
};

} // namespace vigil::widgets
