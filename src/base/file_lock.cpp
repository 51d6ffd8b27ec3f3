#include "base/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "tlshop/error.hpp"

namespace tlshop {

FileLock::FileLock(const std::filesystem::path& path)
    : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
  if (fd_ < 0) throw_system_error("cannot lock " + path.string(), errno);
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    int error_number = errno;
    ::close(fd_);
    throw_system_error("cannot lock " + path.string(), error_number);
  }
}

FileLock::~FileLock() { ::close(fd_); }

}  // namespace tlshop
