// SPDX-License-Identifier: Apache-2.0
// The keys of a Modbus register sensor in a dashboard file (type "modbus").
#include "configreader.h"

namespace vigil::dashboard::detail {

namespace {
/// Reads a key whose value is one of @p names into @p out.
template <typename Enum>
bool choice(Reader &r, const QString &key, const QStringList &names,
            std::optional<Enum> (*parse)(const QString &), Enum &out) {
    QString text;
    if (!r.string(key, text, false, 20))
        return false;
    if (!r.has(key))
        return true;
    const auto parsed = parse(text);
    if (!parsed)
        return r.fail(key, QStringLiteral("must be one of %1, not \"%2\"")
                               .arg(names.join(QStringLiteral(", ")), text));
    out = *parsed;
    return true;
}

/// "address" (0-based, as on the wire) or "modicon" (1-based, e.g. 40001, which names the
/// table too): one of them, said explicitly.
bool readAddress(Reader &r, modbus::RegisterSpec &m) {
    const bool zeroBased = r.has(QStringLiteral("address"));
    const bool modicon = r.has(QStringLiteral("modicon"));
    if (zeroBased == modicon)
        return r.fail(QStringLiteral("address"),
                      QStringLiteral("give either address (0-based) or modicon (1-based, such "
                                     "as 40001)"));
    if (zeroBased)
        return r.integer(QStringLiteral("address"), m.address, 0, 65535);
    double reference = 0;
    if (!r.number(QStringLiteral("modicon"), reference, 1, 465536))
        return false;
    QString why;
    const auto parsed = modbus::parseModicon(qint64(reference), &why);
    if (!parsed || reference != std::floor(reference))
        return r.fail(QStringLiteral("modicon"),
                      why.isEmpty() ? QStringLiteral("must be a whole number") : why);
    if (r.has(QStringLiteral("table")) && parsed->table != m.table)
        return r.fail(QStringLiteral("table"),
                      QStringLiteral("is %1, but modicon %2 is in the %3 table")
                          .arg(modbus::tableName(m.table))
                          .arg(qint64(reference))
                          .arg(modbus::tableName(parsed->table)));
    m.table = parsed->table;
    m.address = parsed->address;
    return true;
}
} // namespace

bool readModbusSensor(Reader &r, SensorConfig &s) {
    modbus::RegisterSpec &m = s.modbus;
    if (!r.string(QStringLiteral("host"), m.host, true, kMaxNameLength) ||
        !r.integer(QStringLiteral("port"), m.port, 1, 65535) ||
        !r.integer(QStringLiteral("unit_id"), m.unitId, 0, 255) ||
        !choice(r, QStringLiteral("table"), modbus::tableNames(), &modbus::parseTable, m.table) ||
        !readAddress(r, m) ||
        !choice(r, QStringLiteral("data_type"), modbus::typeNames(), &modbus::parseDataType,
                m.dataType) ||
        !choice(r, QStringLiteral("word_order"), modbus::orderNames(), &modbus::parseWordOrder,
                m.wordOrder) ||
        !r.number(QStringLiteral("scale"), m.scale, -1e12, 1e12) ||
        !r.number(QStringLiteral("offset"), m.offset, -1e12, 1e12) ||
        !r.integer(QStringLiteral("max_per_request"), m.maxPerRequest, 1,
                   modbus::kMaxRegistersPerRead))
        return false;
    if (m.isBits() && (r.has(QStringLiteral("data_type")) || r.has(QStringLiteral("word_order"))))
        return r.fail(
            r.has(QStringLiteral("data_type")) ? QStringLiteral("data_type")
                                               : QStringLiteral("word_order"),
            QStringLiteral("a %1 is one bit: leave it out").arg(modbus::tableName(m.table)));
    if (m.scale == 0)
        return r.fail(QStringLiteral("scale"), QStringLiteral("must not be 0"));
    if (const QString why = modbus::registerSpecProblem(m); !why.isEmpty()) {
        const qsizetype colon = why.indexOf(QLatin1String(": "));
        QString key = why.left(colon);
        if (key == QLatin1String("address") && r.has(QStringLiteral("modicon")))
            key = QStringLiteral("modicon"); // the key the file has
        return r.fail(key, why.mid(colon + 2));
    }
    return true;
}

void putModbusSensor(const SensorConfig &s, QJsonObject &o) {
    const modbus::RegisterSpec &m = s.modbus;
    const modbus::RegisterSpec defaults;
    o.insert(QStringLiteral("host"), m.host);
    o.insert(QStringLiteral("port"), m.port);
    o.insert(QStringLiteral("unit_id"), m.unitId);
    o.insert(QStringLiteral("table"), modbus::tableName(m.table));
    o.insert(QStringLiteral("address"), m.address);
    if (!m.isBits()) {
        o.insert(QStringLiteral("data_type"), modbus::typeName(m.dataType));
        o.insert(QStringLiteral("word_order"), modbus::orderName(m.wordOrder));
    }
    if (m.scale != defaults.scale)
        o.insert(QStringLiteral("scale"), m.scale);
    if (m.offset != defaults.offset)
        o.insert(QStringLiteral("offset"), m.offset);
    if (m.maxPerRequest != defaults.maxPerRequest)
        o.insert(QStringLiteral("max_per_request"), m.maxPerRequest);
}

} // namespace vigil::dashboard::detail
