// A brute-force reference for sequence_match / sequence_count /
// sequence_match_times, written from the path semantics in docs/journeys.md
// (configurations (action, position, base), tried in ClickHouse's backtracking
// order), not from the state-set simulation and feasibility tables in
// src/core/pattern.cpp. It enumerates paths by plain recursion, so it is
// exponential in the pattern length: tiny inputs only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/event.hpp"
#include "core/pattern.hpp"

namespace pgf_ref {

__extension__ typedef __int128 PatternRefI128;

class PatternRef {
public:
    PatternRef(const pgf::Pattern& pattern, const pgf::Event* ev, std::size_t n) {
        pgf::PatternElement star;
        star.op = pgf::PatternOp::AnyStar;
        act_.push_back(star);
        act_.insert(act_.end(), pattern.elements.begin(), pattern.elements.end());
        for (std::size_t i = 0; i < n; ++i)
            if (ev[i].mask != 0) ev_.push_back(ev[i]);  // only "stored" events take part
        for (std::size_t a = 1; a < act_.size(); ++a)
            if (!noop_at_end(act_[a])) all_noop_ = false;
    }

    bool match() {
        Path p;
        return first_path(0, 0, 0, accept(), p) || all_noop_;
    }

    std::uint64_t count() {
        std::uint64_t c = 0;
        std::size_t s = 0;
        while (s < ev_.size()) {
            Path p;
            if (!first_path(0, s, 0, accept(), p)) {
                if (all_noop_) ++c;
                break;
            }
            ++c;
            s = p.end > s ? p.end : s + 1;
        }
        return c;
    }

    // The first match's (?N) times, else the first partial path through the
    // longest prefix of (?N) elements.
    std::vector<std::int64_t> times() {
        Path p;
        if (first_path(0, 0, 0, accept(), p)) return p.times;
        std::vector<std::size_t> step_actions;
        for (std::size_t a = 1; a < act_.size(); ++a)
            if (act_[a].op == pgf::PatternOp::Step) step_actions.push_back(a);
        for (std::size_t k = step_actions.size(); k > 0; --k) {
            Path q;
            if (first_path(0, 0, 0, step_actions[k - 1] + 1, q)) return q.times;
        }
        return {};
    }

    // The end (position after the last consumed event, or where the last no-op
    // stopped) of the first match starting at or after s; npos if none.
    std::size_t first_match_end(std::size_t s) {
        Path p;
        return first_path(0, s, 0, accept(), p) ? p.end : static_cast<std::size_t>(-1);
    }

private:
    struct Path {
        std::vector<std::int64_t> times;
        std::size_t end = 0;
    };

    std::size_t accept() const { return act_.size(); }

    static bool noop_at_end(const pgf::PatternElement& e) {
        return e.op == pgf::PatternOp::AnyStar || e.op == pgf::PatternOp::TimeLE ||
               e.op == pgf::PatternOp::TimeLT || (e.op == pgf::PatternOp::TimeGE && e.span == 0);
    }

    // `later` - `earlier` compared with S; later >= earlier here. Computed in
    // 128 bits, a different route from the core's unsigned difference.
    static bool time_holds(pgf::PatternOp op, std::int64_t later, std::int64_t earlier, std::uint64_t span) {
        const PatternRefI128 d = static_cast<PatternRefI128>(later) - static_cast<PatternRefI128>(earlier);
        const PatternRefI128 s = static_cast<PatternRefI128>(span);
        switch (op) {
            case pgf::PatternOp::TimeLE: return d <= s;
            case pgf::PatternOp::TimeLT: return d < s;
            case pgf::PatternOp::TimeGE: return d >= s;
            case pgf::PatternOp::TimeGT: return d > s;
            case pgf::PatternOp::TimeEQ: return d == s;
            default: return false;
        }
    }

    // Depth-first, choices in increasing order: the first path found is the first
    // in ClickHouse's backtracking order.
    bool first_path(std::size_t a, std::size_t i, std::int64_t base, std::size_t target, Path& path) {
        if (a == target) {
            path.end = i;
            return true;
        }
        const pgf::PatternElement& x = act_[a];
        const std::size_t n = ev_.size();
        if (i == n) return noop_at_end(x) && first_path(a + 1, n, base, target, path);
        switch (x.op) {
            case pgf::PatternOp::Step:
                if (!((ev_[i].mask >> x.step) & 1u)) return false;
                path.times.push_back(ev_[i].ts);
                if (first_path(a + 1, i + 1, ev_[i].ts, target, path)) return true;
                path.times.pop_back();
                return false;
            case pgf::PatternOp::Any: return first_path(a + 1, i + 1, ev_[i].ts, target, path);
            case pgf::PatternOp::AnyStar:
                for (std::size_t j = i; j < n; ++j)
                    if (first_path(a + 1, j, ev_[j].ts, target, path)) return true;
                return false;
            default:
                for (std::size_t j = i; j < n; ++j)
                    if (time_holds(x.op, ev_[j].ts, base, x.span) && first_path(a + 1, j, ev_[j].ts, target, path))
                        return true;
                return false;
        }
    }

    std::vector<pgf::PatternElement> act_;
    std::vector<pgf::Event> ev_;
    bool all_noop_ = true;
};

}  // namespace pgf_ref
