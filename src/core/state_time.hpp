// Time kinds as serialized aggregate states tag them, and the range of times a
// state of each kind can hold. The PostgreSQL boundary's pg::TimeKind uses the
// same numbers (src/pg/time_args.hpp).
#pragma once

#include <cstdint>

#include "core/state_codec.hpp"

namespace pgf {

constexpr std::uint8_t kStateTimeTimestamptz = 0;
constexpr std::uint8_t kStateTimeTimestamp = 1;
constexpr std::uint8_t kStateTimeDate = 2;  // int32 day numbers
constexpr std::uint8_t kStateTimeBigint = 3;
static_assert(kStateTimeBigint + 1 == kTimeKinds, "one tag per time kind");

// Could a row of this time kind carry time `t`? Dates are int32 day numbers;
// timestamps and bigints are any int64.
inline bool plausible_state_time(std::uint8_t time_kind, std::int64_t t) {
    if (time_kind != kStateTimeDate) return true;
    return t >= INT32_MIN && t <= INT32_MAX;
}

}  // namespace pgf
