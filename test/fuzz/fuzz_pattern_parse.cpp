// parse_pattern on random text with a random number of conditions and time unit:
// it either throws InvalidParameter / LimitExceeded, or returns a pattern that
// keeps every documented property, prints back to text that parses to the same
// elements, and that the matchers run on random events without failing (and
// agree with the brute-force reference on small inputs).
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
    const int n_conditions = in.ConsumeIntegralInRange<int>(-1, 66);
    std::int64_t units = 1;
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
        case 0: units = 1; break;
        case 1: units = 1000000; break;
        case 2: units = in.ConsumeIntegral<std::int64_t>(); break;
        default: units = in.ConsumeIntegralInRange<std::int64_t>(1, 100); break;
    }
    const std::string text = in.ConsumeRandomLengthString(2048);
    pgf::Pattern p;
    const unsigned allowed = fuzz::bit(pgf::ErrorKind::InvalidParameter) | fuzz::bit(pgf::ErrorKind::LimitExceeded);
    bool ok = guard(allowed, [&] { p = pgf::parse_pattern(text, n_conditions, units); });
    if (!ok) return 0;
    const std::string what = "text \"" + text + "\" n_conditions " + std::to_string(n_conditions) + " units " +
                             std::to_string(units);
    FUZZ_CHECK(n_conditions >= 1 && n_conditions <= pgf::kMaxSteps && units >= 1, what << " accepted");
    fuzz::check_pattern(p, n_conditions, what);

    // Canonical text round trip (spans are printed in event units: parse with unit 1).
    const std::string canon = pgf::pattern_to_string(p);
    pgf::Pattern q;
    guard(0, [&] { q = pgf::parse_pattern(canon, n_conditions, 1); });
    FUZZ_CHECK(q.elements.size() == p.elements.size(), what << " canonical " << canon);
    for (std::size_t i = 0; i < p.elements.size(); ++i)
        FUZZ_CHECK(q.elements[i].op == p.elements[i].op && q.elements[i].step == p.elements[i].step &&
                       q.elements[i].span == p.elements[i].span,
                   what << " canonical " << canon << " differs at element " << i);
    FUZZ_CHECK(pgf::pattern_to_string(q) == canon, what);

    // Random events over the conditions, sorted as the final functions sort them.
    std::vector<pgf::Event> ev;
    const std::uint64_t all = n_conditions >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n_conditions) - 1;
    const std::size_t n_events = in.ConsumeIntegralInRange<std::size_t>(0, 24);
    for (std::size_t i = 0; i < n_events && in.remaining_bytes() > 0; ++i) {
        pgf::Event e;
        e.ts = fuzz::pick_time(in, 40);
        e.mask = in.ConsumeIntegral<std::uint64_t>() & all;
        if (in.ConsumeBool()) e.mask &= ~e.mask + 1;  // often a single condition
        ev.push_back(e);
    }
    pgf::sort_events(ev.data(), ev.size());
    fuzz::check_matchers(p, ev, fuzz::reference_feasible(p, ev), what);
    return 0;
}
