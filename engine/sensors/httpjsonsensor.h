// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sensor.h"

#include "net/httptypes.h"

#include <QUrl>

namespace vigil::net {
class HttpClient;
}

namespace vigil::sensors {

/// @brief The settings of an HTTP JSON sensor.
struct HttpJsonSpec {
    QString name;
    QString unit;
    QUrl url;
    QString pointer; ///< RFC 6901, e.g. /value
    net::RawHeaders headers;
    /// Header names the user marked secret: dropped on a redirect to another origin, like the
    /// names net::isSecretHeader() knows.
    QByteArrayList secretHeaders;
};

/// @brief A number from any JSON API: GET the URL, follow the JSON pointer.
///
/// Each failure is its own reading error: a timeout, an HTTP or network failure (unavailable),
/// or bad data (not JSON, no such pointer, not a number). Polling goes on either way.
class HttpJsonSensor : public Sensor {
public:
    /// @p id defaults to "http:" + url + "#" + pointer; a dashboard passes one without the URL's
    /// secrets, since ids are saved and shown.
    HttpJsonSensor(HttpJsonSpec spec, net::HttpClient &client, QString id = {});

    [[nodiscard]] QCoro::Task<double> read(std::stop_token token) override;
    [[nodiscard]] const HttpJsonSpec &spec() const { return m_spec; }

    /// The number at @p pointer in @p body, or a SensorError saying why not. Pure.
    [[nodiscard]] static double extract(const QByteArray &body, const QString &pointer);

private:
    HttpJsonSpec m_spec;
    net::HttpClient &m_client;
};

} // namespace vigil::sensors
