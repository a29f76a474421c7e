// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "asynctest.h"
#include "promtool.h"

#include "util/childprocess.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace vigil::test {

/// @brief A private Prometheus (Debian's 2.42) for a test: a free loopback port, a temp config and
/// data dir, a 1 s scrape interval, and the scrape targets given. Never the system's 9090.
class PrometheusServer {
public:
    [[nodiscard]] static QString binary() {
        return QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    }

    /// Starts it scraping @p targets ("127.0.0.1:PORT", job "vigil") and itself (job "self");
    /// false with why() when it does not come up. @p webConfig, when given, is its
    /// --web.config.file (basic_auth_users); ready() then asks with @p readyAuth.
    bool start(const QStringList &targets, const QByteArray &webConfig = {},
               const QByteArray &readyAuth = {}) {
        m_readyAuth = readyAuth;
        m_port = util::freeLoopbackPort();
        QFile config(m_dir.filePath(QStringLiteral("prometheus.yml")));
        if (!config.open(QIODevice::WriteOnly))
            return fail(QStringLiteral("cannot write the config"));
        QStringList quoted;
        for (const QString &t : targets)
            quoted << u'"' + t + u'"';
        // Job "self": Prometheus scraping itself (up, prometheus_http_requests_total).
        config.write(QStringLiteral("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                    "scrape_configs:\n  - job_name: vigil\n    static_configs:\n"
                                    "      - targets: [%1]\n  - job_name: self\n"
                                    "    static_configs:\n      - targets: [\"127.0.0.1:%2\"]\n")
                         .arg(quoted.join(QStringLiteral(", ")))
                         .arg(m_port)
                         .toUtf8());
        config.close();
        QStringList args;
        if (!webConfig.isEmpty()) {
            QFile web(m_dir.filePath(QStringLiteral("web.yml")));
            if (!web.open(QIODevice::WriteOnly) || web.write(webConfig) < 0)
                return fail(QStringLiteral("cannot write the web config"));
            args << QStringLiteral("--web.config.file=") + web.fileName();
        }
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(
            binary(),
            args + QStringList{QStringLiteral("--config.file=") + config.fileName(),
                               QStringLiteral("--storage.tsdb.path=") +
                                   m_dir.filePath(QStringLiteral("data")),
                               QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
                               QStringLiteral("--log.level=warn")});
        if (!m_process.waitForStarted(10000))
            return fail(QStringLiteral("prometheus did not start"));
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30000) {
            spin(std::chrono::milliseconds(200));
            if (m_process.state() != QProcess::Running)
                return fail(QStringLiteral("prometheus exited: ") +
                            QString::fromUtf8(m_process.readAll()));
            if (ready())
                return true;
        }
        return fail(QStringLiteral("prometheus was not ready within 30 s"));
    }
    ~PrometheusServer() {
        if (m_process.state() != QProcess::NotRunning)
            util::stopChild(m_process);
    }

    /// http://127.0.0.1:PORT, no trailing slash.
    [[nodiscard]] QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    [[nodiscard]] const QString &why() const { return m_why; }

private:
    bool ready() const {
        net::HttpClient client;
        net::HttpRequest request;
        request.url = QUrl(url() + QStringLiteral("/-/ready"));
        if (!m_readyAuth.isEmpty())
            request.headers.append({QByteArrayLiteral("Authorization"), m_readyAuth});
        auto outcome = drive(client.send(request));
        return outcome.isOk() && outcome.value().status == 200;
    }
    bool fail(const QString &why) {
        m_why = why;
        return false;
    }

    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_why;
    QByteArray m_readyAuth;
};

} // namespace vigil::test
