// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <optional>

namespace vigil::demo {

/// @brief One built-in compound, shaped like PubChem's property record.
struct Compound {
    int cid;
    const char *name;
    const char *formula;
    double weight;
    const char *iupac;
};

/// Looks a compound up by common name, case-insensitively ("Acetic Acid" finds "acetic acid").
[[nodiscard]] std::optional<Compound> findCompound(const QString &name);
/// The names of every built-in compound, for the offline preset's item list.
[[nodiscard]] QStringList compoundNames();

/// A deterministic first-order rate constant k (1/s) in [0.05, 0.5] for a kinetics item id.
[[nodiscard]] double rateConstantFor(const QString &id);

/// Fills @p out with bytes @p offset … @p offset+len of the demo byte stream: the same offset
/// always gives the same byte, so a resumed download can be checked against a fresh one.
void fillDemoBytes(char *out, qint64 offset, qint64 len);

} // namespace vigil::demo
