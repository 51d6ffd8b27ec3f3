#include "cli/command_tree.hpp"

namespace tlshop::cli {

std::vector<const CLI::App*> listed_subcommands(const CLI::App& command) {
  return command.get_subcommands(
      [](const CLI::App* subcommand) { return !subcommand->get_group().empty(); });
}

std::vector<const CLI::Option*> listed_options(const CLI::App& command) {
  return command.get_options([](const CLI::Option* option) {
    return !option->get_positional() && !option->get_group().empty();
  });
}

std::string command_path(const CLI::App& command) {
  const CLI::App* parent = command.get_parent();
  return parent == nullptr ? command.get_name() : command_path(*parent) + " " + command.get_name();
}

std::string option_names(const CLI::Option& option) {
  std::string names;
  for (const std::string& name : option.get_snames()) names += (names.empty() ? "-" : ",-") + name;
  for (const std::string& name : option.get_lnames()) {
    names += (names.empty() ? "--" : ",--") + name;
  }
  return names;
}

bool takes_value(const CLI::Option& option) { return option.get_type_size() > 0; }

}  // namespace tlshop::cli
