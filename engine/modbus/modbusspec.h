// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vigil::modbus {

/// @brief The four Modbus data tables, with the function code that reads each.
enum class Table { Holding, Input, Coil, Discrete };

/// @brief How a register sensor's words make a number.
enum class DataType { Int16, UInt16, Int32, UInt32, Float32, Int64, Float64 };

/// @brief The order of a value's bytes across its registers, written as for a 32-bit value
/// whose big-endian bytes are A B C D. ABCD is the Modbus standard (big-endian words, high word
/// first); CDAB swaps the words, BADC the bytes within each word, DCBA both. 64-bit values
/// extend the same rule to four words.
enum class WordOrder { ABCD, CDAB, BADC, DCBA };

/// The largest read the protocol allows: 125 registers, 2,000 bits.
inline constexpr int kMaxRegistersPerRead = 125;
inline constexpr int kMaxBitsPerRead = 2000;

/// @brief One register sensor's place on its device and how to turn its words into a value.
struct RegisterSpec {
    QString host;
    int port = 502;
    int unitId = 1;
    Table table = Table::Holding;
    int address = 0; ///< 0-based, as on the wire
    DataType dataType = DataType::UInt16;
    WordOrder wordOrder = WordOrder::ABCD;
    double scale = 1; ///< value = raw × scale + offset
    double offset = 0;
    /// The most registers (16× as many bits) one request of this device may read: some devices
    /// allow fewer than the protocol's 125.
    int maxPerRequest = kMaxRegistersPerRead;

    /// Registers (or bits) the value spans: 1, 2 or 4.
    [[nodiscard]] int count() const;
    [[nodiscard]] bool isBits() const { return table == Table::Coil || table == Table::Discrete; }
    bool operator==(const RegisterSpec &) const = default;
};

[[nodiscard]] QString tableName(Table table);     ///< "holding", "input", "coil", "discrete"
[[nodiscard]] QString typeName(DataType type);    ///< "int16" … "float64"
[[nodiscard]] QString orderName(WordOrder order); ///< "ABCD" …
[[nodiscard]] std::optional<Table> parseTable(const QString &name);
[[nodiscard]] std::optional<DataType> parseDataType(const QString &name);
[[nodiscard]] std::optional<WordOrder> parseWordOrder(const QString &name);
[[nodiscard]] QStringList tableNames();
[[nodiscard]] QStringList typeNames();
[[nodiscard]] QStringList orderNames();
/// Registers a value of @p type spans.
[[nodiscard]] int registerCount(DataType type);

/// @brief A table and 0-based address read from 1-based Modicon notation.
struct ModiconAddress {
    Table table;
    int address;
};
/// Reads Modicon notation: 00001–09999 coils, 10001–19999 discrete inputs, 30001–39999 input
/// and 40001–49999 holding registers, or six digits (400001–465536) for the whole range.
/// nullopt, with why in @p error, for anything else.
[[nodiscard]] std::optional<ModiconAddress> parseModicon(qint64 reference, QString *error);
/// The Modicon reference of @p table's 0-based @p address (six digits past 9999).
[[nodiscard]] qint64 modiconReference(Table table, int address);

/// The value @p words hold as @p type in @p order (words as read, first register first). Needs
/// registerCount(type) words.
[[nodiscard]] double decodeRegisters(const quint16 *words, DataType type, WordOrder order);
/// The registers that hold @p value as @p type in @p order: the inverse of decodeRegisters, for
/// Vigil's own demo server.
[[nodiscard]] QList<quint16> encodeRegisters(double value, DataType type, WordOrder order);

/// "illegal data address", … for a Modbus exception code; "" for one the standard lacks.
[[nodiscard]] QString exceptionName(int code);
/// "Modbus exception 2 (illegal data address)".
[[nodiscard]] QString exceptionText(int code);

/// The id of a register sensor: "modbus:host:port/unit/table/address/type[/order]".
[[nodiscard]] QString registerId(const RegisterSpec &spec);
/// Why @p spec cannot be read ("address: …"), or "" when it can: the field first, then a colon.
[[nodiscard]] QString registerSpecProblem(const RegisterSpec &spec);

} // namespace vigil::modbus
