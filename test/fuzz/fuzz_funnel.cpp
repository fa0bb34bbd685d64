// funnel_level / funnel_times (the scans behind funnel_steps and funnel_times)
// against the brute-force reference (test/unit/funnel_reference.hpp) on small
// random inputs: every valid mode combination (picked from the list, or parsed
// from random mode text), windows from 0 to INT64_MAX, times with ties and at the
// int64 limits, rows matching no step. Any disagreement aborts.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/funnel.hpp"
#include "funnel_reference.hpp"
#include "fuzz_common.hpp"

using fuzz::guard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<std::uint32_t> kModes = pgf_ref::valid_modes();
    FuzzedDataProvider in(data, size);

    pgf::FunnelSpec spec;
    if (in.ConsumeIntegralInRange<int>(0, 7) == 0) {
        // Mode text: either refused (InvalidParameter) or a valid combination whose
        // canonical text parses back to the same bits.
        const std::string text = in.ConsumeRandomLengthString(200);
        std::uint32_t m = 0;
        if (!guard(fuzz::bit(pgf::ErrorKind::InvalidParameter), [&] { m = pgf::parse_funnel_modes(text); })) return 0;
        guard(0, [&] { pgf::check_funnel_modes(m); });
        std::uint32_t back = 0;
        guard(0, [&] { back = pgf::parse_funnel_modes(pgf::funnel_modes_to_string(m)); });
        FUZZ_CHECK(back == m, "modes \"" << text << "\" -> " << m << " -> " << pgf::funnel_modes_to_string(m));
        spec.modes = m;
    } else {
        spec.modes = kModes[in.ConsumeIntegralInRange<std::size_t>(0, kModes.size() - 1)];
    }

    // Few steps and rows: the reference enumerates every chain. Many steps only
    // with sparse masks, which keep the chains short.
    const bool many = in.ConsumeIntegralInRange<int>(0, 15) == 0;
    spec.n_steps = many ? in.ConsumeIntegralInRange<int>(7, 64) : in.ConsumeIntegralInRange<int>(1, 5);
    const std::int64_t small = in.ConsumeBool() ? 6 : 60;
    switch (in.ConsumeIntegralInRange<int>(0, 7)) {
        case 0: spec.window = 0; break;
        case 1: spec.window = INT64_MAX; break;
        case 2: spec.window = INT64_MAX - in.ConsumeIntegralInRange<std::int64_t>(0, 3); break;
        case 3: spec.window = in.ConsumeIntegralInRange<std::int64_t>(0, INT64_MAX); break;
        default: spec.window = in.ConsumeIntegralInRange<std::int64_t>(0, small); break;
    }
    guard(0, [&] { pgf::check_funnel_spec(spec); });

    const std::uint64_t all = spec.n_steps >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << spec.n_steps) - 1;
    const std::size_t n_rows = in.ConsumeIntegralInRange<std::size_t>(0, many ? 8 : 10);
    std::vector<pgf::Event> ev;
    for (std::size_t i = 0; i < n_rows; ++i) {
        pgf::Event e;
        e.ts = fuzz::pick_time(in, small);
        if (many) {
            const int s = in.ConsumeIntegralInRange<int>(0, spec.n_steps);  // 0: no step
            e.mask = s == 0 ? 0 : std::uint64_t{1} << (s - 1);
            if (s > 0 && s < spec.n_steps && in.ConsumeBool()) e.mask |= std::uint64_t{1} << s;
        } else {
            e.mask = in.ConsumeIntegral<std::uint64_t>() & all;
            if (in.ConsumeBool() && e.mask) e.mask &= ~e.mask + 1;  // often a single step
        }
        // The transition function drops unmatched rows unless strict_order keeps them.
        if (e.mask == 0 && !pgf::funnel_keeps_unmatched_rows(spec.modes)) continue;
        ev.push_back(e);
    }
    pgf::sort_events(ev.data(), ev.size());

    int level = -1;
    std::vector<std::int64_t> times;
    guard(0, [&] {
        level = pgf::funnel_level(spec, ev.data(), ev.size());
        times = pgf::funnel_times(spec, ev.data(), ev.size());
    });
    const int want = pgf_ref::level(spec, ev.data(), ev.size());
    const std::vector<std::int64_t> want_times = pgf_ref::times(spec, ev.data(), ev.size());
    FUZZ_CHECK(level == want && times == want_times,
               "window=" << spec.window << " n_steps=" << spec.n_steps << " modes={"
                         << pgf::funnel_modes_to_string(spec.modes) << "} events=" << fuzz::show_events(ev)
                         << "\n got level " << level << " times " << fuzz::show_times(times) << "\n want level "
                         << want << " times " << fuzz::show_times(want_times));
    return 0;
}
