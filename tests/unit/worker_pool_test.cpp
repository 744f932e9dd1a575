// worker_pool_test.cpp — the pooled workers behind parallelFor: every index runs exactly once,
// helpers run concurrently with the caller, nested use does not deadlock, exceptions reach the
// caller, and copies that start after the caller finished never touch its (gone) state.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/parallel_for.h"
#include "common/worker_pool.h"

using namespace basalt;

TEST(WorkerPool, EveryIndexRunsOnce) {
    for (size_t threads : {1u, 2u, 8u}) {
        std::vector<std::atomic<int>> hits(1000);
        parallelFor(hits.size(), threads, [&](size_t i) { hits[i].fetch_add(1); });
        for (auto& h : hits) EXPECT_EQ(h.load(), 1);
    }
}

TEST(WorkerPool, IndexesThatWaitForEachOtherAllRun) {
    // Stream 0 waits until stream 1 has started: the pool must start a worker even when the
    // caller is busy (a query's streams may hand blocks to one another).
    std::atomic<bool> second_started{false};
    parallelFor(2, 2, [&](size_t i) {
        if (i == 1) { second_started = true; return; }
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!second_started && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    });
    EXPECT_TRUE(second_started.load());
}

TEST(WorkerPool, NestedParallelForCompletes) {
    std::atomic<size_t> total{0};
    parallelFor(8, 4, [&](size_t) {
        parallelFor(16, 4, [&](size_t) { parallelFor(4, 2, [&](size_t) { total.fetch_add(1); }); });
    });
    EXPECT_EQ(total.load(), 8u * 16u * 4u);
}

TEST(WorkerPool, FirstExceptionReachesTheCaller) {
    std::atomic<size_t> ran{0};
    EXPECT_THROW(parallelFor(100, 4, [&](size_t i) {
                     ran.fetch_add(1);
                     if (i == 3) throw std::runtime_error("boom");
                 }),
                 std::runtime_error);
    EXPECT_LE(ran.load(), 100u);
    // A helper's exception too (the caller's own copy returns normally once a helper started).
    const auto caller = std::this_thread::get_id();
    std::atomic<bool> helper_started{false};
    EXPECT_THROW(runOnWorkers(1, [&] {
                     if (std::this_thread::get_id() != caller) {
                         helper_started = true;
                         throw std::logic_error("helper");
                     }
                     auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
                     while (!helper_started && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
                 }),
                 std::logic_error);
}

TEST(WorkerPool, LateCopiesNeverRun) {
    // Many short calls back to back: helpers that start after their caller returned must not run
    // the body (it refers to the caller's finished frame). The state checked lives on the heap.
    auto violations = std::make_shared<std::atomic<int>>(0);
    size_t copies = 0;
    for (int round = 0; round < 200; ++round) {
        auto returned = std::make_shared<std::atomic<bool>>(false);
        std::atomic<int> ran{0};
        runOnWorkers(3, [&ran, returned, violations] {
            if (returned->load()) violations->fetch_add(1);
            ran.fetch_add(1);
        });
        returned->store(true);
        copies += size_t(ran.load());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));   // late helpers start and drop their copies
    EXPECT_EQ(violations->load(), 0);
    EXPECT_GE(copies, 200u);   // the caller's copy always runs
}
