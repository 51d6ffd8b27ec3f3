// Runs a fuzz target without libFuzzer, as a test: every file of the corpus directories,
// then random mutations of them for the given seconds, from a fixed seed so that a
// failure can be run again. A crash, a sanitizer report or an escaped exception fails
// the test. scripts/fuzz.sh does the real, coverage-guided fuzzing with libFuzzer.
//
// Usage: fuzz_TARGET [--seconds N] DIR...
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::string> read_corpus(const std::vector<std::filesystem::path>& dirs) {
  std::vector<std::string> inputs;
  for (const auto& dir : dirs) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  if (inputs.empty()) inputs.emplace_back();
  return inputs;
}

// A few of the edits libFuzzer makes: flip, insert, erase, repeat, cut, splice.
std::string mutate(std::string input, const std::vector<std::string>& corpus,
                   std::mt19937_64& rng) {
  auto pick = [&](std::size_t bound) { return bound == 0 ? 0 : rng() % bound; };
  for (int edits = 1 + static_cast<int>(pick(4)); edits > 0; --edits) {
    std::size_t at = pick(input.size() + 1);
    switch (pick(6)) {
      case 0:
        if (!input.empty()) input[pick(input.size())] ^= static_cast<char>(1 << pick(8));
        break;
      case 1:
        input.insert(at, 1, static_cast<char>(pick(256)));
        break;
      case 2:
        input.erase(at, pick(16));
        break;
      case 3:
        input.insert(at, input.substr(pick(input.size() + 1), pick(64)));
        break;
      case 4:
        input.resize(at);
        break;
      default: {
        const std::string& other = corpus[pick(corpus.size())];
        input.insert(at, other.substr(pick(other.size() + 1), pick(256)));
      }
    }
  }
  return input;
}

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2;
  std::vector<std::filesystem::path> dirs;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--seconds" && i + 1 < argc) {
      seconds = std::stod(argv[++i]);
    } else {
      dirs.emplace_back(argument);
    }
  }
  std::vector<std::string> corpus = read_corpus(dirs);
  for (const std::string& input : corpus) run(input);
  std::mt19937_64 rng(20261206);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::uint64_t mutations = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    run(mutate(corpus[rng() % corpus.size()], corpus, rng));
    ++mutations;
  }
  std::printf("fuzz replay: %zu corpus inputs and %llu mutations, none failed\n", corpus.size(),
              static_cast<unsigned long long>(mutations));
  return 0;
}
