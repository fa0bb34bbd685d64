// The unit of per-actor state: one input row reduced to its time and the set of
// step conditions it satisfied. 16 bytes, so an actor's buffer is compact and
// sorts fast.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace pgf {

// Steps are a 64-bit mask; a funnel has at most this many steps.
constexpr int kMaxSteps = 64;

struct Event {
    std::int64_t ts;     // time in the caller's unit (microseconds, days, or raw bigint)
    std::uint64_t mask;  // bit i set: the row satisfied step i + 1
};

inline bool operator<(const Event& a, const Event& b) {
    return a.ts < b.ts || (a.ts == b.ts && a.mask < b.mask);
}
inline bool operator==(const Event& a, const Event& b) { return a.ts == b.ts && a.mask == b.mask; }

// Total order (time, then mask): the answer depends only on the multiset of rows,
// never on their arrival order.
inline bool events_sorted(const Event* ev, std::size_t n) {
    return std::is_sorted(ev, ev + n);
}
inline void sort_events(Event* ev, std::size_t n) {
    if (!events_sorted(ev, n)) std::sort(ev, ev + n);
}

// Is `t` within `window` of `first`, for first <= t? Unsigned difference is exact
// for any pair of int64 values, including the +-infinity sentinels.
inline bool within(std::int64_t first, std::int64_t t, std::int64_t window) {
    return static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(first) <=
           static_cast<std::uint64_t>(window);
}

}  // namespace pgf
