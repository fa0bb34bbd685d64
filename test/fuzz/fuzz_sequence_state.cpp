// sequence_match / sequence_count / sequence_match_times state: random bytes
// through the full decoder (core/sequence_codec.hpp), with the pattern validated
// by parse_pattern in the time unit of the state's kind, as the deserializer
// does. A decoded state re-encodes to the same bytes, and the final functions run
// on it (dates in seconds, as src/pg/sequence.cpp converts them) without failing,
// consistently, and as the brute-force reference says on small states.
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/pattern.hpp"
#include "core/sequence_codec.hpp"
#include "core/state_time.hpp"
#include "fuzz_common.hpp"
#include "pattern_checks.hpp"

using fuzz::guard;

namespace {

// src/pg/sequence.cpp: timestamps are matched in microseconds, dates in seconds
// (day x 86400), bigints raw.
std::int64_t units_per_second(std::uint8_t kind) {
    return kind == pgf::kStateTimeTimestamptz || kind == pgf::kStateTimeTimestamp ? 1000000 : 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<pgf::Event> events;
    pgf::SequenceStateInfo info;
    pgf::Pattern pattern;
    const bool ok = guard(fuzz::bit(pgf::ErrorKind::CorruptState), [&] {
        info = pgf::decode_sequence_state(data, size, events,
                                          [&](std::string_view text, int n_conditions, std::uint8_t kind) {
                                              pattern = pgf::parse_pattern(text, n_conditions, units_per_second(kind));
                                          });
    });
    if (!ok) return 0;
    const std::string what = "state " + fuzz::hex(data, std::min<std::size_t>(size, 256));
    fuzz::check_pattern(pattern, info.n_conditions, what);

    // Round trip.
    const pgf::SequenceStateLayout layout = pgf::decode_sequence_layout(data, size);
    FUZZ_CHECK(layout.pattern == info.pattern && layout.header.count == events.size(), what);
    std::size_t n = 0;
    guard(0, [&] { n = pgf::sequence_state_size(info.pattern.size(), events.size(), SIZE_MAX); });
    FUZZ_CHECK(n == size, what << " size " << n);
    std::vector<unsigned char> again(size);
    pgf::encode_sequence_state(info.pattern, layout.header, events.data(), events.size(), again.data());
    FUZZ_CHECK(std::equal(again.begin(), again.end(), data), what << " re-encoding differs");
    FUZZ_CHECK(info.sorted == (layout.header.sorted && pgf::events_sorted(events.data(), events.size())), what);

    // The final functions.
    pgf::sort_events(events.data(), events.size());
    if (info.time_kind == pgf::kStateTimeDate)
        for (auto& e : events) e.ts *= 86400;  // |day| < 2^31: no overflow
    fuzz::check_matchers(pattern, events, fuzz::reference_feasible(pattern, events), what);
    return 0;
}
