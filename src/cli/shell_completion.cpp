#include "cli/shell_completion.hpp"

#include <sstream>

#include "cli/command_tree.hpp"

namespace tlshop::cli {
namespace {

// What both shells need to know, as case patterns: which words are commands (PATH WORD
// makes a longer path), which options take a value (PATH OPTION), and what each path
// offers.
struct CompletionTables {
  std::vector<std::string> commands;            // "tlshop ca"
  std::vector<std::string> options_with_value;  // "tlshop ca issue --dir"
  struct Offer {
    std::string path;
    std::vector<std::pair<std::string, std::string>> words;  // word, description
  };
  std::vector<Offer> offers;
};

void collect(const CLI::App& command, CompletionTables& tables) {
  std::string path = command_path(command);
  CompletionTables::Offer offer{path, {}};
  for (const CLI::App* subcommand : listed_subcommands(command)) {
    tables.commands.push_back(path + " " + subcommand->get_name());
    offer.words.emplace_back(subcommand->get_name(), subcommand->get_description());
  }
  for (const CLI::Option* option : listed_options(command)) {
    for (const std::string& name : option->get_lnames()) {
      offer.words.emplace_back("--" + name, option->get_description());
      if (takes_value(*option)) tables.options_with_value.push_back(path + " --" + name);
    }
  }
  tables.offers.push_back(std::move(offer));
  for (const CLI::App* subcommand : listed_subcommands(command)) collect(*subcommand, tables);
}

CompletionTables tables_of(const CLI::App& root) {
  CompletionTables tables;
  collect(root, tables);
  return tables;
}

// "a"|"b"|"c", for a case pattern.
std::string alternatives(const std::vector<std::string>& words, const std::string& separator) {
  std::string out;
  for (const std::string& word : words)
    out += (out.empty() ? "\"" : separator + "\"") + word + "\"";
  return out;
}

// Single-quoted for the shell.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string bash_completion(const CLI::App& root) {
  CompletionTables tables = tables_of(root);
  std::ostringstream script;
  script << "# bash completion for tlshop, made by `tlshop completion bash`.\n"
         << "_tlshop() {\n"
         << "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
         << "  local cmdpath=tlshop i\n"
         << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         << "    case \"$cmdpath ${COMP_WORDS[i]}\" in\n"
         << "      " << alternatives(tables.commands, "|")
         << ") cmdpath+=\" ${COMP_WORDS[i]}\" ;;\n"
         << "    esac\n"
         << "  done\n"
         << "  case \"$cmdpath $prev\" in\n"
         << "    " << alternatives(tables.options_with_value, "|")
         << ")\n      COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
         << "  esac\n"
         << "  local words\n"
         << "  case $cmdpath in\n";
  for (const auto& offer : tables.offers) {
    std::string words;
    for (const auto& [word, description] : offer.words) words += (words.empty() ? "" : " ") + word;
    script << "    \"" << offer.path << "\") words=" << quoted(words) << " ;;\n";
  }
  script << "  esac\n"
         << "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         << "}\n"
         << "complete -F _tlshop tlshop\n";
  return script.str();
}

std::string zsh_completion(const CLI::App& root) {
  CompletionTables tables = tables_of(root);
  std::ostringstream script;
  script << "#compdef tlshop\n"
         << "# zsh completion for tlshop, made by `tlshop completion zsh`.\n"
         << "local cmdpath=tlshop prev=${words[CURRENT-1]} i\n"
         << "for ((i = 2; i < CURRENT; i++)); do\n"
         << "  case \"$cmdpath ${words[i]}\" in\n"
         << "    (" << alternatives(tables.commands, "|") << ") cmdpath+=\" ${words[i]}\" ;;\n"
         << "  esac\n"
         << "done\n"
         << "case \"$cmdpath $prev\" in\n"
         << "  (" << alternatives(tables.options_with_value, "|") << ") _files; return ;;\n"
         << "esac\n"
         << "local -a choices\n"
         << "case $cmdpath in\n";
  for (const auto& offer : tables.offers) {
    script << "  (\"" << offer.path << "\") choices=(";
    for (const auto& [word, description] : offer.words) {
      // _describe splits at the first unescaped colon.
      std::string escaped;
      for (char c : word) escaped += c == ':' ? std::string("\\:") : std::string(1, c);
      script << "\n    " << quoted(escaped + ":" + description);
    }
    script << ") ;;\n";
  }
  script << "esac\n"
         << "_describe -t commands tlshop choices\n";
  return script.str();
}

}  // namespace tlshop::cli
