#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>

namespace tlshop {

// File modes: secrets are readable by their owner only.
inline constexpr mode_t kPublicFileMode = 0644;
inline constexpr mode_t kSecretFileMode = 0600;

// Reads a whole regular file, refusing anything larger than max_bytes.
std::string read_file(const std::filesystem::path& path, std::size_t max_bytes = 1 << 20);

// Writes a file so that a crash leaves either the old content or the new, never a mix:
// the data goes to a temporary file in the same directory, is fsynced, renamed over
// the target, and the directory is fsynced.
void write_file_atomically(const std::filesystem::path& path, std::string_view data,
                           mode_t mode = kPublicFileMode);

// Reads a password from the first line of a file; refuses an empty one.
std::string read_password_file(const std::filesystem::path& path);

// fsync() on a directory, so that a rename or creation inside it is durable.
void sync_directory(const std::filesystem::path& directory);

// Creates a directory (and its parents) with the given mode if it does not exist.
void create_directories(const std::filesystem::path& directory, mode_t mode = 0755);

// Throws tlshop::Error ("the data directory D cannot be read and written by this user")
// unless this process may list, read and write the directory. `what` names it.
void require_writable_directory(const std::filesystem::path& directory, const std::string& what);

}  // namespace tlshop
