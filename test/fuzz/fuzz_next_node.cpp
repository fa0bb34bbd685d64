// sequence_next_node's core: direction / base text parsing (random text is either
// refused with InvalidParameter or one of the documented values), the total sort
// of rows (the same order whatever the arrival order), the answer against a
// brute force written from the contract in core/next_node.hpp, and the state
// pruning (next_node_rows_needed): keeping only those rows gives the same answer.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/next_node.hpp"
#include "fuzz_common.hpp"

using fuzz::guard;

namespace {

struct Values {
    std::vector<std::string> v;
};

int compare(const void* context, std::uint32_t a, std::uint32_t b) {
    const auto* vals = static_cast<const Values*>(context);
    return pgf::value_bytes_compare(vals->v[a], vals->v[b]);
}

bool same_row(const pgf::NodeEvent& x, const pgf::NodeEvent& y, const Values& vals) {
    return x.ts == y.ts && vals.v[x.value] == vals.v[y.value] && x.mask == y.mask && x.can_be_base == y.can_be_base;
}

// Brute force: try every row as the base, keep the one the base rule picks,
// then walk the chain.
std::ptrdiff_t brute(pgf::NextNodeDirection dir, pgf::NextNodeBase base, int n_steps, const std::vector<pgf::NodeEvent>& ev) {
    const auto n = static_cast<std::ptrdiff_t>(ev.size());
    std::vector<std::ptrdiff_t> candidates;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        const auto& e = ev[static_cast<std::size_t>(i)];
        bool ok = e.can_be_base;
        if (base == pgf::NextNodeBase::Head) ok = ok && i == 0;
        if (base == pgf::NextNodeBase::Tail) ok = ok && i == n - 1;
        if (base == pgf::NextNodeBase::FirstMatch || base == pgf::NextNodeBase::LastMatch) ok = ok && (e.mask & 1u);
        if (ok) candidates.push_back(i);
    }
    if (candidates.empty() || n <= n_steps) return -1;
    const std::ptrdiff_t b = base == pgf::NextNodeBase::LastMatch ? candidates.back() : candidates.front();
    const std::ptrdiff_t step = dir == pgf::NextNodeDirection::Forward ? 1 : -1;
    for (int k = 0; k < n_steps; ++k) {
        const std::ptrdiff_t r = b + step * k;
        if (r < 0 || r >= n || !((ev[static_cast<std::size_t>(r)].mask >> k) & 1u)) return -1;
    }
    const std::ptrdiff_t answer = b + step * n_steps;
    return answer >= 0 && answer < n ? answer : -1;
}

std::string pick_text(FuzzedDataProvider& in, const std::vector<std::string>& valid) {
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
        case 0: return in.ConsumeRandomLengthString(40);
        case 1: {  // a valid word with random case and surrounding spaces
            std::string s = valid[in.ConsumeIntegralInRange<std::size_t>(0, valid.size() - 1)];
            for (char& c : s)
                if (in.ConsumeBool()) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
            return std::string(in.ConsumeIntegralInRange<std::size_t>(0, 2), ' ') + s +
                   std::string(in.ConsumeIntegralInRange<std::size_t>(0, 2), '\t');
        }
        default: return valid[in.ConsumeIntegralInRange<std::size_t>(0, valid.size() - 1)];
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const std::string dir_text = pick_text(in, {"forward", "backward"});
    const std::string base_text = pick_text(in, {"head", "tail", "first_match", "last_match"});
    pgf::NextNodeDirection dir{};
    pgf::NextNodeBase base{};
    const unsigned invalid = fuzz::bit(pgf::ErrorKind::InvalidParameter);
    if (!guard(invalid, [&] { dir = pgf::parse_next_node_direction(dir_text); })) return 0;
    if (!guard(invalid, [&] { base = pgf::parse_next_node_base(base_text); })) return 0;
    const int n_steps = in.ConsumeIntegralInRange<int>(-1, in.ConsumeBool() ? 66 : 4);
    if (!guard(invalid | fuzz::bit(pgf::ErrorKind::LimitExceeded), [&] { pgf::check_next_node_spec(dir, base, n_steps); }))
        return 0;

    Values vals;
    const std::size_t n_values = in.ConsumeIntegralInRange<std::size_t>(1, 4);
    for (std::size_t i = 0; i < n_values; ++i) vals.v.push_back(in.ConsumeRandomLengthString(4));
    std::vector<pgf::NodeEvent> ev;
    const std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, 12);
    const std::uint64_t all = n_steps >= 64 ? ~std::uint64_t{0} : n_steps <= 0 ? 1 : (std::uint64_t{1} << n_steps) - 1;
    for (std::size_t i = 0; i < n; ++i) {
        pgf::NodeEvent e;
        e.ts = fuzz::pick_time(in, 6);
        e.mask = in.ConsumeIntegral<std::uint64_t>() & (in.ConsumeBool() ? all : ~std::uint64_t{0});
        e.value = in.ConsumeIntegralInRange<std::uint32_t>(0, static_cast<std::uint32_t>(n_values - 1));
        e.can_be_base = in.ConsumeBool();
        ev.push_back(e);
    }
    std::vector<pgf::NodeEvent> rev(ev.rbegin(), ev.rend());
    pgf::sort_node_events(ev.data(), ev.size(), compare, &vals);
    pgf::sort_node_events(rev.data(), rev.size(), compare, &vals);
    for (std::size_t i = 0; i < ev.size(); ++i)
        FUZZ_CHECK(same_row(ev[i], rev[i], vals), "sort depends on the arrival order at row " << i);

    std::ptrdiff_t got = -2;
    guard(0, [&] { got = pgf::sequence_next_node(dir, base, n_steps, ev.data(), ev.size()); });
    const std::string what = "direction \"" + dir_text + "\" base \"" + base_text + "\" n_steps " +
                             std::to_string(n_steps) + " rows " + std::to_string(ev.size());
    const std::ptrdiff_t want = brute(dir, base, n_steps, ev);
    FUZZ_CHECK(got == want, what << " got " << got << " want " << want);

    // Pruning: head keeps the first rows, tail the last ones.
    const std::size_t keep = pgf::next_node_rows_needed(base, n_steps, ev.size());
    FUZZ_CHECK(keep <= ev.size(), what);
    if (keep < ev.size()) {
        FUZZ_CHECK(base == pgf::NextNodeBase::Head || base == pgf::NextNodeBase::Tail, what);
        const std::size_t from = base == pgf::NextNodeBase::Head ? 0 : ev.size() - keep;
        std::ptrdiff_t pruned = -2;
        guard(0, [&] { pruned = pgf::sequence_next_node(dir, base, n_steps, ev.data() + from, keep); });
        const std::ptrdiff_t mapped = pruned < 0 ? -1 : pruned + static_cast<std::ptrdiff_t>(from);
        FUZZ_CHECK(mapped == got, what << " pruned to " << keep << " rows: " << mapped << " instead of " << got);
    }
    return 0;
}
