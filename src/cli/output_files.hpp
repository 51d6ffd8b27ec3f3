#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "base/staged_files.hpp"

namespace tlshop::cli {

// Files a command hands to its user. Existing files are overwritten only when the user
// asked for it (--force), and if the command fails before commit() none of its files
// appear or change.
class OutputFiles {
 public:
  enum class Existing { kRefuse, kReplace };
  explicit OutputFiles(Existing existing = Existing::kRefuse) : existing_(existing) {}

  // Throws if path exists (unless it may be replaced; the message goes on with
  // `if_exists`) or its directory is missing or not writable, before any work.
  static void check_writable(const std::filesystem::path& path,
                             Existing existing = Existing::kRefuse,
                             std::string_view if_exists = "; remove it or choose another path");

  void stage(const std::filesystem::path& path, std::string_view data, mode_t mode);
  void commit() { staged_.commit(); }

 private:
  Existing existing_;
  StagedFiles staged_;
};

// A file name made from a certificate's name: "*" becomes "wildcard" and any character
// but letters, digits, '.', '-' and '_' becomes '_', so "*.shop.example" gives
// "wildcard.shop.example" and no name reaches outside the directory.
std::string file_stem_for(std::string_view name);

}  // namespace tlshop::cli
