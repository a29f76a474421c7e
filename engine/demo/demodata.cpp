// SPDX-License-Identifier: Apache-2.0
#include "demodata.h"

#include <QCryptographicHash>
#include <QStringList>

#include <array>

namespace vigil::demo {

namespace {
// Values as PubChem reports them (rounded weights), so the offline preset looks like the real one.
constexpr std::array kCompounds = {
    Compound{962, "water", "H2O", 18.015, "oxidane"},
    Compound{702, "ethanol", "C2H6O", 46.07, "ethanol"},
    Compound{887, "methanol", "CH4O", 32.042, "methanol"},
    Compound{180, "acetone", "C3H6O", 58.08, "propan-2-one"},
    Compound{241, "benzene", "C6H6", 78.11, "benzene"},
    Compound{1140, "toluene", "C7H8", 92.14, "toluene"},
    Compound{8058, "hexane", "C6H14", 86.18, "hexane"},
    Compound{176, "acetic acid", "C2H4O2", 60.05, "acetic acid"},
    Compound{222, "ammonia", "H3N", 17.031, "azane"},
    Compound{5793, "glucose", "C6H12O6", 180.16,
             "(3R,4S,5S,6R)-6-(hydroxymethyl)oxane-2,3,4,5-tetrol"},
    Compound{2519, "caffeine", "C8H10N4O2", 194.19, "1,3,7-trimethylpurine-2,6-dione"},
    Compound{2244, "aspirin", "C9H8O4", 180.16, "2-acetyloxybenzoic acid"},
    Compound{297, "methane", "CH4", 16.043, "methane"},
    Compound{6325, "ethylene", "C2H4", 28.05, "ethene"},
    Compound{6334, "propane", "C3H8", 44.1, "propane"},
    Compound{5234, "sodium chloride", "ClNa", 58.44, "sodium chloride"},
    Compound{1118, "sulfuric acid", "H2O4S", 98.08, "sulfuric acid"},
    Compound{1176, "urea", "CH4N2O", 60.056, "urea"},
    Compound{753, "glycerol", "C3H8O3", 92.09, "propane-1,2,3-triol"},
    Compound{280, "carbon dioxide", "CO2", 44.009, "carbon dioxide"},
    Compound{944, "nitric acid", "HNO3", 63.013, "nitric acid"},
    Compound{996, "phenol", "C6H6O", 94.11, "phenol"},
};
} // namespace

std::optional<Compound> findCompound(const QString &name) {
    const QString wanted = name.trimmed().toLower();
    for (const auto &c : kCompounds) {
        if (wanted == QLatin1String(c.name))
            return c;
    }
    return std::nullopt;
}

QStringList compoundNames() {
    QStringList names;
    for (const auto &c : kCompounds)
        names << QLatin1String(c.name);
    return names;
}

double rateConstantFor(const QString &id) {
    const QByteArray digest = QCryptographicHash::hash(id.toUtf8(), QCryptographicHash::Sha1);
    const auto bucket = (quint8(digest[0]) << 8 | quint8(digest[1])) % 1000;
    return 0.05 + 0.45 * double(bucket) / 999.0;
}

void fillDemoBytes(char *out, qint64 offset, qint64 len) {
    // Byte p is (p * 131) ^ (p >> 8) ^ (p >> 16) * 7 ^ (p >> 24) * 13, low 8 bits: it mixes the
    // position's low and high bits so no short period hides a misplaced chunk. The first term's
    // low byte depends on p's low byte only, and the others are constant over 256 aligned bytes:
    // a table XOR a constant per run, which the compiler vectorizes (the server's download cost
    // was mostly this loop, a byte at a time).
    static const auto lowTerm = [] {
        std::array<quint8, 256> t{};
        for (unsigned i = 0; i < 256; ++i)
            t[i] = quint8(i * 131u);
        return t;
    }();
    for (qint64 i = 0; i < len;) {
        const quint64 p = quint64(offset + i);
        const auto high = quint8((p >> 8) ^ (p >> 16) * 7u ^ (p >> 24) * 13u);
        const auto start = std::size_t(p & 0xFF);
        const qint64 run = std::min<qint64>(qint64(256 - start), len - i);
        for (qint64 j = 0; j < run; ++j)
            out[i + j] = char(lowTerm[start + std::size_t(j)] ^ high);
        i += run;
    }
}

} // namespace vigil::demo
