// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "compute/computepool.h"

#include <QTest>
#include <QThread>

using vigil::compute::ComputePool;
using vigil::compute::offload;
using vigil::test::drive;

namespace {
QCoro::Task<QThread *> threadOfJob() {
    auto job = [] { return QThread::currentThread(); };
    co_return co_await offload(job);
}

QCoro::Task<std::vector<double>> squares(std::vector<double> input) {
    auto job = [input] {
        std::vector<double> out(input.size());
        std::transform(input.begin(), input.end(), out.begin(), [](double x) { return x * x; });
        return out;
    };
    co_return co_await offload(job);
}

QCoro::Task<int> throwingJob() {
    auto job = []() -> int { throw std::domain_error("bad input"); };
    co_return co_await offload(job);
}

QCoro::Task<int> voidJob(std::atomic<int> &ran) {
    auto job = [&ran] { ran.fetch_add(1); };
    co_await offload(job);
    co_return ran.load();
}
} // namespace

class TestComputePool : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jobRunsOnThePoolNotTheGuiThread() {
        const auto thread = drive(threadOfJob());
        QVERIFY(thread.isOk());
        QVERIFY(thread.value() != QThread::currentThread());
        QVERIFY(thread.value() != nullptr);
    }

    void resultComesBackToTheCaller() {
        const auto r = drive(squares({1, 2, 3}));
        QCOMPARE(r.value(), (std::vector<double>{1, 4, 9}));
    }

    void exceptionIsRethrownAtTheAwait() {
        const auto r = drive(throwingJob());
        QVERIFY(r.failedWith<std::domain_error>());
        QCOMPARE(r.errorMessage(), QStringLiteral("bad input"));
    }

    void voidJobsAreAwaitable() {
        std::atomic<int> ran{0};
        QCOMPARE(drive(voidJob(ran)).value(), 1);
    }

    void poolIsDedicatedAndHasTwoThreadsAtLeast() {
        QVERIFY(&ComputePool::pool() != QThreadPool::globalInstance());
        QVERIFY(ComputePool::pool().maxThreadCount() >= 2);
    }
};

QTEST_GUILESS_MAIN(TestComputePool)
#include "tst_computepool.moc"
