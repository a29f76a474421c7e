// SPDX-License-Identifier: Apache-2.0
#include "mqttplantdemo.h"

#include "dashboardview.h"
#include "mainwindow.h"

#include "async/clock.h"
#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "demo/mosquittoprocess.h"
#include "demo/mqttpublisher.h"

#include <QStatusBar>

#include <stdexcept>

namespace vigil::widgets {

MqttPlantDemo::MqttPlantDemo() = default;

MqttPlantDemo::~MqttPlantDemo() = default;

QCoro::Task<QString> MqttPlantDemo::start() {
    if (m_publisher)
        co_return m_broker->url();
    if (m_starting)
        throw std::runtime_error("the MQTT plant is starting");
    m_starting = true;
    auto broker = std::make_unique<demo::MosquittoProcess>();
    auto starting = broker->start();
    const bool started = co_await starting;
    m_starting = false;
    if (!started)
        throw std::runtime_error(broker->errorString().toStdString());
    m_broker = std::move(broker);
    m_publisher = std::make_unique<demo::MqttDemoPublisher>(
        async::Clock::system(), *mqtt::parseBrokerUrl(m_broker->url(), nullptr),
        demo::PublishPlan{});
    m_publisher->start();
    co_return m_broker->url();
}

QCoro::Task<> MqttPlantDemo::shutdown() {
    if (m_publisher) {
        auto stopping = m_publisher->stop();
        co_await stopping;
        m_publisher.reset();
    }
    if (m_broker)
        m_broker->stop();
}

QCoro::Task<> MainWindow::runMqttPlantDemo() {
    QString url;
    try {
        auto starting = m_mqttDemo->start();
        url = co_await starting;
    } catch (const std::exception &e) {
        const QString why = tr("MQTT plant demo: %1").arg(QString::fromStdString(e.what()));
        m_dashboard->addLogLine(why);
        statusBar()->showMessage(why, 30000);
        co_return;
    }
    auto applying = m_session->apply(demo::mqttPlantDashboard(url));
    co_await applying;
    const QString text = tr("MQTT plant: a private mosquitto on %1 (127.0.0.1 only) and Vigil's "
                            "publisher of plant/process/+, plant/pumps/+ and plant/vibration "
                            "(1 kHz), until Vigil quits")
                             .arg(url);
    m_dashboard->addLogLine(text);
    statusBar()->showMessage(text, 30000);
}

void MainWindow::runMqttPlantDemoInBackground() {
    if (!m_closing)
        m_tasks.spawn(runMqttPlantDemo());
}

} // namespace vigil::widgets
