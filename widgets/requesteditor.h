// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/batchspec.h"
#include "fetch/itemtable.h"

#include <QObject>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLineEdit;
class QPlainTextEdit;

namespace vigil::widgets {

/// @brief The batch form's request rows: how the items are written (a value per line, or a CSV
/// or TSV table whose header names the placeholders), the method, the body template with its
/// content type, and whether a POST is safe to retry.
class RequestEditor : public QObject {
    Q_OBJECT
public:
    explicit RequestEditor(QObject *parent = nullptr);

    /// Adds the method, body and content-type rows to @p form.
    void addRowsTo(QFormLayout &form);
    /// The items' format box, for the row that shows the item count.
    [[nodiscard]] QComboBox *itemFormatBox() const { return m_format; }
    [[nodiscard]] fetch::ItemFormat itemFormat() const;
    void setItemFormat(fetch::ItemFormat format);
    /// Sets @p spec's method, body template, content type and retry choice.
    void applyTo(fetch::BatchSpec &spec) const;
    /// Back to a GET without a body and a plain item list (what every preset uses).
    void reset();

    QComboBox *methodBox() const { return m_method; }
    QPlainTextEdit *bodyEdit() const { return m_body; }
    QLineEdit *contentTypeEdit() const { return m_contentType; }
    QCheckBox *retryUnsafeBox() const { return m_retryUnsafe; }

Q_SIGNALS:
    void changed();

private:
    QComboBox *m_format;
    QComboBox *m_method;
    QPlainTextEdit *m_body;
    QLineEdit *m_contentType;
    QCheckBox *m_retryUnsafe;
};

} // namespace vigil::widgets
