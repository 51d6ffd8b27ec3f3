#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <type_traits>

namespace tlshop::cli {

// The work a command line asked for, run once the whole line has parsed; returns the
// exit code. Running after parsing means a typo anywhere on the line does nothing.
using Action = std::function<int()>;

// Makes `body` the action of `command` when it is chosen. body returns void (exit 0)
// or an int exit code.
template <typename Body>
void run_after_parsing(CLI::App& command, Action& action, Body body) {
  command.callback([&action, body] {
    action = [body]() -> int {
      if constexpr (std::is_void_v<std::invoke_result_t<Body>>) {
        body();
        return 0;
      } else {
        return body();
      }
    };
  });
}

// Makes `group` a command whose only job is to hold subcommands, so that a missing or
// misspelt subcommand gets a one-line answer naming the choices. Call it after adding
// the subcommands: CLI11 copies a parent's settings into subcommands added later.
void make_command_group(CLI::App& group, const std::string& display_name);

// The exit codes a command's help lists (for it and its subcommands): only the codes it
// can return. Offline commands (ca, admin, serve) never talk to a server.
enum class ExitCodes { kLocal, kNetwork };
void list_exit_codes(CLI::App& command, ExitCodes codes);

}  // namespace tlshop::cli
