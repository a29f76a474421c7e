// SPDX-License-Identifier: Apache-2.0
// Shards: which items a shard takes, where K and N come from, and merging shard journals.
#include "fetch/journal.h"
#include "fetch/journalmerge.h"
#include "fetch/shard.h"

#include <QJsonDocument>
#include <QTest>

using namespace vigil::fetch;

namespace {
QByteArray journal(const QString &shard, const QList<ItemResult> &results,
                   const QString &urlTemplate = QStringLiteral("http://h/{item}")) {
    BatchSpec spec;
    spec.urlTemplate = urlTemplate;
    spec.shard = shard;
    QByteArray out = QJsonDocument(journalHeader(spec)).toJson(QJsonDocument::Compact) + '\n';
    for (const ItemResult &r : results)
        out += QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact) + '\n';
    return out;
}

ItemResult result(const QString &item, ItemStatus status, int http = 200) {
    ItemResult r;
    r.item = item;
    r.index = 0;
    r.status = status;
    r.httpStatus = http;
    if (status != ItemStatus::Ok)
        r.error = QStringLiteral("HTTP %1").arg(http);
    return r;
}

QProcessEnvironment env(std::initializer_list<std::pair<const char *, const char *>> vars) {
    QProcessEnvironment e;
    for (const auto &[name, value] : vars)
        e.insert(QString::fromLatin1(name), QString::fromLatin1(value));
    return e;
}
} // namespace

