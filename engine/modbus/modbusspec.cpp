// SPDX-License-Identifier: Apache-2.0
#include "modbusspec.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace vigil::modbus {

namespace {
const std::array<const char *, 4> kTables = {"holding", "input", "coil", "discrete"};
const std::array<const char *, 7> kTypes = {"int16",   "uint16", "int32",  "uint32",
                                            "float32", "int64",  "float64"};
const std::array<const char *, 4> kOrders = {"ABCD", "CDAB", "BADC", "DCBA"};

template <typename Enum, std::size_t N>
std::optional<Enum> parseName(const std::array<const char *, N> &names, const QString &name) {
    for (std::size_t i = 0; i < N; ++i) {
        if (name == QLatin1String(names[i]))
            return Enum(i);
    }
    return std::nullopt;
}

template <std::size_t N> QStringList allNames(const std::array<const char *, N> &names) {
    QStringList out;
    for (const char *name : names)
        out << QString::fromLatin1(name);
    return out;
}

bool wordsReversed(WordOrder order) {
    return order == WordOrder::CDAB || order == WordOrder::DCBA;
}
bool bytesSwapped(WordOrder order) {
    return order == WordOrder::BADC || order == WordOrder::DCBA;
}

/// The value's bits, big-endian word first, from the words as they sit in the registers.
quint64 gather(const quint16 *words, int count, WordOrder order) {
    quint64 bits = 0;
    for (int i = 0; i < count; ++i) {
        quint16 w = words[wordsReversed(order) ? count - 1 - i : i];
        if (bytesSwapped(order))
            w = quint16((w >> 8) | (w << 8));
        bits = (bits << 16) | w;
    }
    return bits;
}
} // namespace

int registerCount(DataType type) {
    switch (type) {
    case DataType::Int16:
    case DataType::UInt16:
        return 1;
    case DataType::Int32:
    case DataType::UInt32:
    case DataType::Float32:
        return 2;
    case DataType::Int64:
    case DataType::Float64:
        return 4;
    }
    return 1;
}

int RegisterSpec::count() const {
    return isBits() ? 1 : registerCount(dataType);
}

QString tableName(Table table) {
    return QString::fromLatin1(kTables[std::size_t(table)]);
}
QString typeName(DataType type) {
    return QString::fromLatin1(kTypes[std::size_t(type)]);
}
QString orderName(WordOrder order) {
    return QString::fromLatin1(kOrders[std::size_t(order)]);
}
std::optional<Table> parseTable(const QString &name) {
    return parseName<Table>(kTables, name);
}
std::optional<DataType> parseDataType(const QString &name) {
    return parseName<DataType>(kTypes, name);
}
std::optional<WordOrder> parseWordOrder(const QString &name) {
    return parseName<WordOrder>(kOrders, name);
}
QStringList tableNames() {
    return allNames(kTables);
}
QStringList typeNames() {
    return allNames(kTypes);
}
QStringList orderNames() {
    return allNames(kOrders);
}

std::optional<ModiconAddress> parseModicon(qint64 reference, QString *error) {
    // The leading digit names the table; five digits reach 9999 registers, six 65536.
    const bool six = reference >= 100000;
    const qint64 base = six ? 100000 : 10000;
    const qint64 offset = reference % base;
    const std::optional<Table> table = [&]() -> std::optional<Table> {
        switch (reference / base) {
        case 0:
            return Table::Coil;
        case 1:
            return Table::Discrete;
        case 3:
            return Table::Input;
        case 4:
            return Table::Holding;
        default:
            return std::nullopt;
        }
    }();
    if (reference < 1 || reference > 465536 || !table || offset < 1 || offset > 65536) {
        if (error)
            *error = QStringLiteral("%1 is not a Modicon reference (00001–09999 coils, "
                                    "10001–19999 discrete inputs, 30001–39999 input and "
                                    "40001–49999 holding registers, or six digits such as 400001)")
                         .arg(reference);
        return std::nullopt;
    }
    return ModiconAddress{*table, int(offset - 1)};
}

qint64 modiconReference(Table table, int address) {
    const int digit = table == Table::Coil       ? 0
                      : table == Table::Discrete ? 1
                      : table == Table::Input    ? 3
                                                 : 4;
    const qint64 base = address + 1 > 9999 ? 100000 : 10000;
    return digit * base + address + 1;
}

