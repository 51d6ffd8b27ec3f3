#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>
#include <vector>

namespace tlshop {

// A set of files written together: stage() writes each to a durable temporary file
// next to its target, commit() renames them all into place. Files never committed are
// removed, so a failure before commit() leaves nothing behind.
class StagedFiles {
 public:
  StagedFiles() = default;
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;
  ~StagedFiles();

  void stage(const std::filesystem::path& target, std::string_view data, mode_t mode);
  void commit();

 private:
  struct Staged {
    std::filesystem::path temporary;
    std::filesystem::path target;
  };
  std::vector<Staged> staged_;
};

}  // namespace tlshop
