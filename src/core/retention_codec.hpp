// Binary form of the retention aggregate state: u8 version (1), u8 number of
// conditions (1..kMaxSteps), u64 little-endian OR of the rows' condition masks,
// with no bit at or beyond the number of conditions. Decoding validates every
// byte (fuzzed by test/fuzz/fuzz_retention_state.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace pgf {

constexpr std::uint8_t kRetentionStateVersion = 1;
constexpr std::size_t kRetentionStateSize = 1 + 1 + 8;

struct RetentionStateData {
    int n_conditions = 0;
    std::uint64_t seen = 0;
};

// Writes kRetentionStateSize bytes.
void encode_retention_state(const RetentionStateData& s, unsigned char* out);

// Throws CorruptState.
RetentionStateData decode_retention_state(const unsigned char* in, std::size_t len);

}  // namespace pgf
