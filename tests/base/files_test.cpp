#include "base/files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>
#include <vector>

#include "base/file_lock.hpp"
#include "base/staged_files.hpp"
#include "support/temp_dir.hpp"
#include "tlshop/error.hpp"

namespace tlshop {
namespace {

using ::testing::HasSubstr;

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  ::stat(path.c_str(), &info);
  return info.st_mode & 07777;
}

std::size_t entries_in(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                                std::filesystem::directory_iterator()));
}

TEST(Files, AtomicWriteReplacesContentAndLeavesNoTemporaryFile) {
  test::TempDir dir;
  write_file_atomically(dir / "a", "first");
  write_file_atomically(dir / "a", "second");
  EXPECT_EQ(read_file(dir / "a"), "second");
  EXPECT_EQ(entries_in(dir.path()), 1u);
}

TEST(Files, SecretFilesAreOwnerOnlyWhateverTheUmask) {
  test::TempDir dir;
  mode_t old = ::umask(0);
  write_file_atomically(dir / "key", "secret", kSecretFileMode);
  ::umask(old);
  EXPECT_EQ(mode_of(dir / "key"), 0600u);
}

TEST(Files, StagedFilesAreRemovedWithoutCommit) {
  test::TempDir dir;
  {
    StagedFiles files;
    files.stage(dir / "one", "1", kPublicFileMode);
    files.stage(dir / "two", "2", kPublicFileMode);
  }
  EXPECT_EQ(entries_in(dir.path()), 0u);
}

TEST(Files, StagedFilesAppearTogetherOnCommit) {
  test::TempDir dir;
  StagedFiles files;
  files.stage(dir / "one", "1", kPublicFileMode);
  files.stage(dir / "two", "2", kPublicFileMode);
  EXPECT_FALSE(std::filesystem::exists(dir / "one"));
  files.commit();
  EXPECT_EQ(read_file(dir / "one"), "1");
  EXPECT_EQ(read_file(dir / "two"), "2");
  EXPECT_EQ(entries_in(dir.path()), 2u);
}

TEST(Files, WritingIntoAMissingDirectoryNamesTheFile) {
  test::TempDir dir;
  try {
    write_file_atomically(dir / "missing" / "file", "x");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("missing/file"));
    EXPECT_THAT(e.what(), HasSubstr("No such file or directory"));
  }
}

TEST(Files, ReadRefusesMissingOversizedAndNonRegularFiles) {
  test::TempDir dir;
  write_file_atomically(dir / "big", std::string(100, 'x'));
  EXPECT_THROW(read_file(dir / "nope"), Error);
  EXPECT_THROW(read_file(dir / "big", 99), Error);
  EXPECT_EQ(read_file(dir / "big", 100).size(), 100u);
  EXPECT_THROW(read_file(dir.path()), Error);
}

TEST(Files, PasswordFileTakesTheFirstLineAndRefusesEmpty) {
  test::TempDir dir;
  write_file_atomically(dir / "pw", "s3cret pass\r\nsecond line\n");
  EXPECT_EQ(read_password_file(dir / "pw"), "s3cret pass");
  write_file_atomically(dir / "empty", "\n");
  EXPECT_THROW(read_password_file(dir / "empty"), Error);
}

TEST(FileLock, ExcludesConcurrentHolders) {
  test::TempDir dir;
  write_file_atomically(dir / "counter", "0");
  auto increment = [&] {
    for (int i = 0; i < 50; ++i) {
      FileLock lock(dir / "lock");
      int value = std::stoi(read_file(dir / "counter"));
      write_file_atomically(dir / "counter", std::to_string(value + 1));
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back(increment);
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(read_file(dir / "counter"), "200");
}

}  // namespace
}  // namespace tlshop
