#include "cli/terminal.hpp"

#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "tlshop/error.hpp"

namespace tlshop::cli {

std::string read_line(const std::string& prompt) {
  std::cout << prompt << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) {
    // A terminal's Ctrl-D ends one read, but both C++ and C streams remember the end.
    std::cin.clear();
    std::clearerr(stdin);
    throw EndOfInput("no input");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string read_secret(const std::string& prompt) {
  if (!::isatty(STDIN_FILENO)) return read_line(prompt);
  struct termios saved {};
  ::tcgetattr(STDIN_FILENO, &saved);
  struct termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  std::string line;
  try {
    line = read_line(prompt);
  } catch (...) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    throw;
  }
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::cout << "\n";
  return line;
}

std::string generate_password() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  if (sodium_init() < 0) throw Error("libsodium could not be initialised");
  std::string password;
  for (int i = 0; i < 20; ++i)
    password.push_back(kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)]);
  return password;
}

}  // namespace tlshop::cli