class TestShard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theHashIsPinned() {
        // Computed independently (Python); a change here would move items between shards, and
        // a rerun after an upgrade would then refetch what another shard's journal holds.
        QCOMPARE(stableItemHash(u"42"), Q_UINT64_C(11828931283358464770));
        QCOMPARE(stableItemHash(u"sensor/ä"), Q_UINT64_C(1158303060616095547));
        QCOMPARE(stableItemHash(u""), Q_UINT64_C(17665956581633026203));
        QVERIFY(inShard(u"42", {2, 4}));
    }

    void everyItemIsInExactlyOneShardAndTheyAreBalanced() {
        const ItemList items = ItemList::range(10000);
        qsizetype total = 0;
        for (int k = 0; k < 8; ++k) {
            const ItemList part = shardItems(items, {k, 8});
            total += part.size();
            QVERIFY2(part.size() > 1100 && part.size() < 1400,
                     qPrintable(QString::number(part.size())));
            for (qsizetype i = 0; i < part.size(); ++i)
                QVERIFY(inShard(part.at(i), {k, 8}) && !inShard(part.at(i), {(k + 1) % 8, 8}));
        }
        QCOMPARE(total, 10000);
        QCOMPARE(shardItems(items, {0, 1}).size(), 10000);
    }

    void parsesKOfN() {
        QString error;
        QCOMPARE(parseShard(QStringLiteral("3/4"), &error), Shard({3, 4}));
        for (const char *bad : {"4/4", "-1/4", "1/0", "1", "a/b", "/4", "1/"}) {
            QVERIFY2(!parseShard(QString::fromLatin1(bad), &error), bad);
            QVERIFY(error.contains(QLatin1String("K/N")));
        }
    }

    void takesKAndNFromAJobArray() {
        QString error;
        QCOMPARE(shardFromEnvironment(env({{"JOB_COMPLETION_INDEX", "2"}}), 4, &error),
                 Shard({2, 4}));
        // Slurm's --array=1-4: IDs 1..4 are shards 0..3; --array=0-12:4 steps by 4.
        QCOMPARE(shardFromEnvironment(env({{"SLURM_ARRAY_TASK_ID", "3"},
                                           {"SLURM_ARRAY_TASK_MIN", "1"},
                                           {"SLURM_ARRAY_TASK_COUNT", "4"}}),
                                      0, &error),
                 Shard({2, 4}));
        QCOMPARE(shardFromEnvironment(env({{"SLURM_ARRAY_TASK_ID", "8"},
                                           {"SLURM_ARRAY_TASK_MIN", "0"},
                                           {"SLURM_ARRAY_TASK_STEP", "4"},
                                           {"SLURM_ARRAY_TASK_COUNT", "4"}}),
                                      0, &error),
                 Shard({2, 4}));
        QVERIFY(!shardFromEnvironment(env({}), 4, &error));
        QVERIFY(error.contains(QLatin1String("JOB_COMPLETION_INDEX")));
        QVERIFY(!shardFromEnvironment(env({{"JOB_COMPLETION_INDEX", "0"}}), 0, &error));
        QVERIFY(error.contains(QLatin1String("--shards N")));
        QVERIFY(!shardFromEnvironment(env({{"JOB_COMPLETION_INDEX", "4"}}), 4, &error));
        QVERIFY2(error.contains(QLatin1String("JOB_COMPLETION_INDEX gives shard 4")),
                 qPrintable(error));
    }

    void aShardNeverResumesFromAnotherShardsJournal() {
        BatchSpec spec;
        spec.urlTemplate = QStringLiteral("http://h/{item}");
        spec.shard = QStringLiteral("1/4");
        QCOMPARE(journalMismatch(parseJournal(journal(QStringLiteral("1/4"), {})), spec),
                 QString());
        QCOMPARE(journalMismatch(parseJournal(journal(QStringLiteral("2/4"), {})), spec),
                 QStringLiteral("it was written for shard 2/4"));
        QCOMPARE(journalMismatch(parseJournal(journal({}, {})), spec),
                 QStringLiteral("it was written for a whole batch, not a shard"));
        spec.shard.clear();
        QCOMPARE(journalMismatch(parseJournal(journal({}, {})), spec), QString());
    }

    void mergingKeepsEachItemOnceAndSaysWhatDisagrees() {
        const auto merged = mergeJournals(
            {{QStringLiteral("a"),
              journal(QStringLiteral("0/2"), {result(QStringLiteral("1"), ItemStatus::Failed, 500),
                                              result(QStringLiteral("2"), ItemStatus::Ok),
                                              result(QStringLiteral("1"), ItemStatus::Ok)})},
             {QStringLiteral("b"),
              journal(QStringLiteral("1/2"), {result(QStringLiteral("3"), ItemStatus::Ok),
                                              result(QStringLiteral("2"), ItemStatus::Ok),
                                              result(QStringLiteral("4"), ItemStatus::Ok)})},
             {QStringLiteral("c"),
              journal(QStringLiteral("1/2"),
                      {result(QStringLiteral("4"), ItemStatus::Failed, 503),
                       result(QStringLiteral("5"), ItemStatus::Failed, 404)})}});
        QVERIFY(merged.problems.isEmpty());
        QStringList items;
        for (const auto &r : merged.results)
            items << r.item + u':' + statusName(r.status);
        QCOMPARE(items, QStringList({QStringLiteral("1:ok"), QStringLiteral("2:ok"),
                                     QStringLiteral("3:ok"), QStringLiteral("4:ok"),
                                     QStringLiteral("5:failed")}));
        QCOMPARE(merged.results.last().rank, 5);
        QCOMPARE(merged.results.last().index, 4); // the merged list's, not a shard's
        QCOMPARE(merged.duplicates, 1);           // item 2, ok in both
        QCOMPARE(merged.conflicts,
                 QStringList({QStringLiteral("item 4: b: ok (HTTP 200); c: failed (HTTP 503): "
                                             "HTTP 503")}));
        QCOMPARE(merged.warnings, QStringList({QStringLiteral("b and c are both shard 1/2")}));
        QVERIFY(!merged.header.contains(QLatin1String("shard")));
        QCOMPARE(merged.line(3), QStringLiteral("merged journals=3 items=5 ok=4 not_ok=1 "
                                                "duplicates=1 conflicts=1"));
        // The merged journal reads back as one whole batch's.
        const JournalContents back = parseJournal(merged.toJsonl());
        QCOMPARE(back.results.size(), 5);
        BatchSpec whole;
        whole.urlTemplate = QStringLiteral("http://h/{item}");
        QCOMPARE(journalMismatch(back, whole), QString());
    }

    void journalsOfDifferentBatchesAreNotMerged() {
        const auto merged =
            mergeJournals({{QStringLiteral("a"), journal(QStringLiteral("0/2"), {})},
                           {QStringLiteral("b"),
                            journal(QStringLiteral("1/2"), {}, QStringLiteral("http://x/{item}"))},
                           {QStringLiteral("c"), QByteArray("{\"item\":\"1\"}\n")}});
        QCOMPARE(merged.problems,
                 QStringList({QStringLiteral("b was written for a different URL template than a"),
                              QStringLiteral("c is not a Vigil journal (no header line)")}));
        QVERIFY(merged.results.isEmpty());
    }

    void aMissingShardIsWarnedAbout() {
        const auto merged =
            mergeJournals({{QStringLiteral("a"), journal(QStringLiteral("0/3"), {})},
                           {QStringLiteral("c"), journal(QStringLiteral("2/3"), {})}});
        QCOMPARE(merged.warnings,
                 QStringList({QStringLiteral("shard(s) 1 of 3 are not among the "
                                             "journals: their items are missing")}));
    }
};

QTEST_GUILESS_MAIN(TestShard)
#include "tst_shard.moc"
