#pragma once

#include <filesystem>

namespace tlshop {

// An exclusive advisory lock (flock) on a file, held for the lifetime of the object.
// Separate processes, and separate FileLock objects in one process, exclude each other.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path);
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  int fd_;
};

}  // namespace tlshop
