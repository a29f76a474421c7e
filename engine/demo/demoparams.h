// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

// The demo server's small helpers, shared by the files its routes live in.
namespace vigil::demo::params {

inline QByteArray toJson(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

inline QByteArray errorJson(const QString &message) {
    return toJson({{QStringLiteral("error"), message}});
}

/// The query's @p key as a whole number clamped to [lo, hi]; @p fallback when absent or not one.
inline int intParam(const QUrlQuery &q, const char *key, int fallback, int lo, int hi) {
    bool ok = false;
    const int v = q.queryItemValue(QLatin1String(key)).toInt(&ok);
    return ok ? std::clamp(v, lo, hi) : fallback;
}

/// A path argument as the client meant it (Qt hands it over still percent-encoded).
inline QString decoded(const QString &pathArg) {
    return QUrl::fromPercentEncoding(pathArg.toUtf8());
}

} // namespace vigil::demo::params
