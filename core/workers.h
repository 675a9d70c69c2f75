#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace Retort {

// Helper threads for one burst of work on all cores, such as loading a
// project: reading the files, then building the graph. They start at once
// and run what the caller hands them, one job after another. Between jobs
// a helper waits spinning for a while before it sleeps: a new thread, or
// one asleep on an idle core, can take a millisecond to run again (seen on
// 2-core virtual machines), more than many of the jobs take.
//
// Plain threads of their own rather than the pool's: a job may change what
// its thread is (the scanner gives its readers descriptor tables of their
// own), which a pool thread must not keep. They end with the object.
class Workers
{
public:
    // `helpers` threads besides the caller's (0: the caller does it all).
    explicit Workers(int helpers);
    Workers(const Workers &) = delete;
    Workers &operator=(const Workers &) = delete;
    ~Workers();

    // The helpers there are (fewer than asked when a thread could not be had).
    int helpers() const { return int(m_threads.size()); }

    // Every helper runs job(helper index) once; returns at once. The job
    // started before must have been waited for.
    void start(std::function<void(int helper)> job);
    // Returns when every helper has finished the job started last.
    void wait();

    // `a` on a helper and `b` on this thread; returns when both are done.
    // Without a helper both run here.
    template<typename A, typename B> void inParallel(A &&a, B &&b)
    {
        if (m_threads.empty()) {
            a();
            b();
            return;
        }
        start([&a](int helper) {
            if (helper == 0)
                a();
        });
        b();
        wait();
    }

    // For a job that gives the helpers descriptor tables of their own
    // (unshare(CLONE_FILES)): true the first time only. After such a job
    // the helpers no longer see files this thread opens, so they can serve
    // no other job on files.
    bool claimFiles() { return !m_filesClaimed.exchange(true); }

    // Spins until done() or about 5 ms have passed, whichever comes first;
    // returns done(). For waits expected to be short: sleeping instead can
    // cost a millisecond to wake from on an idle core.
    template<typename Done> static bool spinUntil(Done done)
    {
        const auto until = std::chrono::steady_clock::now() + kSpin;
        for (;;) {
            for (int i = 0; i < 64; ++i) {
                if (done())
                    return true;
                relax();
            }
            if (std::chrono::steady_clock::now() >= until)
                return done();
        }
    }

    // Starts defaultHelpers() helpers now, for the next project load in
    // this process to take (a thread can take a millisecond or more to first
    // run; started at the top of main() they are running by the time the
    // load begins). take() hands them over once; null when none were started.
    static void prestart();
    static std::unique_ptr<Workers> takePrestarted();

    // How many threads help by default: all cores but the caller's, or
    // RETORT_THREADS - 1 (RETORT_THREADS caps all threads, for measurements).
    static int defaultHelpers();

private:
    // Long enough to bridge the gaps between the jobs of one load, short
    // enough to cost nothing worth mentioning when no job comes.
    static constexpr std::chrono::microseconds kSpin{5000};
    static void relax();
    void run(int helper);

    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    std::function<void(int)> m_job;
    std::atomic<unsigned> m_generation{0}; // one more for every job started
    std::atomic<int> m_finished{0};        // helpers done with the current job
    int m_sleeping = 0;                    // helpers asleep on m_wake (under m_mutex)
    bool m_stopping = false;               // (under m_mutex)
    std::atomic<bool> m_filesClaimed{false};
    std::atomic<int> m_placed{0}; // helpers whose first core is set
};

} // namespace Retort
