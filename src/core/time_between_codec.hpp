// Binary form of the time_between aggregate state, as parallel workers ship it to
// the leader. Decoding validates every byte, so it can run on untrusted input
// (test/fuzz/fuzz_time_between_state.cpp feeds it random bytes).
//
// Layout, little endian:
//   u8 version (1), u8 time kind (< kTimeKinds), u8 flags (bit 0: has_from,
//   bit 1: has_best), i64 first_from, i64 best_to, u64 count, count x i64 early.
// An absent time (flag clear) is written as 0. For date time, every time is an
// int32 day number.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/interrupt.hpp"
#include "core/time_between.hpp"

namespace pgf {

constexpr std::uint8_t kTimeBetweenStateVersion = 1;
constexpr std::size_t kTimeBetweenStateHeaderSize = 1 + 1 + 1 + 8 + 8 + 8;

struct TimeBetweenStateHeader {
    std::uint8_t time_kind = 0;
    bool has_from = false;
    std::int64_t first_from = 0;
    bool has_best = false;
    std::int64_t best_to = 0;
    std::uint64_t count = 0;  // early times that follow
};

// Size of a state with `count` early times; LimitExceeded past `max_size` bytes.
std::size_t time_between_state_size(std::size_t count, std::size_t max_size);

// Writes the header and h.count early times (time_between_state_size bytes).
void encode_time_between_state(const TimeBetweenStateHeader& h, const std::int64_t* early, unsigned char* out);

// Validates everything but the early times; throws CorruptState.
TimeBetweenStateHeader decode_time_between_header(const unsigned char* in, std::size_t len);

// Early time i (0-based) of a validated state, range-checked for its time kind.
std::int64_t decode_time_between_early(const TimeBetweenStateHeader& h, const unsigned char* in, std::size_t i);

// The header of a state, ready for encode_time_between_state.
template <typename Vec>
TimeBetweenStateHeader time_between_header_of(std::uint8_t time_kind, const TimeBetween<Vec>& s) {
    TimeBetweenStateHeader h;
    h.time_kind = time_kind;
    h.has_from = s.has_from;
    h.first_from = s.has_from ? s.first_from : 0;
    h.has_best = s.has_best;
    h.best_to = s.has_best ? s.best_to : 0;
    h.count = s.early_to.size();
    return h;
}

// Decodes a whole state into `out`, which must be freshly constructed (empty),
// and returns its time kind. The state is rebuilt through the public
// operations, so its invariants hold whatever order the times come in.
template <typename Vec>
std::uint8_t decode_time_between_state(const unsigned char* in, std::size_t len, TimeBetween<Vec>& out) {
    const TimeBetweenStateHeader h = decode_time_between_header(in, len);
    if (h.has_from) out.add_from(h.first_from);
    if (h.has_best) out.add_to(h.best_to);
    out.early_to.reserve(static_cast<std::size_t>(h.count));
    InterruptCheck interrupt;
    for (std::size_t i = 0; i < h.count; ++i) {
        out.add_to(decode_time_between_early(h, in, i));
        interrupt.tick();
    }
    return h.time_kind;
}

}  // namespace pgf
