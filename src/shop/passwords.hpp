#pragma once

#include <string>

namespace tlshop::shop {

// How hard Argon2id works per password. kInteractive is libsodium's interactive
// setting (64 MiB, 2 passes); kMinimal is for tests only.
enum class HashCost { kInteractive, kMinimal };

// Throws ShopError(kInvalid, "weak_password") if the password is shorter than 8
// characters, longer than 256, or on the built-in list of common passwords.
void check_password_policy(const std::string& password);

// Argon2id hash in libsodium's self-describing string form (salt and cost included).
std::string hash_password(const std::string& password, HashCost cost = HashCost::kInteractive);
bool verify_password(const std::string& password, const std::string& hash);

}  // namespace tlshop::shop
