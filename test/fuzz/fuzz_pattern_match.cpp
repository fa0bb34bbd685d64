// The sequence matchers (sequence_match, sequence_count, sequence_match_times)
// against the brute-force reference (test/unit/pattern_reference.hpp). The input
// bytes are decoded into a well-formed pattern (text built from elements, so the
// parser is on the path too) and a list of events, with ties, extreme times and
// spans near the int64 limits; any disagreement aborts.
#include <cstdint>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/pattern.hpp"
#include "fuzz_common.hpp"
#include "pattern_checks.hpp"

using fuzz::guard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const bool wide = in.ConsumeIntegralInRange<int>(0, 15) == 0;  // now and then many conditions
    const int n_conditions = wide ? in.ConsumeIntegralInRange<int>(5, 64) : in.ConsumeIntegralInRange<int>(1, 4);
    const int n_elements = in.ConsumeIntegralInRange<int>(1, 8);
    const std::int64_t small = in.ConsumeBool() ? 8 : 100;  // time scale: many ties, or spread out
    std::string text;
    bool prev_time = true;  // a time condition cannot start the pattern
    for (int i = 0; i < n_elements; ++i) {
        int kind = in.ConsumeIntegralInRange<int>(0, 9);
        if (prev_time && kind >= 7) kind = 0;
        prev_time = kind >= 7;
        if (kind <= 3) {
            const int c = wide && in.ConsumeBool() ? n_conditions - in.ConsumeIntegralInRange<int>(0, 2)
                                                   : in.ConsumeIntegralInRange<int>(1, std::min(n_conditions, 4));
            text += "(?" + std::to_string(c) + ")";
        } else if (kind == 4) {
            text += ".";
        } else if (kind <= 6) {
            text += ".*";
        } else {
            static const char* const ops[] = {"<=", "<", ">=", ">", "=="};
            std::uint64_t span;
            switch (in.ConsumeIntegralInRange<int>(0, 7)) {
                case 0: span = UINT64_MAX; break;
                case 1: span = static_cast<std::uint64_t>(INT64_MAX) + in.ConsumeIntegralInRange<std::uint64_t>(0, 2); break;
                case 2: span = in.ConsumeIntegral<std::uint64_t>(); break;
                default: span = in.ConsumeIntegralInRange<std::uint64_t>(0, static_cast<std::uint64_t>(small)); break;
            }
            text += std::string("(?t") + ops[in.ConsumeIntegralInRange<int>(0, 4)] + std::to_string(span) + ")";
        }
    }
    pgf::Pattern p;
    guard(0, [&] { p = pgf::parse_pattern(text, n_conditions, 1); });
    const std::string what = "text \"" + text + "\" n_conditions " + std::to_string(n_conditions);
    fuzz::check_pattern(p, n_conditions, what);

    // Events: masks over the conditions the pattern mentions (and a few others).
    std::vector<pgf::Event> ev;
    const std::size_t n_events = in.ConsumeIntegralInRange<std::size_t>(0, 10);
    const std::uint64_t all = n_conditions >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n_conditions) - 1;
    for (std::size_t i = 0; i < n_events; ++i) {
        pgf::Event e;
        e.ts = fuzz::pick_time(in, small);
        std::uint64_t mask = 0;
        switch (in.ConsumeIntegralInRange<int>(0, 3)) {
            case 0: mask = in.ConsumeIntegral<std::uint64_t>() & all; break;
            case 1: mask = in.ConsumeIntegral<std::uint64_t>() & p.used_steps; break;
            default: {
                // one or two used conditions
                std::vector<int> used;
                for (int b = 0; b < 64; ++b)
                    if ((p.used_steps >> b) & 1u) used.push_back(b);
                if (!used.empty()) {
                    mask |= std::uint64_t{1} << used[in.ConsumeIntegralInRange<std::size_t>(0, used.size() - 1)];
                    if (in.ConsumeBool())
                        mask |= std::uint64_t{1} << used[in.ConsumeIntegralInRange<std::size_t>(0, used.size() - 1)];
                }
            }
        }
        e.mask = mask;
        ev.push_back(e);
    }
    pgf::sort_events(ev.data(), ev.size());
    fuzz::check_matchers(p, ev, fuzz::reference_feasible(p, ev), what);
    return 0;
}