double decodeRegisters(const quint16 *words, DataType type, WordOrder order) {
    const quint64 bits = gather(words, registerCount(type), order);
    switch (type) {
    case DataType::Int16:
        return double(qint16(quint16(bits)));
    case DataType::UInt16:
        return double(quint16(bits));
    case DataType::Int32:
        return double(qint32(quint32(bits)));
    case DataType::UInt32:
        return double(quint32(bits));
    case DataType::Float32:
        return double(std::bit_cast<float>(quint32(bits)));
    case DataType::Int64:
        return double(qint64(bits));
    case DataType::Float64:
        return std::bit_cast<double>(bits);
    }
    return 0;
}

QList<quint16> encodeRegisters(double value, DataType type, WordOrder order) {
    quint64 bits = 0;
    switch (type) {
    case DataType::Int16:
    case DataType::Int32:
    case DataType::Int64:
        bits = quint64(qint64(value));
        break;
    case DataType::UInt16:
    case DataType::UInt32:
        bits = quint64(value < 0 ? 0 : value);
        break;
    case DataType::Float32:
        bits = std::bit_cast<quint32>(float(value));
        break;
    case DataType::Float64:
        bits = std::bit_cast<quint64>(value);
        break;
    }
    const int count = registerCount(type);
    QList<quint16> bigEndian(count);
    for (int i = count - 1; i >= 0; --i, bits >>= 16)
        bigEndian[i] = quint16(bits);
    QList<quint16> out(count);
    for (int i = 0; i < count; ++i) {
        quint16 w = bigEndian[wordsReversed(order) ? count - 1 - i : i];
        if (bytesSwapped(order))
            w = quint16((w >> 8) | (w << 8));
        out[i] = w;
    }
    return out;
}

QString exceptionName(int code) {
    switch (code) {
    case 1:
        return QStringLiteral("illegal function");
    case 2:
        return QStringLiteral("illegal data address");
    case 3:
        return QStringLiteral("illegal data value");
    case 4:
        return QStringLiteral("server device failure");
    case 5:
        return QStringLiteral("acknowledge");
    case 6:
        return QStringLiteral("server device busy");
    case 8:
        return QStringLiteral("memory parity error");
    case 10:
        return QStringLiteral("gateway path unavailable");
    case 11:
        return QStringLiteral("gateway target device failed to respond");
    default:
        return {};
    }
}

QString exceptionText(int code) {
    const QString name = exceptionName(code);
    return name.isEmpty() ? QStringLiteral("Modbus exception %1").arg(code)
                          : QStringLiteral("Modbus exception %1 (%2)").arg(code).arg(name);
}

QString registerId(const RegisterSpec &s) {
    QString id = QStringLiteral("modbus:%1:%2/%3/%4/%5")
                     .arg(s.host)
                     .arg(s.port)
                     .arg(s.unitId)
                     .arg(tableName(s.table))
                     .arg(s.address);
    if (!s.isBits())
        id += u'/' + typeName(s.dataType);
    if (!s.isBits() && s.wordOrder != WordOrder::ABCD)
        id += u'/' + orderName(s.wordOrder);
    return id;
}

QString registerSpecProblem(const RegisterSpec &s) {
    if (s.host.trimmed().isEmpty())
        return QStringLiteral("host: must not be empty");
    // Qt's client joins host and port as "host:port": a colon (an IPv6 literal, or a port
    // written into the host) would name another address, or none.
    if (std::any_of(s.host.cbegin(), s.host.cend(),
                    [](QChar c) { return c == u'/' || c == u':' || c == u'@' || c.isSpace(); }))
        return QStringLiteral("host: must be a host name or an IPv4 address (the port is "
                              "\"port\")");
    if (s.port < 1 || s.port > 65535)
        return QStringLiteral("port: must be from 1 to 65535");
    if (s.unitId < 0 || s.unitId > 255)
        return QStringLiteral("unit_id: must be from 0 to 255");
    if (s.address < 0 || s.address + s.count() > 65536)
        return QStringLiteral("address: %1 %2 from %3 pass the last address, 65535")
            .arg(s.count())
            .arg(s.isBits() ? QStringLiteral("bit") : QStringLiteral("registers"))
            .arg(s.address);
    if (s.maxPerRequest < s.count() || s.maxPerRequest > kMaxRegistersPerRead)
        return QStringLiteral("max_per_request: must be from %1 to %2")
            .arg(s.count())
            .arg(kMaxRegistersPerRead);
    return {};
}

} // namespace vigil::modbus
