#include "cli/documentation_commands.hpp"

#include <iostream>

#include "cli/manual_pages.hpp"
#include "cli/shell_completion.hpp"

namespace tlshop::cli {

void add_documentation_commands(CLI::App& app, Action& action, const std::string& version) {
  CLI::App* completion = app.add_subcommand(
      "completion",
      "print the completion script for bash or zsh (source <(tlshop completion bash))");
  auto shell = std::make_shared<std::string>();
  completion->add_option("shell", *shell, "bash or zsh")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh"}));
  run_after_parsing(*completion, action, [&app, shell] {
    std::cout << (*shell == "bash" ? bash_completion(app) : zsh_completion(app));
  });

  CLI::App* manual = app.add_subcommand("manual", "write the manual pages");
  manual->group("");
  auto out_dir = std::make_shared<std::string>();
  manual->add_option("--out-dir", *out_dir, "where to write man1/ and man5/")->required();
  run_after_parsing(*manual, action,
                    [&app, out_dir, version] { write_manual_pages(app, *out_dir, version); });
}

}  // namespace tlshop::cli
