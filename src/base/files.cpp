#include "base/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/staged_files.hpp"
#include "tlshop/error.hpp"

namespace tlshop {
namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw_system_error("cannot read " + path.string(), errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throw_system_error("cannot read " + path.string(), errno);
  if (!S_ISREG(info.st_mode)) throw Error("cannot read " + path.string() + ": not a regular file");
  if (static_cast<std::size_t>(info.st_size) > max_bytes) {
    throw Error("cannot read " + path.string() + ": larger than " + std::to_string(max_bytes) +
                " bytes");
  }
  std::string data(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::read(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_system_error("cannot read " + path.string(), errno);
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  data.resize(done);
  return data;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  StagedFiles files;
  files.stage(path, data, mode);
  files.commit();
}

std::string read_password_file(const std::filesystem::path& path) {
  std::string content = read_file(path, 64 * 1024);
  std::string password = content.substr(0, content.find('\n'));
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) throw Error("password file " + path.string() + " is empty");
  return password;
}

void sync_directory(const std::filesystem::path& directory) {
  std::filesystem::path dir = directory.empty() ? "." : directory;
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    throw_system_error("cannot sync directory " + dir.string(), errno);
  }
}

void require_writable_directory(const std::filesystem::path& directory, const std::string& what) {
  if (::access(directory.c_str(), R_OK | W_OK | X_OK) != 0) {
    throw Error(what + " " + directory.string() + " cannot be read and written by this user (" +
                std::strerror(errno) + ")");
  }
}

void create_directories(const std::filesystem::path& directory, mode_t mode) {
  std::error_code ec;
  if (std::filesystem::is_directory(directory, ec)) return;
  if (directory.has_parent_path() && directory.parent_path() != directory) {
    create_directories(directory.parent_path(), mode);
  }
  if (::mkdir(directory.c_str(), mode) != 0 && errno != EEXIST) {
    throw_system_error("cannot create directory " + directory.string(), errno);
  }
}

}  // namespace tlshop
