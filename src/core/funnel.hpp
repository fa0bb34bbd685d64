// funnel_steps / funnel_times: how far an actor gets through an ordered funnel
// within a conversion window. ClickHouse windowFunnel semantics, see docs/funnel.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace pgf {

enum FunnelMode : std::uint32_t {
    kStrictDeduplication = 1u << 0,
    kStrictOrder = 1u << 1,
    kStrictIncrease = 1u << 2,
    kStrictOnce = 1u << 3,
    kAllowReentry = 1u << 4,
    kAnyOrder = 1u << 5,
};
constexpr std::uint32_t kAllFunnelModes = (1u << 6) - 1;

// "strict_order, strict_once" -> bitmask. Unknown or conflicting modes throw
// InvalidParameter naming the valid ones.
std::uint32_t parse_funnel_modes(std::string_view text);
std::string funnel_modes_to_string(std::uint32_t modes);
void check_funnel_modes(std::uint32_t modes);

struct FunnelSpec {
    std::int64_t window = 0;  // inclusive, in the time unit of the events
    int n_steps = 0;          // 1..kMaxSteps
    std::uint32_t modes = 0;
    // Which steps, when they are event names: StepNames::fingerprint (0 when each
    // row brings its own conditions). Parallel states of different step names
    // must not merge, and only this travels with them.
    std::uint64_t steps_id = 0;
};

inline bool operator==(const FunnelSpec& a, const FunnelSpec& b) {
    return a.window == b.window && a.n_steps == b.n_steps && a.modes == b.modes && a.steps_id == b.steps_id;
}
inline bool operator!=(const FunnelSpec& a, const FunnelSpec& b) { return !(a == b); }

// Throws InvalidParameter / LimitExceeded for a negative window, a bad step count or
// bad modes. A window of 0 (same instant) is valid here; SQL windows must be positive.
void check_funnel_spec(const FunnelSpec& spec);

// Rows that match no step matter only under strict_order (they break a chain).
inline bool funnel_keeps_unmatched_rows(std::uint32_t modes) { return (modes & kStrictOrder) != 0; }

// The mask with a bit for each of the funnel's n_steps steps (1..64).
inline std::uint64_t all_steps_mask(int n_steps) {
    return n_steps >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n_steps) - 1;
}

// Deepest step reached, 0..n_steps. `ev` must be sorted (sort_events).
int funnel_level(const FunnelSpec& spec, const Event* ev, std::size_t n);

// Times of the steps of the best attempt: the earliest step-1 event whose attempt
// reaches the deepest level, each later step at the earliest time it is reachable.
// Size = funnel_level(). `ev` must be sorted.
std::vector<std::int64_t> funnel_times(const FunnelSpec& spec, const Event* ev, std::size_t n);

}  // namespace pgf
