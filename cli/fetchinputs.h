// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/itemtable.h"

#include <optional>

namespace vigil::cli {

/// The items of `--items SOURCE` (a file, or - for stdin) in @p format: for lines, a table
/// without columns. nullopt, with @p error naming the flag and the file, when they cannot be read.
[[nodiscard]] std::optional<fetch::ItemTable> readItems(const QString &source,
                                                        fetch::ItemFormat format, QString *error);

/// The body template `--body` gives: the text itself, or with `@FILE` the file's (16 MiB at most).
[[nodiscard]] std::optional<QString> readBody(const QString &value, QString *error);

} // namespace vigil::cli
