// SPDX-License-Identifier: Apache-2.0
#include "headercheck.h"

#include <QStringList>

#include <algorithm>

namespace vigil::net {

namespace {
// RFC 9110 §5.6.2 tchar.
bool isTokenChar(char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

// One list for header names and query parameter names, so what is kept off disk and what is
// dropped on a redirect agree.
bool containsSecretWord(const QString &lowerName) {
    static const QStringList words = {QStringLiteral("key"),       QStringLiteral("token"),
                                      QStringLiteral("secret"),    QStringLiteral("passw"),
                                      QStringLiteral("auth"),      QStringLiteral("signature"),
                                      QStringLiteral("credential")};
    return std::any_of(words.begin(), words.end(),
                       [&](const QString &word) { return lowerName.contains(word); });
}
} // namespace

QString headerProblem(QByteArrayView name, QByteArrayView value) {
    if (name.isEmpty())
        return QStringLiteral("a header needs a name");
    for (const char c : name) {
        if (!isTokenChar(c))
            return QStringLiteral("the header name \"%1\" may hold only letters, digits and "
                                  "!#$%&'*+-.^_`|~")
                .arg(QString::fromLatin1(name.toByteArray().left(40).toPercentEncoding()));
    }
    const QString shown = QString::fromLatin1(name.toByteArray());
    if (value.contains('\r') || value.contains('\n'))
        return QStringLiteral("the value of %1 holds a line break (CR or LF), which would start "
                              "another header")
            .arg(shown);
    if (value.contains('\0'))
        return QStringLiteral("the value of %1 holds a NUL byte").arg(shown);
    return {};
}

bool isSecretHeader(QByteArrayView name, const QByteArrayList &markedSecret) {
    const QString lower = QString::fromLatin1(name).toLower();
    if (lower == QLatin1String("cookie") || containsSecretWord(lower))
        return true; // "auth" covers Authorization and Proxy-Authorization
    for (const QByteArray &marked : markedSecret) {
        if (marked.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isSecretQueryName(QStringView name) {
    static const QStringList whole = {QStringLiteral("sig"), QStringLiteral("pwd"),
                                      QStringLiteral("pass"), QStringLiteral("session"),
                                      QStringLiteral("sid")};
    const QString lower = name.toString().toLower();
    return whole.contains(lower) || containsSecretWord(lower);
}

} // namespace vigil::net
