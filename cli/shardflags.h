// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/shard.h"

#include <QCommandLineOption>

#include <optional>

class QCommandLineParser;

namespace vigil::cli {

/// @brief `--shard K/N | auto` and `--shards N` of fetch and download: this process runs one
/// part of the items, chosen by a stable hash of each item.
class ShardFlags {
public:
    ShardFlags();
    void addTo(QCommandLineParser &parser) const;
    /// The shard asked for, in @p shard (nullopt: the whole batch). Returns an exit code when the
    /// flags or the job array's environment are wrong.
    [[nodiscard]] std::optional<int> read(const QCommandLineParser &parser, const char *command,
                                          std::optional<fetch::Shard> *shard) const;

private:
    QCommandLineOption m_shard;
    QCommandLineOption m_shards;
};

} // namespace vigil::cli
