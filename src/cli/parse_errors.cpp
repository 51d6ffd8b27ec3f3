#include "cli/parse_errors.hpp"

#include "cli/suggestion.hpp"

namespace tlshop::cli {
namespace {

// The subcommand the parser had reached, and its full name ("tlshop ca issue").
const CLI::App* deepest_command(const CLI::App& app, std::string& name) {
  const CLI::App* command = &app;
  name = app.get_name();
  while (!command->get_subcommands().empty()) {
    command = command->get_subcommands().front();
    name += " " + command->get_name();
  }
  return command;
}

std::vector<std::string> long_options(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

std::string unknown_option(const std::string& option, const CLI::App& command,
                           const std::string& name) {
  std::string text = name + " has no option " + option;
  std::string spelled = option.substr(0, option.find('='));
  if (auto meant = closest_match(spelled, long_options(command))) {
    text += "; did you mean " + *meant + "?";
  }
  return text + " (see " + name + " --help)";
}

}  // namespace

std::string describe_parse_error(const CLI::App& app, const CLI::ParseError& error) {
  std::string name;
  const CLI::App* command = deepest_command(app, name);
  // A misspelt option is the mistake to report even when the parser stopped at another
  // (a required option missing because it was misspelt).
  for (const std::string& extra : command->remaining()) {
    if (extra.size() > 2 && extra.rfind("--", 0) == 0) return unknown_option(extra, *command, name);
  }
  return std::string(error.what()) + " (see " + name + " --help)";
}

}  // namespace tlshop::cli
