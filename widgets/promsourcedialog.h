// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboard/dashboardconfig.h"
#include "prometheus/promapi.h"

#include <QDialog>

#include <functional>
#include <optional>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace vigil::widgets {

/// @brief Add… → Prometheus query…: the server, the PromQL, how series are named, the unit, the
/// interval, and where a token or password comes from (an environment variable's name: the
/// secret itself is never typed here, saved or logged). Checked by the dashboard file's rules as
/// the user types; "Test query" asks the server once and lists the series, or shows Prometheus'
/// own error.
class PromSourceDialog : public QDialog {
    Q_OBJECT
public:
    /// Runs a source's query once and calls back with the result.
    using QueryFn = std::function<void(dashboard::SensorConfig,
                                       std::function<void(const prometheus::PromResult &)>)>;

    explicit PromSourceDialog(QueryFn query, QWidget *parent = nullptr);

    /// The source as entered; nullopt with @p problem naming the field when it cannot work.
    [[nodiscard]] std::optional<dashboard::SensorConfig> config(QString *problem) const;

    [[nodiscard]] QLineEdit *urlEdit() const { return m_url; }
    [[nodiscard]] QLineEdit *queryEdit() const { return m_query; }
    [[nodiscard]] QLineEdit *nameEdit() const { return m_name; }
    [[nodiscard]] QPushButton *testButton() const { return m_test; }
    [[nodiscard]] QListWidget *seriesList() const { return m_series; }
    [[nodiscard]] QLabel *problemLabel() const { return m_problem; }
    [[nodiscard]] QPushButton *okButton() const { return m_ok; }

private:
    void check();
    void test();
    void showResult(const prometheus::PromResult &result);

    QueryFn m_queryFn;
    QLineEdit *m_url, *m_query, *m_name, *m_unit, *m_tokenEnv, *m_username, *m_passwordEnv;
    QSpinBox *m_interval;
    QPushButton *m_test;
    QListWidget *m_series;
    QLabel *m_problem;
    QPushButton *m_ok;
    bool m_testing = false;
};

} // namespace vigil::widgets
