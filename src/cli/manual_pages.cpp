#include "cli/manual_pages.hpp"

#include <sstream>

#include "base/files.hpp"
#include "cli/command_tree.hpp"
#include "server/server_config.hpp"

namespace tlshop::cli {
namespace fs = std::filesystem;
namespace {

// Text as roff reads it: backslashes escaped, no line taken for a request.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

// "tlshop ca issue" -> "tlshop-ca-issue".
std::string page_name(const CLI::App& command) {
  std::string name = command_path(command);
  for (char& c : name) {
    if (c == ' ') c = '-';
  }
  return name;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string header(const std::string& name, int section, const std::string& version) {
  return ".TH \"" + upper(name) + "\" \"" + std::to_string(section) + "\" \"\" \"" + version +
         "\" \"tlshop manual\"\n";
}

void write_options(std::ostringstream& page, const CLI::App& command) {
  page << ".SH OPTIONS\n";
  for (const CLI::Option* option : listed_options(command)) {
    page << ".TP\n";
    if (takes_value(*option)) {
      page << ".BI \"" << roff(option_names(*option)) << " \" \"" << roff(option->get_type_name())
           << "\"\n";
    } else {
      page << ".B " << roff(option_names(*option)) << "\n";
    }
    std::string description = option->get_description();
    if (option->get_required()) description += " Required.";
    std::string variable = "$" + option->get_envname();
    if (variable.size() > 1 && description.find(variable) == std::string::npos) {
      description += " Also read from " + variable + ".";
    }
    page << roff(description) << "\n";
  }
}

void write_commands(std::ostringstream& page, const CLI::App& command) {
  auto subcommands = listed_subcommands(command);
  if (subcommands.empty()) return;
  page << ".SH COMMANDS\n";
  for (const CLI::App* subcommand : subcommands) {
    page << ".TP\n.B " << roff(subcommand->get_name()) << "\n"
         << roff(subcommand->get_description()) << " (see \\fB" << roff(page_name(*subcommand))
         << "\\fR(1))\n";
  }
}

std::string command_page(const CLI::App& command, const std::string& version) {
  std::ostringstream page;
  std::string path = command_path(command);
  page << header(page_name(command), 1, version);
  page << ".SH NAME\n"
       << roff(page_name(command)) << " \\- " << roff(command.get_description()) << "\n";
  page << ".SH SYNOPSIS\n.B " << roff(path) << "\n[\\fIOPTIONS\\fR]";
  if (!listed_subcommands(command).empty()) page << " \\fICOMMAND\\fR";
  for (const CLI::Option* argument :
       command.get_options([](const CLI::Option* option) { return option->get_positional(); })) {
    page << " \\fI" << roff(upper(argument->get_name())) << "\\fR";
  }
  page << "\n";
  write_commands(page, command);
  write_options(page, command);
  if (std::string footer = command.get_footer(); !footer.empty()) {
    page << ".SH EXIT STATUS\n" << roff(footer) << "\n";
  }
  page << ".SH SEE ALSO\n";
  if (const CLI::App* parent = command.get_parent()) {
    page << ".BR " << roff(page_name(*parent)) << " (1),\n";
  }
  page << ".BR tlshop.toml (5)\n";
  return page.str();
}

// tlshop.toml(5) from the default configuration, whose comments describe each setting.
std::string configuration_page(const std::string& version) {
  std::ostringstream page;
  page << header("tlshop.toml", 5, version);
  page << ".SH NAME\ntlshop.toml \\- configuration of the tlshop server\n";
  page << ".SH SYNOPSIS\n.B tlshop serve \\-\\-config\n.I FILE\n";
  page << ".SH DESCRIPTION\n";
  std::istringstream text(server::default_server_config_text());
  std::string line, comment, section;
  while (std::getline(text, line)) {
    if (line.starts_with("#")) {
      comment += line.substr(line.size() > 1 ? 2 : 1) + "\n";
    } else if (line.starts_with("[")) {
      section = line.substr(1, line.find(']') - 1);
      page << ".SS [" << roff(section) << "]\n";
      if (!comment.empty()) page << roff(comment);
      comment.clear();
    } else if (auto equals = line.find(" = "); equals != std::string::npos) {
      std::string key = (section.empty() ? "" : section + ".") + line.substr(0, equals);
      page << ".TP\n.B " << roff(key) << "\n(default " << roff(line.substr(equals + 3)) << ")\n"
           << roff(comment);
      comment.clear();
    } else if (!comment.empty()) {
      page << ".PP\n" << roff(comment);  // the file's introduction
      comment.clear();
    }
  }
  page << ".SH SEE ALSO\n.BR tlshop\\-serve (1)\n";
  return page.str();
}

void write_command_pages(const CLI::App& command, const fs::path& dir, const std::string& version) {
  write_file_atomically(dir / (page_name(command) + ".1"), command_page(command, version));
  for (const CLI::App* subcommand : listed_subcommands(command)) {
    write_command_pages(*subcommand, dir, version);
  }
}

}  // namespace

void write_manual_pages(const CLI::App& root, const fs::path& dir, const std::string& version) {
  fs::create_directories(dir / "man1");
  fs::create_directories(dir / "man5");
  write_command_pages(root, dir / "man1", version);
  write_file_atomically(dir / "man5" / "tlshop.toml.5", configuration_page(version));
}

}  // namespace tlshop::cli
