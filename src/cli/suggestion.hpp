#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlshop::cli {

// The candidate a mistyped word most likely meant, for "did you mean ...?": the one
// it is a unique start of, or else the nearest within a small number of edits (a
// letter added, dropped, changed or two swapped) for its length. Nothing when no
// candidate is close or two are equally close.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace tlshop::cli
