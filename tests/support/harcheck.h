// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include <cmath>
#include <initializer_list>
#include <utility>

namespace vigil::test {

/// @brief Checks a file against the HAR 1.2 structure (Jan Odvarko's HAR 1.2 spec, which the
/// har-schema package encodes): every required field present with its type, and the rules a
/// schema cannot say. The timings send, wait and receive are not negative, the optional ones
/// are -1 or more, ssl is within connect, and `time` is their sum. Dates carry a zone, URLs are
/// absolute, and each pageref names a page. Returns the problems found, each with its path;
/// none means the file is a valid HAR.
class HarCheck {
public:
    [[nodiscard]] static QStringList problems(const QByteArray &bytes) {
        HarCheck c;
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return {QStringLiteral("not a JSON object: %1").arg(error.errorString())};
        const QJsonObject log = c.object(doc.object(), QStringLiteral("log"), QStringLiteral("$"));
        const QString at = QStringLiteral("log");
        if (c.string(log, QStringLiteral("version"), at) != QLatin1String("1.2"))
            c.fail(at, QStringLiteral("version is not 1.2"));
        c.names(c.object(log, QStringLiteral("creator"), at), at + QStringLiteral(".creator"));
        QSet<QString> pages;
        if (log.contains(QStringLiteral("pages"))) {
            const QJsonArray list = c.array(log, QStringLiteral("pages"), at);
            for (qsizetype i = 0; i < list.size(); ++i)
                pages.insert(c.page(list.at(i).toObject(), QStringLiteral("log.pages[%1]").arg(i)));
        }
        const QJsonArray entries = c.array(log, QStringLiteral("entries"), at);
        for (qsizetype i = 0; i < entries.size(); ++i)
            c.entry(entries.at(i).toObject(), pages, QStringLiteral("log.entries[%1]").arg(i));
        return c.m_problems;
    }

private:
    void fail(const QString &at, const QString &what) {
        m_problems << at + QStringLiteral(": ") + what;
    }

    bool has(const QJsonObject &o, const QString &key, const QString &at, QJsonValue::Type type) {
        if (!o.contains(key)) {
            fail(at, key + QStringLiteral(" is missing"));
            return false;
        }
        if (o.value(key).type() != type) {
            fail(at, key + QStringLiteral(" has the wrong type"));
            return false;
        }
        return true;
    }
    QString string(const QJsonObject &o, const QString &key, const QString &at) {
        return has(o, key, at, QJsonValue::String) ? o.value(key).toString() : QString();
    }
    double number(const QJsonObject &o, const QString &key, const QString &at) {
        return has(o, key, at, QJsonValue::Double) ? o.value(key).toDouble() : 0;
    }
    void integer(const QJsonObject &o, const QString &key, const QString &at) {
        const double v = number(o, key, at);
        if (v != std::floor(v))
            fail(at, key + QStringLiteral(" is not an integer"));
    }
    QJsonObject object(const QJsonObject &o, const QString &key, const QString &at) {
        return has(o, key, at, QJsonValue::Object) ? o.value(key).toObject() : QJsonObject();
    }
    QJsonArray array(const QJsonObject &o, const QString &key, const QString &at) {
        return has(o, key, at, QJsonValue::Array) ? o.value(key).toArray() : QJsonArray();
    }
    void names(const QJsonObject &o, const QString &at) {
        string(o, QStringLiteral("name"), at);
        string(o, QStringLiteral("version"), at);
    }
    void date(const QJsonObject &o, const QString &at) {
        static const QRegularExpression iso(
            QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$)"));
        if (!iso.match(string(o, QStringLiteral("startedDateTime"), at)).hasMatch())
            fail(at, QStringLiteral("startedDateTime is not ISO 8601 with a zone"));
    }
    void pairs(const QJsonObject &o, const QString &key, const QString &at) {
        const QJsonArray list = array(o, key, at);
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString here = QStringLiteral("%1.%2[%3]").arg(at, key).arg(i);
            string(list.at(i).toObject(), QStringLiteral("name"), here);
            string(list.at(i).toObject(), QStringLiteral("value"), here);
        }
    }
    QString page(const QJsonObject &p, const QString &at) {
        date(p, at);
        string(p, QStringLiteral("title"), at);
        object(p, QStringLiteral("pageTimings"), at);
        return string(p, QStringLiteral("id"), at);
    }
    void message(const QJsonObject &m, const QString &at) {
        string(m, QStringLiteral("httpVersion"), at);
        pairs(m, QStringLiteral("cookies"), at);
        pairs(m, QStringLiteral("headers"), at);
        integer(m, QStringLiteral("headersSize"), at);
        integer(m, QStringLiteral("bodySize"), at);
    }
    void entry(const QJsonObject &e, const QSet<QString> &pages, const QString &at) {
        date(e, at);
        if (e.contains(QStringLiteral("pageref")) &&
            !pages.contains(string(e, QStringLiteral("pageref"), at)))
            fail(at, QStringLiteral("pageref names no page"));
        const double time = number(e, QStringLiteral("time"), at);
        const QJsonObject request = object(e, QStringLiteral("request"), at);
        const QString rq = at + QStringLiteral(".request");
        string(request, QStringLiteral("method"), rq);
        const QUrl url(string(request, QStringLiteral("url"), rq));
        if (!url.isValid() || url.isRelative() || url.hasFragment())
            fail(rq, QStringLiteral("url is not absolute"));
        message(request, rq);
        pairs(request, QStringLiteral("queryString"), rq);
        const QJsonObject response = object(e, QStringLiteral("response"), at);
        const QString rs = at + QStringLiteral(".response");
        integer(response, QStringLiteral("status"), rs);
        string(response, QStringLiteral("statusText"), rs);
        string(response, QStringLiteral("redirectURL"), rs);
        message(response, rs);
        const QJsonObject content = object(response, QStringLiteral("content"), rs);
        integer(content, QStringLiteral("size"), rs + QStringLiteral(".content"));
        string(content, QStringLiteral("mimeType"), rs + QStringLiteral(".content"));
        object(e, QStringLiteral("cache"), at);
        timings(object(e, QStringLiteral("timings"), at), time, at + QStringLiteral(".timings"));
    }
    void timings(const QJsonObject &t, double time, const QString &at) {
        double sum = 0;
        for (const char *key : {"send", "wait", "receive"}) {
            const double v = number(t, QString::fromLatin1(key), at);
            if (v < 0)
                fail(at, QString::fromLatin1(key) + QStringLiteral(" is negative"));
            sum += v;
        }
        for (const char *key : {"blocked", "dns", "connect", "ssl"}) {
            const QString name = QString::fromLatin1(key);
            if (!t.contains(name))
                continue;
            const double v = number(t, name, at);
            if (v < -1 || (v < 0 && v != -1))
                fail(at, name + QStringLiteral(" is below -1"));
            if (name != QLatin1String("ssl") && v > 0)
                sum += v; // ssl is already in connect
        }
        if (t.value(QStringLiteral("ssl")).toDouble(-1) >
            t.value(QStringLiteral("connect")).toDouble(-1))
            fail(at, QStringLiteral("ssl is longer than connect, which includes it"));
        if (std::abs(sum - time) > 0.01)
            fail(at,
                 QStringLiteral("time %1 is not the sum of the timings, %2").arg(time).arg(sum));
    }

    QStringList m_problems;
};

} // namespace vigil::test
