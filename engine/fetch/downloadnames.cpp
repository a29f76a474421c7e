#include "downloadnames.h"

#include <QRegularExpression>

namespace vigil::fetch {

namespace {
const QStringList kReserved = {QStringLiteral("CON"), QStringLiteral("PRN"), QStringLiteral("AUX"),
                               QStringLiteral("NUL")};
constexpr int kMaxNameBytes = 200;
} // namespace

QString sanitizeFileName(const QString &name) {
    // Only the last segment of anything path-like counts: "../../etc/passwd" is "passwd".
    QString n = name;
    n.replace(u'\\', u'/');
    n = n.section(u'/', -1);
    QString out;
    for (const QChar c : n) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            continue;
        out += QStringLiteral(":*?\"<>|").contains(c) ? QChar(u'_') : c;
    }
    // Leading dots would hide the file or make "..", trailing dots and spaces vanish on Windows.
    while (out.startsWith(u'.') || out.startsWith(u' '))
        out.remove(0, 1);
    while (out.endsWith(u'.') || out.endsWith(u' '))
        out.chop(1);
    const QString stem = out.section(u'.', 0, 0).toUpper();
    static const QRegularExpression device(QStringLiteral("^(COM|LPT)[1-9]$"));
    if (kReserved.contains(stem) || device.match(stem).hasMatch())
        out.prepend(u'_');
    while (out.toUtf8().size() > kMaxNameBytes)
        out.chop(1);
    return out;
}

QString fileNameFromUrl(const QUrl &url) {
    const QString path = url.path(QUrl::FullyDecoded);
    if (path.endsWith(u'/'))
        return {};
    return sanitizeFileName(path.section(u'/', -1));
}

QString fileNameFromContentDisposition(QByteArrayView header) {
    const QString h = QString::fromUtf8(header);
    static const QRegularExpression extended(
        QStringLiteral(R"(filename\*\s*=\s*([^']*)'[^']*'([^;\s]+))"),
        QRegularExpression::CaseInsensitiveOption);
    if (const auto m = extended.match(h);
        m.hasMatch() && m.captured(1).compare(QLatin1String("UTF-8"), Qt::CaseInsensitive) == 0)
        return QUrl::fromPercentEncoding(m.captured(2).toLatin1());
    static const QRegularExpression quoted(
        QStringLiteral(R"re(filename\s*=\s*"((?:[^"\\]|\\.)*)")re"),
        QRegularExpression::CaseInsensitiveOption);
    if (const auto m = quoted.match(h); m.hasMatch())
        return m.captured(1).replace(QStringLiteral("\\\""), QStringLiteral("\""));
    static const QRegularExpression plain(QStringLiteral(R"(filename\s*=\s*([^;\s]+))"),
                                          QRegularExpression::CaseInsensitiveOption);
    if (const auto m = plain.match(h); m.hasMatch())
        return m.captured(1);
    return {};
}

bool isSha256Hex(const QString &text) {
    static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]{64}$"));
    return hex.match(text).hasMatch();
}

Sha256List parseSha256Sums(QByteArrayView text) {
    Sha256List out;
    int lineNo = 0;
    for (const QByteArray &raw : text.toByteArray().split('\n')) {
        ++lineNo;
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        // "<64 hex>  name" (text mode) or "<64 hex> *name" (binary mode)
        const QString digest = line.left(64);
        const QString rest = line.mid(64);
        if (!isSha256Hex(digest) || rest.size() < 2 || rest[0] != u' ' ||
            (rest[1] != u' ' && rest[1] != u'*')) {
            out.problems << QStringLiteral("line %1: not \"<sha256>  <file name>\"").arg(lineNo);
            out.problemLines << lineNo;
            continue;
        }
        const QString name = rest.mid(2);
        if (name.isEmpty()) {
            out.problems << QStringLiteral("line %1: no file name").arg(lineNo);
            out.problemLines << lineNo;
            continue;
        }
        out.digests.insert(name.section(u'/', -1), digest.toLower());
    }
    return out;
}

std::optional<qint64> parseByteRate(const QString &text) {
    static const QRegularExpression rate(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]?)\\s*$"));
    const auto m = rate.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    double value = m.captured(1).toDouble();
    const QChar unit = m.captured(2).isEmpty() ? QChar() : m.captured(2).at(0).toUpper();
    if (unit == u'K')
        value *= 1024;
    else if (unit == u'M')
        value *= 1024 * 1024;
    else if (unit == u'G')
        value *= 1024.0 * 1024 * 1024;
    if (value < 1 || value > 1e13)
        return std::nullopt;
    return qint64(value);
}

} // namespace vigil::fetch
