// A brute-force reference for funnel_level / funnel_times, written from the
// funnel contract (entries, chains, the ordered walk and its stop rules, the
// any_order windows), not from the optimized scan in src/core/funnel.cpp.
// It enumerates every chain exhaustively, so it is only meant for tiny inputs
// (a dozen rows, a handful of steps).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/funnel.hpp"

namespace pgf_ref {

// Every mode combination funnel_steps accepts (26: the 24 ordered combinations of
// five bits with allow_reentry only under strict_order, and any_order with or
// without strict_once).
inline std::vector<std::uint32_t> valid_modes() {
    std::vector<std::uint32_t> out;
    for (std::uint32_t m = 0; m <= pgf::kAllFunnelModes; ++m) {
        try {
            pgf::check_funnel_modes(m);
            out.push_back(m);
        } catch (const pgf::Error&) {
        }
    }
    return out;
}

// One (row, step) pair. Step 0 stands for a row that matches no step, kept only
// under strict_order.
struct Entry {
    std::int64_t ts;
    int step;
    std::size_t row;
};

inline bool entry_before(const Entry& a, const Entry& b) {
    return std::tie(a.ts, a.step, a.row) < std::tie(b.ts, b.step, b.row);
}

// earlier <= later and later - earlier <= window (window >= 0), without overflow:
// the difference of two int64 values always fits in a uint64.
inline bool in_window(std::int64_t earlier, std::int64_t later, std::int64_t window) {
    if (later < earlier || window < 0) return false;
    const std::uint64_t d = static_cast<std::uint64_t>(later) - static_cast<std::uint64_t>(earlier);
    return d <= static_cast<std::uint64_t>(window);
}

inline bool has_step(std::uint64_t mask, int step) { return (mask >> (step - 1)) & 1u; }

// Entries of the rows (already sorted by (ts, mask)), in entry order.
inline std::vector<Entry> expand_entries(const pgf::FunnelSpec& spec, const pgf::Event* ev, std::size_t n) {
    std::vector<Entry> out;
    const bool strict_order = (spec.modes & pgf::kStrictOrder) != 0;
    for (std::size_t r = 0; r < n; ++r) {
        if (ev[r].mask == 0) {
            if (strict_order) out.push_back({ev[r].ts, 0, r});
            continue;
        }
        for (int s = 1; s <= spec.n_steps; ++s)
            if (has_step(ev[r].mask, s)) out.push_back({ev[r].ts, s, r});
    }
    std::sort(out.begin(), out.end(), entry_before);
    return out;
}

// Calls visit(chain) for every chain (of every length >= 1) among `entries`;
// a chain is a vector of indexes into `entries`, increasing, with steps 1, 2, ...
inline void for_each_chain(const pgf::FunnelSpec& spec, const std::vector<Entry>& entries,
                           const std::function<void(const std::vector<std::size_t>&)>& visit) {
    const bool strict_increase = (spec.modes & pgf::kStrictIncrease) != 0;
    const bool strict_once = (spec.modes & pgf::kStrictOnce) != 0;
    std::vector<std::size_t> chain;
    std::function<void()> extend = [&]() {
        visit(chain);
        const int next_step = static_cast<int>(chain.size()) + 1;
        if (next_step > spec.n_steps) return;
        const Entry& first = entries[chain.front()];
        const Entry& last = entries[chain.back()];
        for (std::size_t i = chain.back() + 1; i < entries.size(); ++i) {
            const Entry& e = entries[i];
            if (e.step != next_step) continue;
            if (!in_window(first.ts, e.ts, spec.window)) continue;
            if (strict_increase && !(e.ts > last.ts)) continue;
            if (strict_once) {
                bool reused = false;
                for (std::size_t c : chain)
                    if (entries[c].row == e.row) reused = true;
                if (reused) continue;
            }
            chain.push_back(i);
            extend();
            chain.pop_back();
        }
    };
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].step != 1) continue;
        chain.assign(1, i);
        extend();
    }
}

struct OrderedResult {
    int level = 0;
    std::size_t stop = 0;  // index of the stopping entry; entries.size() if none
    std::vector<std::int64_t> times;
};

