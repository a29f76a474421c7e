// SPDX-License-Identifier: Apache-2.0
#include "retryafter.h"

#include "util/digits.h"

#include <QList>

#include <array>

namespace vigil::async {

namespace {

constexpr std::array<const char *, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Retry-After beyond a day is a server bug, not a request we should honour literally.
constexpr qint64 kMaxDelaySeconds = 24 * 3600;

int monthNumber(QByteArrayView name) {
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (name == QByteArrayView(kMonths[i]))
            return int(i) + 1;
    }
    return 0;
}

std::optional<int> number(QByteArrayView digits, int minLen, int maxLen) {
    const auto value = util::parseDigits(digits, minLen, maxLen);
    return value ? std::optional<int>(int(*value)) : std::nullopt;
}

std::optional<QTime> clockTime(QByteArrayView text) {
    const auto parts = QByteArray(text.data(), text.size()).split(':');
    if (parts.size() != 3)
        return std::nullopt;
    const auto h = number(parts[0], 2, 2), m = number(parts[1], 2, 2), s = number(parts[2], 2, 2);
    if (!h || !m || !s)
        return std::nullopt;
    QTime t(*h, *m, *s);
    return t.isValid() ? std::optional(t) : std::nullopt;
}

std::optional<QDateTime> assemble(std::optional<int> year, int month, std::optional<int> day,
                                  std::optional<QTime> time) {
    if (!year || month == 0 || !day || !time)
        return std::nullopt;
    const QDate date(*year, month, *day);
    if (!date.isValid())
        return std::nullopt;
    return QDateTime(date, *time, Qt::UTC);
}

QList<QByteArray> words(QByteArrayView text) {
    QList<QByteArray> out;
    for (const auto &w : QByteArray(text.data(), text.size()).split(' ')) {
        if (!w.isEmpty())
            out.append(w);
    }
    return out;
}

} // namespace

QByteArray formatHttpDate(const QDateTime &utc) {
    static constexpr std::array<const char *, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                          "Fri", "Sat", "Sun"};
    const QDateTime t = utc.toUTC();
    const QDate d = t.date();
    const QTime c = t.time();
    return QByteArray(kDays[std::size_t(d.dayOfWeek() - 1)]) + ", " +
           QByteArray::number(d.day()).rightJustified(2, '0') + ' ' +
           kMonths[std::size_t(d.month() - 1)] + ' ' + QByteArray::number(d.year()) + ' ' +
           QByteArray::number(c.hour()).rightJustified(2, '0') + ':' +
           QByteArray::number(c.minute()).rightJustified(2, '0') + ':' +
           QByteArray::number(c.second()).rightJustified(2, '0') + " GMT";
}

std::optional<QDateTime> parseHttpDate(QByteArrayView text) {
    const auto w = words(text.trimmed());
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (w.size() == 6 && w[0].endsWith(',') && w[5] == "GMT")
        return assemble(number(w[3], 4, 4), monthNumber(w[2]), number(w[1], 2, 2), clockTime(w[4]));
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; two-digit years are taken as 19xx/20xx (RFC
    // 9110 7.1.1.1)
    if (w.size() == 4 && w[0].endsWith(',') && w[3] == "GMT") {
        const auto dmy = w[1].split('-');
        if (dmy.size() != 3)
            return std::nullopt;
        auto year = number(dmy[2], 2, 2);
        if (year)
            *year += *year < 70 ? 2000 : 1900;
        return assemble(year, monthNumber(dmy[1]), number(dmy[0], 2, 2), clockTime(w[2]));
    }
    // asctime: "Sun Nov  6 08:49:37 1994"
    if (w.size() == 5 && !w[0].endsWith(','))
        return assemble(number(w[4], 4, 4), monthNumber(w[1]), number(w[2], 1, 2), clockTime(w[3]));
    return std::nullopt;
}

std::optional<Clock::Duration> parseRetryAfter(QByteArrayView value, const QDateTime &nowUtc) {
    const QByteArrayView trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    if (const auto seconds = number(trimmed, 1, 9)) {
        if (*seconds > kMaxDelaySeconds)
            return std::nullopt;
        return std::chrono::seconds(*seconds);
    }
    const auto when = parseHttpDate(trimmed);
    if (!when)
        return std::nullopt;
    const qint64 ms = nowUtc.msecsTo(*when);
    if (ms > kMaxDelaySeconds * 1000)
        return std::nullopt;
    return std::chrono::milliseconds(std::max<qint64>(0, ms));
}

} // namespace vigil::async
