// SPDX-License-Identifier: Apache-2.0
#include "jsonpointer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::net {

namespace {
QString unescapeToken(QStringView token, bool *ok) {
    QString out;
    out.reserve(token.size());
    for (qsizetype i = 0; i < token.size(); ++i) {
        if (token[i] != u'~') {
            out += token[i];
            continue;
        }
        if (i + 1 >= token.size() || (token[i + 1] != u'0' && token[i + 1] != u'1')) {
            *ok = false;
            return {};
        }
        out += token[i + 1] == u'0' ? u'~' : u'/';
        ++i;
    }
    *ok = true;
    return out;
}

bool fail(QString *error, const QString &message) {
    if (error)
        *error = message;
    return false;
}
} // namespace

QString jsonPointerSyntaxError(QStringView pointer) {
    if (pointer.isEmpty())
        return {};
    if (!pointer.startsWith(u'/'))
        return QStringLiteral("a JSON pointer must be empty or start with '/'");
    for (const auto token : pointer.mid(1).split(u'/')) {
        bool ok = false;
        unescapeToken(token, &ok);
        if (!ok)
            return QStringLiteral("'~' must be followed by 0 or 1 in \"%1\"").arg(token);
    }
    return {};
}

std::optional<QJsonValue> evaluateJsonPointer(const QJsonValue &root, QStringView pointer,
                                              QString *error) {
    if (const QString syntax = jsonPointerSyntaxError(pointer); !syntax.isEmpty()) {
        fail(error, syntax);
        return std::nullopt;
    }
    QJsonValue current = root;
    QString walked;
    if (pointer.isEmpty())
        return current;
    for (const auto raw : pointer.mid(1).split(u'/')) {
        bool ok = false;
        const QString token = unescapeToken(raw, &ok);
        if (current.isObject()) {
            const QJsonObject o = current.toObject();
            if (!o.contains(token)) {
                fail(error, QStringLiteral("no member \"%1\" at %2")
                                .arg(token, walked.isEmpty() ? QStringLiteral("/") : walked));
                return std::nullopt;
            }
            current = o.value(token);
        } else if (current.isArray()) {
            const QJsonArray a = current.toArray();
            const bool digits =
                !token.isEmpty() && std::all_of(token.begin(), token.end(), [](QChar c) {
                    return c.isDigit() && c.unicode() < 128;
                });
            if (!digits || (token.size() > 1 && token.startsWith(u'0')) || token.size() > 9) {
                fail(error,
                     QStringLiteral("\"%1\" is not an array index at %2").arg(token, walked));
                return std::nullopt;
            }
            const int index = token.toInt();
            if (index >= a.size()) {
                fail(error, QStringLiteral("index %1 is out of range (size %2) at %3")
                                .arg(index)
                                .arg(a.size())
                                .arg(walked));
                return std::nullopt;
            }
            current = a.at(index);
        } else {
            fail(error, QStringLiteral("cannot step into a %1 at %2")
                            .arg(current.isNull()     ? QStringLiteral("null")
                                 : current.isString() ? QStringLiteral("string")
                                 : current.isBool()   ? QStringLiteral("boolean")
                                                      : QStringLiteral("number"),
                                 walked.isEmpty() ? QStringLiteral("/") : walked));
            return std::nullopt;
        }
        walked += u'/' + raw.toString();
    }
    return current;
}

QString jsonValueText(const QJsonValue &value) {
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

} // namespace vigil::net