inline OrderedResult ordered(const pgf::FunnelSpec& spec, const pgf::Event* ev, std::size_t n) {
    const std::vector<Entry> entries = expand_entries(spec, ev, n);
    const std::size_t m = entries.size();
    const std::size_t none = std::numeric_limits<std::size_t>::max();

    // min_end[j]: the smallest index of a last entry over all chains of length j;
    // "a chain of length j exists among entries [0, p)" iff min_end[j] < p.
    std::vector<std::size_t> min_end(static_cast<std::size_t>(spec.n_steps) + 1, none);
    for_each_chain(spec, entries, [&](const std::vector<std::size_t>& c) {
        std::size_t& slot = min_end[c.size()];
        slot = std::min(slot, c.back());
    });
    auto reached_before = [&](int j, std::size_t p) {
        return min_end[static_cast<std::size_t>(j)] != none && min_end[static_cast<std::size_t>(j)] < p;
    };

    // The walk.
    OrderedResult res;
    res.stop = m;
    bool started = false;
    const std::uint32_t modes = spec.modes;
    for (std::size_t p = 0; p < m && res.stop == m; ++p) {
        const int s = entries[p].step;
        if (s == 0) {
            if (started) res.stop = p;
        } else if (s >= 2) {
            if ((modes & pgf::kStrictDeduplication) && reached_before(s, p)) {
                res.stop = p;
            } else if ((modes & pgf::kStrictOrder) && started && !reached_before(s - 1, p)) {
                if (!(modes & pgf::kAllowReentry)) res.stop = p;
            }
        }
        if (s == 1) started = true;
    }
    for (int j = 1; j <= spec.n_steps; ++j)
        if (reached_before(j, res.stop)) res.level = j;
    if (res.level == 0) return res;

    // Times: among chains of length `level` before the stop, the earliest first
    // entry, then the lexicographically smallest vector of times.
    const std::size_t k = static_cast<std::size_t>(res.level);
    std::size_t best_first = none;
    for_each_chain(spec, entries, [&](const std::vector<std::size_t>& c) {
        if (c.size() != k || c.back() >= res.stop) return;
        std::vector<std::int64_t> t;
        for (std::size_t i : c) t.push_back(entries[i].ts);
        if (best_first == none || c.front() < best_first || (c.front() == best_first && t < res.times)) {
            best_first = c.front();
            res.times = t;
        }
    });
    return res;
}

// Can steps 1..k each be given a distinct row among `rows`?
inline bool distinct_rows_cover(const std::vector<std::uint64_t>& rows, int k) {
    std::vector<char> used(rows.size(), 0);
    std::function<bool(int)> place = [&](int step) {
        if (step > k) return true;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (used[i] || !has_step(rows[i], step)) continue;
            used[i] = 1;
            if (place(step + 1)) return true;
            used[i] = 0;
        }
        return false;
    };
    return place(1);
}

struct AnyOrderResult {
    int level = 0;
    std::vector<std::int64_t> times;
};

inline AnyOrderResult any_order(const pgf::FunnelSpec& spec, const pgf::Event* ev, std::size_t n) {
    const bool once = (spec.modes & pgf::kStrictOnce) != 0;
    AnyOrderResult res;
    std::int64_t best_a = 0;
    // Every candidate start a = ts of some row; keep the earliest a of the best level.
    std::vector<std::int64_t> starts;
    for (std::size_t i = 0; i < n; ++i) starts.push_back(ev[i].ts);
    std::sort(starts.begin(), starts.end());
    for (std::int64_t a : starts) {
        std::vector<std::uint64_t> rows;
        for (std::size_t i = 0; i < n; ++i)
            if (in_window(a, ev[i].ts, spec.window)) rows.push_back(ev[i].mask);
        int k = 0;
        for (int j = 1; j <= spec.n_steps; ++j) {
            bool ok;
            if (once) {
                ok = distinct_rows_cover(rows, j);
            } else {
                ok = true;
                for (int s = 1; s <= j; ++s) {
                    bool found = false;
                    for (std::uint64_t mk : rows) found = found || has_step(mk, s);
                    ok = ok && found;
                }
            }
            if (!ok) break;
            k = j;
        }
        if (k > res.level) {
            res.level = k;
            best_a = a;
        }
    }
    for (int j = 1; j <= res.level; ++j) {
        std::int64_t t = std::numeric_limits<std::int64_t>::max();
        for (std::size_t i = 0; i < n; ++i)
            if (in_window(best_a, ev[i].ts, spec.window) && has_step(ev[i].mask, j)) t = std::min(t, ev[i].ts);
        res.times.push_back(t);
    }
    return res;
}

inline int level(const pgf::FunnelSpec& spec, const pgf::Event* ev, std::size_t n) {
    if (spec.modes & pgf::kAnyOrder) return any_order(spec, ev, n).level;
    return ordered(spec, ev, n).level;
}

inline std::vector<std::int64_t> times(const pgf::FunnelSpec& spec, const pgf::Event* ev, std::size_t n) {
    if (spec.modes & pgf::kAnyOrder) return any_order(spec, ev, n).times;
    return ordered(spec, ev, n).times;
}

}  // namespace pgf_ref
