#pragma once

#include <condition_variable>
#include <exception>
#include <mutex>
#include <span>
#include <vector>

namespace tlshop::store {

// Lets writes from many threads share one commit, so that durability costs one disk
// flush per batch instead of one per write. The first thread to arrive while no batch
// is being committed commits everything queued so far, its own job included; the
// others wait and either find their job done or lead the next batch. Nobody returns
// before the commit holding its job has finished.
template <typename Job>
class GroupCommit {
 public:
  // run_batch(std::span<Job* const>) does every job in one transaction and commits it.
  // If it throws, every job of that batch fails with the same exception.
  template <typename RunBatch>
  void submit(Job& job, RunBatch&& run_batch) {
    Entry mine{&job, false, nullptr};
    std::unique_lock lock(mutex_);
    queue_.push_back(&mine);
    while (!mine.done) {
      if (committing_) {
        finished_.wait(lock);
        continue;
      }
      committing_ = true;
      std::vector<Entry*> batch;
      batch.swap(queue_);
      lock.unlock();
      std::exception_ptr error = run(batch, run_batch);
      lock.lock();
      for (Entry* entry : batch) {
        entry->error = error;
        entry->done = true;
      }
      committing_ = false;
      finished_.notify_all();
    }
    if (mine.error) std::rethrow_exception(mine.error);
  }

  // Jobs waiting for the next batch (not the one being committed).
  std::size_t queued() {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  struct Entry {
    Job* job;
    bool done = false;
    std::exception_ptr error;
  };

  template <typename RunBatch>
  static std::exception_ptr run(const std::vector<Entry*>& batch, RunBatch& run_batch) {
    std::vector<Job*> jobs;
    jobs.reserve(batch.size());
    for (Entry* entry : batch) jobs.push_back(entry->job);
    try {
      run_batch(std::span<Job* const>(jobs));
      return nullptr;
    } catch (...) {
      return std::current_exception();
    }
  }

  std::mutex mutex_;
  std::condition_variable finished_;
  std::vector<Entry*> queue_;
  bool committing_ = false;
};

}  // namespace tlshop::store
