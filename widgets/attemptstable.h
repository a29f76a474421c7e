// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/attemptphases.h"

#include <QTableWidget>

namespace vigil::widgets {

/// @brief One item's attempts (and redirect hops), a row each, with every phase in milliseconds:
/// what a click on the waterfall shows.
class AttemptsTable : public QTableWidget {
    Q_OBJECT
public:
    explicit AttemptsTable(QWidget *parent = nullptr);

    /// Shows @p item's @p timeline, @p record selected; @p error is how the item ended.
    void showItem(const QString &item, const QString &error,
                  const QList<fetch::AttemptPhases> &timeline, int record);
    [[nodiscard]] QString caption() const { return m_caption; }

private:
    QString m_caption;
};

} // namespace vigil::widgets
