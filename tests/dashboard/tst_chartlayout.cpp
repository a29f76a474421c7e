// SPDX-License-Identifier: Apache-2.0
#include "dashboard/chartlayout.h"

#include <QTest>

using namespace vigil::dashboard;

namespace {
// QT_NO_CAST_FROM_ASCII: the rows are written as C strings and converted here.
ChartGrid grid(std::initializer_list<std::initializer_list<const char *>> charts) {
    ChartGrid out;
    for (const auto &chart : charts) {
        QStringList ids;
        for (const char *id : chart)
            ids << QString::fromLatin1(id);
        out << ids;
    }
    return out;
}
} // namespace

Q_DECLARE_METATYPE(vigil::dashboard::ChartGrid)

/// The operator's chart edits, as pure functions on the grid.
class TestChartLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void move_data() {
        QTest::addColumn<ChartGrid>("before");
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("delta");
        QTest::addColumn<bool>("changed");
        QTest::addColumn<ChartGrid>("after");
        QTest::newRow("whole chart down") << grid({{"a"}, {"b"}, {"c"}}) << QStringLiteral("a") << 1
                                          << true << grid({{"b"}, {"a"}, {"c"}});
        QTest::newRow("whole chart up") << grid({{"a"}, {"b"}, {"c"}}) << QStringLiteral("c") << -1
                                        << true << grid({{"a"}, {"c"}, {"b"}});
        QTest::newRow("first chart cannot go up")
            << grid({{"a"}, {"b"}}) << QStringLiteral("a") << -1 << false << grid({{"a"}, {"b"}});
        QTest::newRow("last chart cannot go down")
            << grid({{"a"}, {"b"}}) << QStringLiteral("b") << 1 << false << grid({{"a"}, {"b"}});
        QTest::newRow("within a shared chart") << grid({{"a", "b"}, {"c"}}) << QStringLiteral("a")
                                               << 1 << true << grid({{"b", "a"}, {"c"}});
        QTest::newRow("end of a shared chart moves the chart")
            << grid({{"a", "b"}, {"c"}}) << QStringLiteral("b") << 1 << true
            << grid({{"c"}, {"a", "b"}});
        QTest::newRow("unknown id")
            << grid({{"a"}, {"b"}}) << QStringLiteral("x") << 1 << false << grid({{"a"}, {"b"}});
    }
    void move() {
        QFETCH(ChartGrid, before);
        QFETCH(QString, id);
        QFETCH(int, delta);
        QFETCH(bool, changed);
        QFETCH(ChartGrid, after);
        QCOMPARE(moveSeries(before, id, delta), changed);
        QCOMPARE(before, after);
    }

    void mergeSelection_data() {
        QTest::addColumn<ChartGrid>("before");
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<bool>("changed");
        QTest::addColumn<ChartGrid>("after");
        // A 2-column grid: "c" is below "a", and merging them must not pick "b", its left
        // neighbour.
        QTest::newRow("the chart above, not the left neighbour")
            << grid({{"a"}, {"b"}, {"c"}, {"d"}})
            << QStringList{QStringLiteral("a"), QStringLiteral("c")} << true
            << grid({{"a", "c"}, {"b"}, {"d"}});
        QTest::newRow("three into the first")
            << grid({{"a"}, {"b"}, {"c"}})
            << QStringList{QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("c")} << true
            << grid({{"b", "a", "c"}});
        QTest::newRow("into a shared chart")
            << grid({{"a", "b"}, {"c"}}) << QStringList{QStringLiteral("b"), QStringLiteral("c")}
            << true << grid({{"a", "b", "c"}});
        QTest::newRow("already together")
            << grid({{"a", "b"}, {"c"}}) << QStringList{QStringLiteral("a"), QStringLiteral("b")}
            << false << grid({{"a", "b"}, {"c"}});
        QTest::newRow("one is not a merge")
            << grid({{"a"}, {"b"}}) << QStringList{QStringLiteral("b")} << false
            << grid({{"a"}, {"b"}});
        QTest::newRow("unknown id")
            << grid({{"a"}, {"b"}}) << QStringList{QStringLiteral("a"), QStringLiteral("x")}
            << false << grid({{"a"}, {"b"}});
    }
    void mergeSelection() {
        QFETCH(ChartGrid, before);
        QFETCH(QStringList, ids);
        QFETCH(bool, changed);
        QFETCH(ChartGrid, after);
        QCOMPARE(mergeIntoChart(before, ids), changed);
        QCOMPARE(before, after);
    }

    void restoreAfterRemove_data() {
        QTest::addColumn<ChartGrid>("before");
        QTest::addColumn<QString>("id");
        QTest::addColumn<ChartGrid>("otherEdit"); // the grid after an edit made meanwhile, or empty
        QTest::addColumn<ChartGrid>("restored");
        QTest::newRow("own chart, middle") << grid({{"a"}, {"b"}, {"c"}}) << QStringLiteral("b")
                                           << ChartGrid() << grid({{"a"}, {"b"}, {"c"}});
        QTest::newRow("shared chart, middle")
            << grid({{"a", "b", "c"}, {"d"}}) << QStringLiteral("b") << ChartGrid()
            << grid({{"a", "b", "c"}, {"d"}});
        QTest::newRow("its chart moved meanwhile")
            << grid({{"a", "b"}, {"c"}}) << QStringLiteral("b") << grid({{"c"}, {"a"}})
            << grid({{"c"}, {"a", "b"}});
        QTest::newRow("its chart is gone") << grid({{"a", "b"}, {"c"}}) << QStringLiteral("b")
                                           << grid({{"c"}}) << grid({{"b"}, {"c"}});
        QTest::newRow("last chart")
            << grid({{"a"}, {"b"}}) << QStringLiteral("b") << ChartGrid() << grid({{"a"}, {"b"}});
    }
    void restoreAfterRemove() {
        QFETCH(ChartGrid, before);
        QFETCH(QString, id);
        QFETCH(ChartGrid, otherEdit);
        QFETCH(ChartGrid, restored);
        const ChartPlace place = placeOf(before, id);
        QStringList hidden;
        removeSeries(before, hidden, id);
        if (!otherEdit.isEmpty())
            before = otherEdit;
        ensureCharted(before, id); // the session adds a sensor in a chart of its own
        restoreSeries(before, id, place);
        QCOMPARE(before, restored);
    }

    void mergeAndSplit() {
        ChartGrid charts = grid({{"a"}, {"b"}, {"c"}});
        QVERIFY(!mergeIntoChart(charts, {QStringLiteral("a")})); // one id merges nothing
        QVERIFY(mergeIntoChart(charts, {QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(charts, grid({{"a", "b"}, {"c"}})); // b's empty chart is gone
        QVERIFY(mergeIntoChart(charts, {QStringLiteral("a"), QStringLiteral("c")}));
        QCOMPARE(charts, grid({{"a", "b", "c"}}));
        QVERIFY(splitIntoOwnChart(charts, QStringLiteral("b")));
        QCOMPARE(charts, grid({{"a", "c"}, {"b"}}));
        QVERIFY(!splitIntoOwnChart(charts, QStringLiteral("b"))); // already alone
        QVERIFY(!splitIntoOwnChart(charts, QStringLiteral("x")));
        QCOMPARE(charts, grid({{"a", "c"}, {"b"}}));
    }

    void hideAndShow() {
        QStringList hidden;
        QVERIFY(setSeriesHidden(hidden, QStringLiteral("a"), true));
        QVERIFY(!setSeriesHidden(hidden, QStringLiteral("a"), true)); // no duplicate
        QCOMPARE(hidden, QStringList{QStringLiteral("a")});
        QCOMPARE(shownIds(grid({{"a", "b"}, {"c"}}), hidden),
                 (QStringList{QStringLiteral("b"), QStringLiteral("c")}));
        QVERIFY(setSeriesHidden(hidden, QStringLiteral("a"), false));
        QVERIFY(hidden.isEmpty());
    }

    void removeAndEnsure() {
        ChartGrid charts = grid({{"a", "b"}, {"c"}});
        QStringList hidden{QStringLiteral("c")};
        removeSeries(charts, hidden, QStringLiteral("c"));
        QCOMPARE(charts, grid({{"a", "b"}}));
        QVERIFY(hidden.isEmpty());
        ensureCharted(charts, QStringLiteral("a"));
        QCOMPARE(charts, grid({{"a", "b"}}));
        ensureCharted(charts, QStringLiteral("d"));
        QCOMPARE(charts, grid({{"a", "b"}, {"d"}}));
    }

    void reconcile() {
        // The file's grouping survives for the sensors that exist; missing ones and repeats go;
        // sensors no chart names get charts of their own, in order.
        const ChartGrid file = grid({{"a", "gone", "b"}, {"gone"}, {"b", "c"}});
        const QStringList ids{QStringLiteral("c"), QStringLiteral("a"), QStringLiteral("b"),
                              QStringLiteral("d")};
        QCOMPARE(reconcileCharts(file, ids), grid({{"a", "b"}, {"c"}, {"d"}}));
        QCOMPARE(reconcileCharts({}, ids), grid({{"c"}, {"a"}, {"b"}, {"d"}}));
    }

    void columns() {
        QCOMPARE(gridColumns(0), 1);
        QCOMPARE(gridColumns(1), 1);
        QCOMPARE(gridColumns(2), 2);
        QCOMPARE(gridColumns(4), 2);
        QCOMPARE(gridColumns(5), 3);
        QCOMPARE(gridColumns(9), 3);
        QCOMPARE(gridColumns(10), 4);
    }

    void columnsFitTheWidth_data() {
        QTest::addColumn<int>("charts");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("expected");
        // 300 px charts 6 px apart: 4 need 1218 px.
        QTest::newRow("12 charts beside the side panel at 1600 px") << 12 << 1150 << 3;
        QTest::newRow("12 charts, full width") << 12 << 2000 << 4;
        QTest::newRow("exactly four") << 12 << 1218 << 4;
        QTest::newRow("one short of four") << 12 << 1217 << 3;
        QTest::newRow("narrower than one chart") << 12 << 200 << 1;
        QTest::newRow("few charts, wide") << 3 << 3000 << 2;
        QTest::newRow("none") << 0 << 1000 << 1;
    }

    void columnsFitTheWidth() {
        QFETCH(int, charts);
        QFETCH(int, width);
        QFETCH(int, expected);
        QCOMPARE(gridColumns(charts, width, 300, 6), expected);
    }
};

QTEST_GUILESS_MAIN(TestChartLayout)
#include "tst_chartlayout.moc"
