// Event-buffer state (funnel_steps, funnel_times): random bytes through the full
// decoder the deserializer uses (core/event_state_codec.hpp). A state is either
// refused with CorruptState or decoded; a decoded state re-encodes to the same
// bytes, and the final functions run on it: levels and times are consistent with
// the spec, and match the brute-force reference when the state is small.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/event_state_codec.hpp"
#include "core/funnel.hpp"
#include "core/state_codec.hpp"
#include "funnel_reference.hpp"
#include "fuzz_common.hpp"

using fuzz::guard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<pgf::Event> events;
    pgf::EventStateInfo info;
    if (!guard(fuzz::bit(pgf::ErrorKind::CorruptState), [&] { info = pgf::decode_event_state(data, size, events); }))
        return 0;

    // Round trip: the serializer writes exactly these bytes back.
    const pgf::EventStateHeader h = pgf::decode_state_header(data, size);
    FUZZ_CHECK(h.count == events.size(), "count " << h.count << " events " << events.size());
    FUZZ_CHECK(pgf::encoded_state_size(events.size()) == size, "size");
    std::vector<unsigned char> again(size);
    pgf::encode_state(h, events.data(), events.size(), again.data());
    FUZZ_CHECK(std::equal(again.begin(), again.end(), data), "re-encoding differs");
    FUZZ_CHECK(info.sorted == (h.sorted && pgf::events_sorted(events.data(), events.size())), "sorted flag");

    // The final functions (funnel_steps / funnel_times) on the decoded state.
    const pgf::FunnelSpec& spec = info.spec;
    if (!info.sorted) pgf::sort_events(events.data(), events.size());
    int level = -1;
    std::vector<std::int64_t> times;
    guard(0, [&] {
        level = pgf::funnel_level(spec, events.data(), events.size());
        times = pgf::funnel_times(spec, events.data(), events.size());
    });
    const std::string what = "spec window=" + std::to_string(spec.window) + " n_steps=" + std::to_string(spec.n_steps) +
                             " modes=" + pgf::funnel_modes_to_string(spec.modes) + " events=" +
                             fuzz::show_events(events);
    FUZZ_CHECK(level >= 0 && level <= spec.n_steps, what << " level " << level);
    FUZZ_CHECK(times.size() == static_cast<std::size_t>(level), what << " level " << level << " times " << fuzz::show_times(times));
    if (level > 0) {
        const auto [lo, hi] = std::minmax_element(times.begin(), times.end());
        FUZZ_CHECK(pgf::within(*lo, *hi, spec.window), what << " times span more than the window: " << fuzz::show_times(times));
        if (!(spec.modes & pgf::kAnyOrder))
            for (std::size_t i = 1; i < times.size(); ++i) {
                FUZZ_CHECK(times[i - 1] <= times[i], what << " times not ordered " << fuzz::show_times(times));
                if (spec.modes & pgf::kStrictIncrease)
                    FUZZ_CHECK(times[i - 1] < times[i], what << " strict_increase times " << fuzz::show_times(times));
            }
    }
    // Small states: the brute-force reference must agree.
    if (events.size() <= 8 && spec.n_steps <= 5) {
        const int want = pgf_ref::level(spec, events.data(), events.size());
        const std::vector<std::int64_t> want_times = pgf_ref::times(spec, events.data(), events.size());
        FUZZ_CHECK(level == want && times == want_times, what << "\n got level " << level << " times "
                                                              << fuzz::show_times(times) << "\n want level " << want
                                                              << " times " << fuzz::show_times(want_times));
    }
    return 0;
}
