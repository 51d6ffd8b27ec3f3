#include "store/group_commit.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace tlshop::store {
namespace {

struct Job {
  int value = 0;
  int result = 0;
};

TEST(GroupCommit, JobsArrivingDuringACommitShareTheNextBatch) {
  GroupCommit<Job> commits;
  std::vector<std::size_t> batch_sizes;  // written only by the committing thread
  auto run_batch = [&](std::span<Job* const> batch) {
    batch_sizes.push_back(batch.size());
    for (Job* job : batch) job->result = job->value * 2;
  };
  std::vector<Job> jobs(64);
  for (int i = 0; i < 64; ++i) jobs[i].value = i;

  std::vector<std::thread> later;
  // The first job's commit is slow, as a disk flush is: it lasts until the 63 others
  // have queued behind it, so they must all go in the second batch.
  commits.submit(jobs[0], [&](std::span<Job* const> batch) {
    for (int i = 1; i < 64; ++i) later.emplace_back([&, i] { commits.submit(jobs[i], run_batch); });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (commits.queued() < 63 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    run_batch(batch);
  });
  for (auto& thread : later) thread.join();

  EXPECT_EQ(batch_sizes, (std::vector<std::size_t>{1, 63}));
  // submit() returned only once the batch holding each job had committed.
  for (int i = 0; i < 64; ++i) EXPECT_EQ(jobs[i].result, i * 2) << i;
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
