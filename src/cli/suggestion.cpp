#include "cli/suggestion.hpp"

#include <algorithm>

namespace tlshop::cli {
namespace {

// Edits between a and b, a swap of neighbours counting as one (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t change = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + change});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// A short word has few letters to spare: "ad" is not "ca" misspelt.
std::size_t allowed_edits(std::string_view word) {
  return std::min<std::size_t>(2, word.size() / 3);
}

std::optional<std::string> unique_extension(std::string_view word,
                                            const std::vector<std::string>& candidates) {
  if (word.size() < 2) return std::nullopt;
  std::optional<std::string> found;
  for (const std::string& candidate : candidates) {
    if (candidate.size() > word.size() && candidate.compare(0, word.size(), word) == 0) {
      if (found) return std::nullopt;
      found = candidate;
    }
  }
  return found;
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  if (auto extension = unique_extension(word, candidates)) return extension;
  std::optional<std::string> best;
  std::size_t best_distance = allowed_edits(word) + 1;
  bool tied = false;
  for (const std::string& candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
      tied = false;
    } else if (distance == best_distance && best) {
      tied = true;
    }
  }
  if (tied || best_distance == 0) return std::nullopt;
  return best;
}

}  // namespace tlshop::cli
