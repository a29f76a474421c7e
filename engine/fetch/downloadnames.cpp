// SPDX-License-Identifier: Apache-2.0
#include "downloadnames.h"

#include <QRegularExpression>

namespace vigil::fetch {

namespace {
const QStringList kReserved = {QStringLiteral("CON"), QStringLiteral("PRN"), QStringLiteral("AUX"),
                               QStringLiteral("NUL")};
constexpr int kMaxNameBytes = 200;

/// data.bin → data-2.bin; a name without an extension gets the number at the end.
QString numbered(const QString &name, int n) {
    if (n < 2)
        return name;
    const qsizetype dot = name.lastIndexOf(u'.');
    const QString stem = dot > 0 ? name.left(dot) : name;
    const QString ext = dot > 0 ? name.mid(dot) : QString();
    return stem + u'-' + QString::number(n) + ext;
}

QStringList partNames(const QString &stem) {
    return {stem, stem + QStringLiteral(".part"), stem + QStringLiteral(".part.json")};
}
} // namespace

bool BatchNames::freeFor(int owner, const QStringList &names) const {
    for (const QString &n : names)
        if (m_owners.value(n, owner) != owner)
            return false;
    return true;
}

void BatchNames::setFinal(int owner, const QString &name) {
    const QString old = m_finals.value(owner);
    if (!old.isEmpty() && old != name && m_owners.value(old, -1) == owner)
        m_owners.remove(old);
    m_owners.insert(name, owner);
    m_finals.insert(owner, name);
}

QString BatchNames::claimPart(int owner, const QString &stem) {
    if (stem.isEmpty())
        return stem;
    for (int n = 1;; ++n) {
        const QString candidate = numbered(stem, n);
        const QStringList names = partNames(candidate);
        if (!freeFor(owner, names))
            continue;
        for (const QString &name : names)
            m_owners.insert(name, owner);
        m_partFiles.insert(names[1]);
        m_partFiles.insert(names[2]);
        setFinal(owner, candidate);
        return candidate;
    }
}

QString BatchNames::claimFinal(int owner, const QString &name) {
    if (name.isEmpty())
        return name;
    for (int n = 1;; ++n) {
        const QString candidate = numbered(name, n);
        // Not even the owner's own STEM.part: renaming the data onto itself keeps nothing safe.
        if (m_partFiles.contains(candidate) || !freeFor(owner, {candidate}))
            continue;
        setFinal(owner, candidate);
        return candidate;
    }
}

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

QString fallbackFileName(int index) {
    return QStringLiteral("download-%1").arg(index + 1);
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
    // One convention with the summary's mb_per_s and the progress line's MB/s: M is 10^6.
    static const QRegularExpression rate(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*(?:([kKmMgG])(i?)B?)?\\s*$"));
    const auto m = rate.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    double value = m.captured(1).toDouble();
    const QString unit = m.captured(2).toUpper();
    const double base = m.captured(3).isEmpty() ? 1000.0 : 1024.0; // Ki, Mi, Gi: powers of 2
    const int power = unit == u"K" ? 1 : unit == u"M" ? 2 : unit == u"G" ? 3 : 0;
    for (int i = 0; i < power; ++i)
        value *= base;
    if (value < 1 || value > 1e13)
        return std::nullopt;
    return qint64(value);
}

} // namespace vigil::fetch
