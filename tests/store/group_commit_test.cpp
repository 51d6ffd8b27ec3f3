#include "store/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace tlshop::store {
namespace {

struct Job {
  int value = 0;
  int result = 0;
};

TEST(GroupCommit, ConcurrentJobsShareBatchesAndEachIsDoneOnce) {
  GroupCommit<Job> commits;
  std::atomic<int> batches{0}, jobs_run{0};
  std::vector<std::thread> threads;
  std::vector<Job> jobs(64);
  for (int i = 0; i < 64; ++i) {
    jobs[i].value = i;
    threads.emplace_back([&, i] {
      commits.submit(jobs[i], [&](std::span<Job* const> batch) {
        ++batches;
        // A slow commit, as a disk flush is: later arrivals queue up behind it.
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        for (Job* job : batch) {
          job->result = job->value * 2;
          ++jobs_run;
        }
      });
      // submit() returns only once the batch holding this job has committed.
      EXPECT_EQ(jobs[i].result, i * 2);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(jobs_run.load(), 64);
  EXPECT_LT(batches.load(), 64);
}

TEST(GroupCommit, AFailedCommitFailsEveryJobOfItsBatchOnly) {
  GroupCommit<Job> commits;
  Job failing{1, 0}, fine{2, 0};
  EXPECT_THROW(
      commits.submit(failing, [](std::span<Job* const>) { throw std::runtime_error("disk full"); }),
      std::runtime_error);
  commits.submit(fine, [](std::span<Job* const> batch) {
    for (Job* job : batch) job->result = job->value;
  });
  EXPECT_EQ(fine.result, 2);
}

}  // namespace
}  // namespace tlshop::store
