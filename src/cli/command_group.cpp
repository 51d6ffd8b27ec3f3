#include "cli/command_group.hpp"

#include <CLI/CLI.hpp>

#include "cli/suggestion.hpp"
#include "cli/usage_error.hpp"
#include "tlshop/error.hpp"

namespace tlshop::cli {

void make_command_group(CLI::App& group, const std::string& display_name) {
  group.require_subcommand(0, 1);
  group.allow_extras();
  group.callback([&group, display_name] {
    std::vector<std::string> extras = group.remaining();
    if (!extras.empty()) {
      std::vector<std::string> names;
      for (const CLI::App* command : group.get_subcommands({}))
        names.push_back(command->get_name());
      std::string meant;
      if (auto match = closest_match(extras.front(), names))
        meant = "; did you mean " + *match + "?";
      throw UsageError("unknown command '" + extras.front() + "'" + meant + " (see " +
                       display_name + " --help)");
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

void list_exit_codes(CLI::App& command, ExitCodes codes) {
  command.footer(codes == ExitCodes::kLocal
                     ? "Exit codes: 0 done, 1 error, 2 bad command line."
                     : "Exit codes: 0 done, 1 error, 2 bad command line, 3 server unreachable,\n"
                       "4 timeout, 5 refused by the server, 6 server not trusted (chain, name or\n"
                       "pin), 7 server error.");
  for (CLI::App* subcommand : command.get_subcommands({})) list_exit_codes(*subcommand, codes);
}

}  // namespace tlshop::cli
