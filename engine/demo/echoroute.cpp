// SPDX-License-Identifier: Apache-2.0
#include "demoparams.h"
#include "demoserver.h"
#include "exchange.h"

#include <QHttpServer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaEnum>

namespace vigil::demo {

void DemoServer::addEchoRoute() {
    // /echo/{id}: says back what it was sent, for batches that POST or PUT a body: the method,
    // the Content-Type, the body as text, and as JSON ("json") when it parses as JSON, else null.
    m_http->route(QStringLiteral("/echo/<arg>"), [this](const QString &id,
                                                        const QHttpServerRequest &req,
                                                        QHttpServerResponder &&r) {
        auto *ex = begin(req, std::move(r));
        const QByteArray method =
            QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(req.method()));
        QJsonParseError error{};
        const QJsonDocument body = QJsonDocument::fromJson(req.body(), &error);
        const QJsonValue json = error.error != QJsonParseError::NoError ? QJsonValue()
                                : body.isObject()                       ? QJsonValue(body.object())
                                                                        : QJsonValue(body.array());
        ex->respondJson(
            200, params::toJson({{QStringLiteral("id"), params::decoded(id)},
                                 {QStringLiteral("method"), QString::fromLatin1(method).toUpper()},
                                 {QStringLiteral("content_type"),
                                  QString::fromUtf8(req.value("Content-Type"))},
                                 {QStringLiteral("body"), QString::fromUtf8(req.body())},
                                 {QStringLiteral("json"), json}}));
    });
}

} // namespace vigil::demo
