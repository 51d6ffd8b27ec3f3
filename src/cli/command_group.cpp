#include "cli/command_group.hpp"

#include <CLI/CLI.hpp>

#include "base/error.hpp"
#include "cli/usage_error.hpp"

namespace tlshop::cli {

void make_command_group(CLI::App& group, const std::string& display_name) {
  group.require_subcommand(0, 1);
  group.allow_extras();
  group.callback([&group, display_name] {
    std::vector<std::string> extras = group.remaining();
    if (!extras.empty()) {
      throw UsageError("unknown command '" + extras.front() + "' (see " + display_name +
                       " --help)");
    }
    if (group.get_subcommands().empty()) {
      std::string choices;
      for (const CLI::App* command : group.get_subcommands({})) {
        choices += (choices.empty() ? "" : ", ") + command->get_name();
      }
      throw UsageError(display_name + " needs a command: " + choices);
    }
  });
}

}  // namespace tlshop::cli
