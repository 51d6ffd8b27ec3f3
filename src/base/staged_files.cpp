#include "base/staged_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <random>
#include <set>

#include "base/files.hpp"
#include "tlshop/error.hpp"

namespace tlshop {
namespace {

std::filesystem::path temporary_name_for(const std::filesystem::path& target) {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, ".%016llx.tmp",
                static_cast<unsigned long long>(generator()));
  return target.parent_path() / ("." + target.filename().string() + suffix);
}

void write_all(int fd, std::string_view data, const std::filesystem::path& target) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_system_error("cannot write " + target.string(), errno);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::filesystem::path write_temporary(const std::filesystem::path& target, std::string_view data,
                                      mode_t mode) {
  std::filesystem::path temporary = temporary_name_for(target);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw_system_error("cannot write " + target.string(), errno);
  try {
    // The umask may have narrowed the mode; secrets must never end up wider than asked.
    if (::fchmod(fd, mode) != 0) throw_system_error("cannot write " + target.string(), errno);
    write_all(fd, data, target);
    if (::fsync(fd) != 0) throw_system_error("cannot write " + target.string(), errno);
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    int error_number = errno;
    ::unlink(temporary.c_str());
    throw_system_error("cannot write " + target.string(), error_number);
  }
  return temporary;
}

}  // namespace

StagedFiles::~StagedFiles() {
  for (const Staged& file : staged_) ::unlink(file.temporary.c_str());
}

void StagedFiles::stage(const std::filesystem::path& target, std::string_view data, mode_t mode) {
  staged_.push_back({write_temporary(target, data, mode), target});
}

void StagedFiles::commit() {
  std::set<std::filesystem::path> directories;
  for (const Staged& file : staged_) {
    if (::rename(file.temporary.c_str(), file.target.c_str()) != 0) {
      throw_system_error("cannot write " + file.target.string(), errno);
    }
    directories.insert(file.target.parent_path());
  }
  staged_.clear();
  for (const auto& directory : directories) sync_directory(directory);
}

}  // namespace tlshop
