// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboard/dashboardconfig.h"
#include "mqtt/topicdiscovery.h"

#include <QDialog>

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace vigil::widgets {

/// @brief Add… → MQTT topic…: broker, credentials, TLS files, topic filter, fields, timestamp,
/// QoS and expected interval, checked as the user types by the dashboard file's own rules (the
/// message names the field). "Discover topics" listens to the filter for five seconds and lists
/// what sent, with rates; a click puts that topic in the filter. The password stays in memory.
class MqttSourceDialog : public QDialog {
    Q_OBJECT
public:
    /// Subscribes to a spec's filter for a while and calls back with what was seen.
    using DiscoverFn =
        std::function<void(mqtt::MqttSpec, std::function<void(const mqtt::Discovery &)>)>;

    explicit MqttSourceDialog(DiscoverFn discover, QWidget *parent = nullptr);

    /// The source as entered; nullopt with @p problem naming the field when it cannot work.
    [[nodiscard]] std::optional<dashboard::SensorConfig> config(QString *problem) const;

    [[nodiscard]] QLineEdit *brokerEdit() const { return m_broker; }
    [[nodiscard]] QLineEdit *topicEdit() const { return m_topic; }
    [[nodiscard]] QLineEdit *fieldsEdit() const { return m_fields; }
    [[nodiscard]] QLineEdit *passwordEdit() const { return m_password; }
    [[nodiscard]] QLineEdit *usernameEdit() const { return m_username; }
    [[nodiscard]] QPushButton *discoverButton() const { return m_discover; }
    [[nodiscard]] QListWidget *topicsList() const { return m_topics; }
    [[nodiscard]] QLabel *problemLabel() const { return m_problem; }
    [[nodiscard]] QPushButton *okButton() const { return m_ok; }

private:
    void check();
    void discover();
    void showDiscovery(const mqtt::Discovery &found);

    DiscoverFn m_discoverFn;
    QLineEdit *m_broker, *m_username, *m_password, *m_topic, *m_fields, *m_timestamp, *m_name,
        *m_unit, *m_ca, *m_cert, *m_key;
    QComboBox *m_qos;
    QSpinBox *m_interval;
    QPushButton *m_discover;
    QListWidget *m_topics;
    QLabel *m_problem;
    QPushButton *m_ok;
    bool m_discovering = false; // one discovery at a time: its answer fills the list
};

} // namespace vigil::widgets
