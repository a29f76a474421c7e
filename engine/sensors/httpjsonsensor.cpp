// SPDX-License-Identifier: Apache-2.0
#include "httpjsonsensor.h"

#include "async/cancellation.h"
#include "net/httpclient.h"
#include "net/jsonpointer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace vigil::sensors {

HttpJsonSensor::HttpJsonSensor(HttpJsonSpec spec, net::HttpClient &client, QString id)
    : Sensor(id.isEmpty() ? QStringLiteral("http:") + spec.url.toString() + u'#' + spec.pointer
                          : std::move(id),
             spec.name, spec.unit, SensorKind::HttpJson)
    , m_spec(std::move(spec))
    , m_client(client) {}

double HttpJsonSensor::extract(const QByteArray &body, const QString &pointer) {
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        throw SensorError(ReadingError::BadData, QStringLiteral("not JSON: %1 at byte %2")
                                                     .arg(parseError.errorString())
                                                     .arg(parseError.offset));
    QString why;
    const QJsonValue root = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    const auto value = net::evaluateJsonPointer(root, pointer, &why);
    if (!value)
        throw SensorError(ReadingError::BadData, why);
    if (value->isDouble() && std::isfinite(value->toDouble()))
        return value->toDouble();
    if (value->isString()) {
        bool ok = false;
        const double v = value->toString().trimmed().toDouble(&ok);
        if (ok && std::isfinite(v))
            return v;
    }
    throw SensorError(ReadingError::BadData,
                      QStringLiteral("the value at %1 is not a number: %2")
                          .arg(pointer.isEmpty() ? QStringLiteral("/") : pointer,
                               net::jsonValueText(*value).left(60)));
}

QCoro::Task<double> HttpJsonSensor::read(std::stop_token token) {
    net::HttpRequest request;
    request.url = m_spec.url;
    request.headers = m_spec.headers;
    request.secretHeaders = m_spec.secretHeaders;
    request.timeout = timeout();
    request.maxBodyBytes = 4 * 1024 * 1024; // a sensor reading, not a download
    const auto response = co_await m_client.send(request, token);
    switch (response.error) {
    case net::HttpErrorKind::None:
        break;
    case net::HttpErrorKind::Timeout:
        throw SensorError(ReadingError::Timeout, response.errorMessage);
    case net::HttpErrorKind::Cancelled:
        throw async::Cancelled();
    default:
        throw SensorError(ReadingError::Unavailable, response.errorMessage);
    }
    co_return extract(response.body, m_spec.pointer);
}

} // namespace vigil::sensors
