// retention(cond1, ..., condN): ClickHouse's retention. Per actor the state is the
// OR of the rows' condition masks; the result is r[1] = any(cond1) and
// r[i] = any(cond1) AND any(cond_i) for i >= 2. No time order, no window: it is a
// set test (docs/journeys.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"

namespace pgf {

// 1..kMaxSteps conditions (ClickHouse: 2..32); throws otherwise.
inline void check_retention_conditions(int n_conditions) {
    if (n_conditions < 1) fail(ErrorKind::InvalidParameter, "retention needs at least one condition");
    if (n_conditions > kMaxSteps)
        fail(ErrorKind::LimitExceeded, "retention takes at most " + std::to_string(kMaxSteps) +
                                           " conditions, got " + std::to_string(n_conditions));
}

// The state transition and the combine function are the same: a bitwise OR.
inline std::uint64_t retention_add(std::uint64_t state, std::uint64_t row_mask) { return state | row_mask; }
inline std::uint64_t retention_combine(std::uint64_t a, std::uint64_t b) { return a | b; }

// Bit i - 1 of the result is r[i].
inline std::uint64_t retention_result_mask(std::uint64_t state, int n_conditions) {
    const std::uint64_t all = n_conditions >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n_conditions) - 1;
    state &= all;
    return (state & 1u) ? state : 0;
}

// r[1..n] as booleans.
inline std::vector<bool> retention_result(std::uint64_t state, int n_conditions) {
    check_retention_conditions(n_conditions);
    const std::uint64_t r = retention_result_mask(state, n_conditions);
    std::vector<bool> out(static_cast<std::size_t>(n_conditions));
    for (int i = 0; i < n_conditions; ++i) out[static_cast<std::size_t>(i)] = (r >> i) & 1u;
    return out;
}

}  // namespace pgf
