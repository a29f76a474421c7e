// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "demo/demoserver.h"

#include <QUrl>

#include <memory>

namespace vigil::test {

/// @brief The built-in demo API on a free loopback port, for a test class: start() in
/// initTestCase(), stop() in cleanupTestCase(), `->` for the server's counters.
class DemoFixture {
public:
    [[nodiscard]] bool start(quint32 seed) {
        m_server = std::make_unique<demo::DemoServer>(seed);
        return m_server->listen();
    }
    void stop() { m_server.reset(); }

    [[nodiscard]] demo::DemoServer *operator->() const { return m_server.get(); }
    [[nodiscard]] demo::DemoServer &server() const { return *m_server; }
    /// The server's base URL followed by @p pathAndQuery ("/item/1?ms=0").
    [[nodiscard]] QUrl url(const QString &pathAndQuery = {}) const {
        return QUrl(m_server->baseUrl().toString() + pathAndQuery);
    }

private:
    std::unique_ptr<demo::DemoServer> m_server;
};

} // namespace vigil::test
