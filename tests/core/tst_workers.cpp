// Workers: helper threads that run job after job for one load. Real threads;
// what is checked is that every job runs exactly once on every helper, that
// wait() returns only after all of it, and that nothing is lost when the
// helpers have gone to sleep between jobs (past their spin).
#include "core/workers.h"

#include <QDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <unistd.h>

using namespace Retort;

class TestWorkers : public QObject
{
    Q_OBJECT

private slots:
    void everyHelperRunsEveryJobOnce_data()
    {
        QTest::addColumn<int>("helpers");
        QTest::addColumn<int>("jobs");
        QTest::newRow("one helper") << 1 << 3000;
        QTest::newRow("more helpers than cores") << 3 << 300;
    }
    void everyHelperRunsEveryJobOnce()
    {
        QFETCH(int, helpers);
        QFETCH(int, jobs);
        Workers workers(helpers);
        QCOMPARE(workers.helpers(), helpers);
        for (int job = 0; job < jobs; ++job) {
            std::atomic<int> runs{0};
            std::atomic<int> mask{0};
            workers.start([&](int helper) {
                runs.fetch_add(1);
                mask.fetch_or(1 << helper);
            });
            workers.wait();
            QCOMPARE(runs.load(), helpers);
            QCOMPARE(mask.load(), (1 << helpers) - 1);
        }
    }

    void waitWaitsForSlowJobs()
    {
        Workers workers(2);
        std::atomic<int> done{0};
        workers.start([&](int) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            done.fetch_add(1);
        });
        workers.wait();
        QCOMPARE(done.load(), 2);
    }

    // Past the spin the helpers sleep; a job must still wake them, and
    // wait() (which also stops spinning) must still see the end.
    void jobsAfterTheHelpersSleep()
    {
        Workers workers(2);
        for (int round = 0; round < 3; ++round) {
            std::this_thread::sleep_for(std::chrono::milliseconds(15));
            std::atomic<int> runs{0};
            workers.start([&](int) {
                std::this_thread::sleep_for(std::chrono::milliseconds(8));
                runs.fetch_add(1);
            });
            workers.wait();
            QCOMPARE(runs.load(), 2);
        }
    }

    void inParallelRunsBothOnTwoThreads()
    {
        Workers workers(1);
        std::thread::id a, b;
        for (int i = 0; i < 500; ++i) {
            int sum = 0;
            workers.inParallel([&] { a = std::this_thread::get_id(); },
                               [&] {
                                   b = std::this_thread::get_id();
                                   sum = 1;
                               });
            QCOMPARE(sum, 1);
            QVERIFY(a != b);
            QVERIFY(b == std::this_thread::get_id());
        }
    }

    void withoutHelpersTheCallerDoesItAll()
    {
        Workers none(0);
        QCOMPARE(none.helpers(), 0);
        int order = 0, a = 0, b = 0;
        none.inParallel([&] { a = ++order; }, [&] { b = ++order; });
        QCOMPARE(a, 1);
        QCOMPARE(b, 2);
        bool ran = false;
        none.start([&](int) { ran = true; });
        none.wait();
        QVERIFY(!ran);
    }

    // Helpers start on another core than their creator's, then may run on
    // any the process may use: none is left pinned.
    void helpersAreNotLeftPinned()
    {
        cpu_set_t allowed;
        QCOMPARE(sched_getaffinity(0, sizeof allowed, &allowed), 0);
        Workers workers(2);
        std::atomic<int> sameMask{0};
        workers.start([&](int) {
            cpu_set_t mine;
            if (sched_getaffinity(0, sizeof mine, &mine) == 0 && CPU_EQUAL(&mine, &allowed))
                sameMask.fetch_add(1);
        });
        workers.wait();
        QCOMPARE(sameMask.load(), 2);
    }

    void filesAreClaimedOnce()
    {
        Workers workers(1);
        QVERIFY(workers.claimFiles());
        QVERIFY(!workers.claimFiles());
    }

    void prestartedHelpersAreTakenOnce()
    {
        QVERIFY(!Workers::takePrestarted());
        qputenv("RETORT_THREADS", "3");
        Workers::prestart();
        qunsetenv("RETORT_THREADS");
        std::unique_ptr<Workers> taken = Workers::takePrestarted();
        QVERIFY(taken);
        QCOMPARE(taken->helpers(), 2);
        QVERIFY(!Workers::takePrestarted());
    }

    // The helpers end with the object, whether they spin or sleep then.
    void destroyedWhileAsleepOrSpinning()
    {
        auto threads = [] {
            return QDir(QStringLiteral("/proc/self/task"))
                .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                .size();
        };
        const qsizetype before = threads();
        {
            Workers spinning(2);
            QCOMPARE(threads(), before + 2);
        }
        QCOMPARE(threads(), before);
        {
            Workers sleeping(2);
            std::this_thread::sleep_for(std::chrono::milliseconds(15));
            QCOMPARE(threads(), before + 2);
        }
        QCOMPARE(threads(), before);
    }
};

QTEST_GUILESS_MAIN(TestWorkers)
#include "tst_workers.moc"
