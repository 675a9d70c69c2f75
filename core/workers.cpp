#include "workers.h"

#include <QThread>
#include <QtGlobal>

#include <pthread.h>
#include <sched.h>
#include <system_error>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace Retort {

void Workers::relax()
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

Workers::Workers(int helpers)
{
#if defined(__linux__)
    // A new thread is queued on its creator's core, where it waits (a
    // millisecond or more, seen on 2-core machines) until the scheduler
    // moves it to an idle one. So each helper starts on another core of
    // those the process may use, and may run anywhere once it runs.
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    std::vector<int> others;
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
        const int here = sched_getcpu();
        for (int c = 0; c < CPU_SETSIZE; ++c) {
            if (CPU_ISSET(c, &allowed) && c != here)
                others.push_back(c);
        }
    }
#endif
    m_threads.reserve(size_t(qMax(0, helpers)));
    for (int h = 0; h < helpers; ++h) {
        try {
#if defined(__linux__)
            m_threads.emplace_back([this, h, allowed, others] {
                if (!others.empty()) {
                    // Not before the creator has set where it starts, which
                    // would otherwise stay its only core.
                    while (m_placed.load() <= h)
                        relax();
                    pthread_setaffinity_np(pthread_self(), sizeof allowed, &allowed);
                }
                run(h);
            });
            if (!others.empty()) {
                cpu_set_t start;
                CPU_ZERO(&start);
                CPU_SET(others[size_t(h) % others.size()], &start);
                pthread_setaffinity_np(m_threads.back().native_handle(), sizeof start, &start);
                m_placed.store(h + 1);
            }
#else
            m_threads.emplace_back([this, h] { run(h); });
#endif
        } catch (const std::system_error &) {
            break; // no thread to be had: the others (and the caller) do it all
        }
    }
}

Workers::~Workers()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_generation.fetch_add(1);
    }
    m_wake.notify_all();
    for (std::thread &t : m_threads)
        t.join();
}

int Workers::defaultHelpers()
{
    int threads = QThread::idealThreadCount();
    if (qEnvironmentVariableIsSet("RETORT_THREADS"))
        threads = qEnvironmentVariableIntValue("RETORT_THREADS");
    return qBound(0, threads - 1, 63);
}

namespace {
std::mutex prestartedMutex;
std::unique_ptr<Workers> prestarted;
} // namespace

void Workers::prestart()
{
    std::lock_guard lock(prestartedMutex);
    if (!prestarted)
        prestarted = std::make_unique<Workers>(defaultHelpers());
}

std::unique_ptr<Workers> Workers::takePrestarted()
{
    std::lock_guard lock(prestartedMutex);
    return std::move(prestarted);
}

void Workers::start(std::function<void(int)> job)
{
    if (m_threads.empty())
        return;
    std::lock_guard lock(m_mutex);
    m_job = std::move(job);
    m_finished.store(0);
    m_generation.fetch_add(1); // publishes m_job to the spinning helpers
    if (m_sleeping > 0)
        m_wake.notify_all();
}

void Workers::wait()
{
    const int all = int(m_threads.size());
    if (all == 0 || spinUntil([&] { return m_finished.load() == all; }))
        return;
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [&] { return m_finished.load() == all; });
}

void Workers::run(int helper)
{
    unsigned seen = 0;
    for (;;) {
        if (!spinUntil([&] { return m_generation.load() != seen; })) {
            std::unique_lock lock(m_mutex);
            ++m_sleeping;
            m_wake.wait(lock, [&] { return m_generation.load() != seen; });
            --m_sleeping;
        }
        std::function<void(int)> job;
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                return;
            seen = m_generation.load();
            job = m_job;
        }
        job(helper);
        if (m_finished.fetch_add(1) + 1 == int(m_threads.size())) {
            std::lock_guard lock(m_mutex);
            m_done.notify_all();
        }
    }
}

} // namespace Retort
