// SPDX-License-Identifier: Apache-2.0
#include "shardflags.h"

#include "clisupport.h"

#include <QCommandLineParser>

namespace vigil::cli {

ShardFlags::ShardFlags()
    : m_shard(QStringLiteral("shard"),
              QStringLiteral("Run shard K of N (0 <= K < N) of the items, chosen by a stable hash "
                             "of each item; 'auto' reads K (and N) from a Kubernetes Indexed Job "
                             "or a Slurm array."),
              QStringLiteral("K/N"))
    , m_shards(QStringLiteral("shards"),
               QStringLiteral("With K from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID: run shard "
                              "K of N."),
               QStringLiteral("N")) {}

void ShardFlags::addTo(QCommandLineParser &parser) const {
    parser.addOptions({m_shard, m_shards});
}

std::optional<int> ShardFlags::read(const QCommandLineParser &parser, const char *command,
                                    std::optional<fetch::Shard> *shard) const {
    const QString value = parser.value(m_shard);
    QString error;
    if (parser.isSet(m_shard) && value != QLatin1String("auto")) {
        if (parser.isSet(m_shards))
            return usageError(command, QStringLiteral("give --shard K/N or --shards N, not both"));
        *shard = fetch::parseShard(value, &error);
        return *shard ? std::nullopt : std::optional<int>(usageError(command, error));
    }
    if (!parser.isSet(m_shard) && !parser.isSet(m_shards))
        return std::nullopt;
    int count = 0;
    if (parser.isSet(m_shards)) {
        bool ok = false;
        count = parser.value(m_shards).toInt(&ok);
        if (!ok || count < 1 || count > fetch::kMaxShards)
            return usageError(command, QStringLiteral("--shards must be a whole number from 1 to "
                                                      "%1")
                                           .arg(fetch::kMaxShards));
    }
    *shard = fetch::shardFromEnvironment(QProcessEnvironment::systemEnvironment(), count, &error);
    return *shard ? std::nullopt : std::optional<int>(usageError(command, error));
}

} // namespace vigil::cli
