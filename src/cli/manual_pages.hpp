#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>

namespace tlshop::cli {

// Writes the manual: a page for the program and each of its commands, from the same
// definitions as their --help (DIR/man1/tlshop.1, DIR/man1/tlshop-ca-issue.1, ...), and
// tlshop.toml(5) from the default configuration's comments (DIR/man5/tlshop.toml.5).
void write_manual_pages(const CLI::App& root, const std::filesystem::path& dir,
                        const std::string& version);

}  // namespace tlshop::cli
