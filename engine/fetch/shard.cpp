// SPDX-License-Identifier: Apache-2.0
#include "shard.h"

namespace vigil::fetch {

quint64 stableItemHash(QStringView item) {
    quint64 h = 14695981039346656037ULL; // FNV-1a 64 offset basis
    for (const char byte : item.toUtf8()) {
        h ^= quint64(quint8(byte));
        h *= 1099511628211ULL;
    }
    // splitmix64's finalizer
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

bool inShard(QStringView item, Shard shard) {
    return shard.count <= 1 || stableItemHash(item) % quint64(shard.count) == quint64(shard.index);
}

ItemList shardItems(const ItemList &items, Shard shard) {
    if (shard.count <= 1)
        return items;
    ItemList out;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString item = items.at(i);
        if (inShard(item, shard))
            out.append(item);
    }
    return out;
}

std::optional<Shard> parseShard(const QString &text, QString *error) {
    const qsizetype slash = text.indexOf(u'/');
    bool kOk = false;
    bool nOk = false;
    const int k = slash > 0 ? text.left(slash).toInt(&kOk) : -1;
    const int n = slash > 0 ? text.mid(slash + 1).toInt(&nOk) : 0;
    if (!kOk || !nOk || n < 1 || n > kMaxShards || k < 0 || k >= n) {
        *error = QStringLiteral("--shard takes K/N with 0 <= K < N <= %1 (shard K of N, counted "
                                "from 0), got '%2'")
                     .arg(kMaxShards)
                     .arg(text);
        return std::nullopt;
    }
    return Shard{k, n};
}

namespace {
std::optional<int> intVariable(const QProcessEnvironment &env, const char *name) {
    bool ok = false;
    const int value = env.value(QString::fromLatin1(name)).toInt(&ok);
    return ok ? std::optional<int>(value) : std::nullopt;
}

/// The Slurm array task's 0-based position: (ID - MIN) / STEP.
std::optional<int> slurmIndex(const QProcessEnvironment &env) {
    const auto id = intVariable(env, "SLURM_ARRAY_TASK_ID");
    if (!id)
        return std::nullopt;
    const int min = intVariable(env, "SLURM_ARRAY_TASK_MIN").value_or(0);
    const int step = std::max(1, intVariable(env, "SLURM_ARRAY_TASK_STEP").value_or(1));
    if ((*id - min) % step != 0)
        return -1; // not on the array's steps (a list such as 0,2,5): said as out of range
    return (*id - min) / step;
}
} // namespace

std::optional<Shard> shardFromEnvironment(const QProcessEnvironment &env, int shards,
                                          QString *error) {
    const auto k8s = intVariable(env, "JOB_COMPLETION_INDEX");
    const auto index = k8s ? k8s : slurmIndex(env);
    const char *from = k8s ? "JOB_COMPLETION_INDEX" : "SLURM_ARRAY_TASK_ID";
    if (!index) {
        *error = QStringLiteral("no shard index in the environment: JOB_COMPLETION_INDEX (a "
                                "Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (a Slurm array)");
        return std::nullopt;
    }
    const int count = shards > 0 ? shards : intVariable(env, "SLURM_ARRAY_TASK_COUNT").value_or(0);
    if (count < 1 || count > kMaxShards) {
        *error = QStringLiteral("no shard count: give --shards N (or run in a Slurm array, which "
                                "sets SLURM_ARRAY_TASK_COUNT)");
        return std::nullopt;
    }
    if (*index < 0 || *index >= count) {
        *error = QStringLiteral("%1 gives shard %2, which is not below the %3 shards")
                     .arg(QString::fromLatin1(from))
                     .arg(*index)
                     .arg(count);
        return std::nullopt;
    }
    return Shard{*index, count};
}

} // namespace vigil::fetch
