// SPDX-License-Identifier: Apache-2.0
#include "requesteditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>

namespace vigil::widgets {

RequestEditor::RequestEditor(QObject *parent)
    : QObject(parent)
    , m_format(new QComboBox)
    , m_method(new QComboBox)
    , m_body(new QPlainTextEdit)
    , m_contentType(new QLineEdit)
    , m_retryUnsafe(new QCheckBox(tr("Safe to retry"))) {
    m_format->addItems({tr("One per line"), tr("CSV, header first"), tr("TSV, header first")});
    m_format->setToolTip(tr("One per line: each item is {item}. A table's first line names its "
                            "columns; each is a {name} placeholder in the URL, the headers and "
                            "the body"));
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT")});
    m_body->setPlaceholderText(tr("Body template for POST or PUT, e.g. {\"query\": \"{item}\"}"));
    m_body->setMaximumHeight(70);
    m_body->setToolTip(tr("The same placeholders as the URL; in a JSON body each value is "
                          "escaped for a JSON string, in a form body percent-encoded"));
    m_retryUnsafe->setToolTip(tr("A POST is sent once, since a retry could do it twice; check "
                                 "this when the endpoint does no harm done twice"));
    reset();
    connect(m_format, &QComboBox::currentIndexChanged, this, &RequestEditor::changed);
    connect(m_method, &QComboBox::currentIndexChanged, this, [this] {
        m_retryUnsafe->setEnabled(m_method->currentText() == QLatin1String("POST"));
        Q_EMIT changed();
    });
    connect(m_body, &QPlainTextEdit::textChanged, this, &RequestEditor::changed);
    connect(m_contentType, &QLineEdit::textChanged, this, &RequestEditor::changed);
    connect(m_retryUnsafe, &QCheckBox::toggled, this, &RequestEditor::changed);
}

void RequestEditor::addRowsTo(QFormLayout &form) {
    auto *methodRow = new QHBoxLayout;
    methodRow->addWidget(m_method, 1);
    methodRow->addWidget(m_retryUnsafe);
    form.addRow(tr("Method"), methodRow);
    form.addRow(tr("Body"), m_body);
    form.addRow(tr("Content type"), m_contentType);
}

fetch::ItemFormat RequestEditor::itemFormat() const {
    return fetch::ItemFormat(m_format->currentIndex());
}

void RequestEditor::setItemFormat(fetch::ItemFormat format) {
    m_format->setCurrentIndex(int(format));
}

void RequestEditor::applyTo(fetch::BatchSpec &spec) const {
    spec.method = m_method->currentText().toLatin1();
    spec.bodyTemplate = m_body->toPlainText().trimmed();
    spec.contentType = m_contentType->text().trimmed();
    spec.retryUnsafe = m_retryUnsafe->isEnabled() && m_retryUnsafe->isChecked();
}

void RequestEditor::reset() {
    m_format->setCurrentIndex(int(fetch::ItemFormat::Lines));
    m_method->setCurrentIndex(0);
    m_body->clear();
    m_contentType->setText(QStringLiteral("application/json"));
    m_retryUnsafe->setChecked(false);
    m_retryUnsafe->setEnabled(false);
}

} // namespace vigil::widgets
