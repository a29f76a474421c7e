// SPDX-License-Identifier: Apache-2.0
// `vigil journal merge`: the journals of a sharded batch, as one.
#include "clisupport.h"

#include "fetch/journalmerge.h"
#include "util/safefile.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace vigil::cli {

namespace {
/// The journals named on the command line; nullopt (and a message) when one cannot be read.
std::optional<QList<fetch::JournalInput>> readJournals(const QStringList &paths) {
    QList<fetch::JournalInput> inputs;
    for (const QString &path : paths) {
        if (const QString p = util::notRegularFileProblem(path); !p.isEmpty()) {
            usageError("journal merge", p);
            return std::nullopt;
        }
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            usageError("journal merge",
                       QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
            return std::nullopt;
        }
        inputs.append({path, f.readAll()});
    }
    return inputs;
}

int writeMerged(const fetch::MergedJournal &merged, const QString &outPath) {
    // Written whole, then renamed: a failed merge never leaves half a journal behind.
    QSaveFile out(outPath);
    if (!out.open(QIODevice::WriteOnly) || out.write(merged.toJsonl()) < 0 || !out.commit()) {
        err() << "vigil journal merge: cannot write " << outPath << ": " << out.errorString()
              << Qt::endl;
        return kExitFailed;
    }
    return kExitOk;
}
} // namespace

int runJournal(const QStringList &args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "merge JOURNAL... --out FILE: merge the JSONL journals of a sharded batch (vigil fetch "
        "--shard K/N --out ...) into one, each item once. An item in two journals with different "
        "results is a conflict: each is listed, the ok result is kept. Ends with one summary "
        "line. Exit code 0: merged; 1: conflicts, or the output could not be written; 2: usage "
        "error, or journals of different batches."));
    parser.addHelpOption();
    const QCommandLineOption outOption(
        QStringLiteral("out"), QStringLiteral("The merged journal (replaced if it exists)."),
        QStringLiteral("FILE.jsonl"));
    parser.addOption(outOption);
    parser.addPositionalArgument(QStringLiteral("merge"), QStringLiteral("The action: merge."));
    parser.addPositionalArgument(QStringLiteral("journals"), QStringLiteral("Journals to merge."),
                                 QStringLiteral("JOURNAL..."));
    if (const auto code = parseOrExit(parser, args, "journal"))
        return *code;
    QStringList paths = parser.positionalArguments();
    if (paths.isEmpty() || paths.takeFirst() != QLatin1String("merge"))
        return usageError("journal", QStringLiteral("the action is missing: vigil journal merge "
                                                    "A.jsonl B.jsonl ... --out all.jsonl"));
    if (paths.isEmpty())
        return usageError("journal merge", QStringLiteral("give the journals to merge"));
    if (!parser.isSet(outOption))
        return usageError("journal merge", QStringLiteral("--out FILE is required"));
    const QString outPath = QFileInfo(parser.value(outOption)).absoluteFilePath();
    for (const QString &path : std::as_const(paths)) {
        const QFileInfo in(path);
        if (in.absoluteFilePath() == outPath ||
            (in.exists() && in.canonicalFilePath() == QFileInfo(outPath).canonicalFilePath()))
            return usageError(
                "journal merge",
                QStringLiteral("--out must not be one of the journals (%1)").arg(path));
    }
    const auto inputs = readJournals(paths);
    if (!inputs)
        return kExitUsage;
    const fetch::MergedJournal merged = fetch::mergeJournals(*inputs);
    for (const QString &p : merged.problems)
        err() << "vigil journal merge: " << p << Qt::endl;
    if (!merged.problems.isEmpty())
        return kExitUsage;
    for (const QString &w : merged.warnings)
        err() << "vigil journal merge: warning: " << w << Qt::endl;
    if (merged.unreadableLines > 0)
        err() << "vigil journal merge: skipped " << merged.unreadableLines
              << " unreadable line(s) (half-written by a killed run)" << Qt::endl;
    for (const QString &c : merged.conflicts)
        err() << "vigil journal merge: conflict: " << c << Qt::endl;
    if (const int code = writeMerged(merged, parser.value(outOption)); code != kExitOk)
        return code;
    out() << merged.line(int(paths.size())) << Qt::endl;
    return merged.conflicts.isEmpty() ? kExitOk : kExitFailed;
}

} // namespace vigil::cli
