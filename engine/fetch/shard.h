// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "batchspec.h"

#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace vigil::fetch {

/// @brief One part of a batch that runs as N processes (a Kubernetes Indexed Job, a Slurm job
/// array, or N shells): shard K of N takes the items whose stable hash is K modulo N.
///
/// The hash depends only on the item's text, so the same item always lands in the same shard,
/// on any machine and in any Vigil version, and each shard resumes from its own journal.
struct Shard {
    int index = 0; ///< 0-based, below count
    int count = 1;
    [[nodiscard]] QString label() const { return QStringLiteral("%1/%2").arg(index).arg(count); }
    bool operator==(const Shard &) const = default;
};

/// The most shards a batch can be split into.
constexpr int kMaxShards = 100'000;

/// 64-bit FNV-1a of the item's UTF-8 bytes, mixed with splitmix64's finalizer so that every
/// bit, the low ones modulo N included, depends on the whole item.
[[nodiscard]] quint64 stableItemHash(QStringView item);
[[nodiscard]] bool inShard(QStringView item, Shard shard);
/// The items of @p items in @p shard, in their order.
[[nodiscard]] ItemList shardItems(const ItemList &items, Shard shard);

/// Parses "K/N" (0 <= K < N); nullopt with @p error otherwise.
[[nodiscard]] std::optional<Shard> parseShard(const QString &text, QString *error);

/// The shard of a job array from @p env: the index from JOB_COMPLETION_INDEX (Kubernetes) or
/// SLURM_ARRAY_TASK_ID (counted from SLURM_ARRAY_TASK_MIN in steps of SLURM_ARRAY_TASK_STEP), the
/// count from @p shards when above 0, else SLURM_ARRAY_TASK_COUNT. nullopt with @p error naming
/// the variable that is missing or wrong. A Slurm array must be a range (0-3, 1-4, 0-12:4): a
/// list's tasks would leave shards unrun.
[[nodiscard]] std::optional<Shard> shardFromEnvironment(const QProcessEnvironment &env, int shards,
                                                        QString *error);

} // namespace vigil::fetch
