#pragma once

namespace CLI {
class App;
}

namespace tlshop::cli {

// Adds `tlshop ca <verb>` to the program. Verbs set exit_code when their answer is a
// "no" rather than an error (verify of an invalid certificate).
void add_ca_command(CLI::App& app, int& exit_code);

}  // namespace tlshop::cli
