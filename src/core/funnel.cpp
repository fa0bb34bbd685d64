#include "core/funnel.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

#include <boost/container/flat_map.hpp>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace pgf {

// ---------------------------------------------------------------- modes

namespace {

struct ModeName {
    const char* name;
    std::uint32_t bit;
};
constexpr ModeName kModeNames[] = {
    {"strict_deduplication", kStrictDeduplication},
    {"strict_order", kStrictOrder},
    {"strict_increase", kStrictIncrease},
    {"strict_once", kStrictOnce},
    {"allow_reentry", kAllowReentry},
    {"any_order", kAnyOrder},
};

std::string valid_mode_list() {
    std::string s;
    for (const auto& m : kModeNames) {
        if (!s.empty()) s += ", ";
        s += m.name;
    }
    return s;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
    return true;
}

}  // namespace

std::uint32_t parse_funnel_modes(std::string_view text) {
    std::uint32_t modes = 0;
    if (trim(text).empty()) return 0;
    std::size_t pos = 0;
    for (;;) {
        std::size_t comma = text.find(',', pos);
        std::string_view token = trim(text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos));
        if (token.empty())
            fail(ErrorKind::InvalidParameter,
                 "empty funnel mode in \"" + std::string(text) + "\"; valid modes are: " + valid_mode_list());
        std::uint32_t bit = 0;
        for (const auto& m : kModeNames)
            if (iequals(token, m.name)) bit = m.bit;
        if (bit == 0) {
            if (iequals(token, "strict"))
                fail(ErrorKind::InvalidParameter,
                     "funnel mode \"strict\" is called \"strict_deduplication\"; valid modes are: " +
                         valid_mode_list());
            fail(ErrorKind::InvalidParameter, "unknown funnel mode \"" + std::string(token) +
                                                  "\"; valid modes are: " + valid_mode_list());
        }
        modes |= bit;
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    check_funnel_modes(modes);
    return modes;
}

std::string funnel_modes_to_string(std::uint32_t modes) {
    std::string s;
    for (const auto& m : kModeNames)
        if (modes & m.bit) {
            if (!s.empty()) s += ",";
            s += m.name;
        }
    return s;
}

void check_funnel_modes(std::uint32_t modes) {
    if (modes & ~kAllFunnelModes) fail(ErrorKind::InvalidParameter, "invalid funnel mode bits");
    if ((modes & kAllowReentry) && !(modes & kStrictOrder))
        fail(ErrorKind::InvalidParameter,
             "funnel mode allow_reentry requires strict_order; valid modes are: " + valid_mode_list());
    if (modes & kAnyOrder) {
        const std::uint32_t ordered = kStrictOrder | kStrictDeduplication | kStrictIncrease | kAllowReentry;
        if (modes & ordered)
            fail(ErrorKind::InvalidParameter,
                 "funnel mode any_order cannot be combined with " + funnel_modes_to_string(modes & ordered) +
                     " (they constrain the order of steps); it combines only with strict_once; valid modes are: " +
                     valid_mode_list());
    }
}

void check_funnel_spec(const FunnelSpec& spec) {
    if (spec.window < 0) fail(ErrorKind::InvalidParameter, "funnel window must not be negative");
    if (spec.n_steps < 1) fail(ErrorKind::InvalidParameter, "a funnel needs at least one step");
    if (spec.n_steps > kMaxSteps)
        fail(ErrorKind::LimitExceeded, "a funnel has at most " + std::to_string(kMaxSteps) + " steps, got " +
                                           std::to_string(spec.n_steps));
    check_funnel_modes(spec.modes);
}

// ---------------------------------------------------------------- matching

namespace {

// Within one timestamp, strict_once needs distinct rows for distinct steps of a
// chain. Rows with equal masks are interchangeable, so the rows of a group are
// reduced to (mask, count) types and steps are matched to them (Kuhn's
// augmenting paths with capacities). Groups of one row never get here.
class StepMatcher {
public:
    void reset_types() { types_.clear(); }
    void add_type(std::uint64_t mask, std::size_t count) {
        types_.push_back({mask, static_cast<int>(std::min<std::size_t>(count, kMaxSteps))});
    }
    // Removes one unit of the type with this mask (a row already used by the chain).
    bool reserve(std::uint64_t mask) {
        for (auto& t : types_)
            if (t.mask == mask) {
                if (t.cap == 0) return false;
                --t.cap;
                return true;
            }
        return false;
    }
    void unreserve(std::uint64_t mask) {
        for (auto& t : types_)
            if (t.mask == mask) ++t.cap;
    }

    // Smallest s >= floor such that steps s..top (1-based) can all be given distinct
    // rows; top + 1 if even step `top` cannot (or top < floor).
    int lowest_matchable(int top, int floor) {
        cond_type_.fill(-1);
        for (auto& t : types_) t.used = 0;
        for (int k = top; k >= floor; --k) {
            seen_.assign(types_.size(), 0);
            if (!augment(k)) return k + 1;
        }
        return floor;
    }

private:
    struct Type {
        std::uint64_t mask;
        int cap;
        int used = 0;
    };

    bool augment(int k) {
        const std::uint64_t bit = std::uint64_t{1} << (k - 1);
        for (std::size_t i = 0; i < types_.size(); ++i) {
            if (!(types_[i].mask & bit) || seen_[i] || types_[i].cap == 0) continue;
            seen_[i] = 1;
            if (types_[i].used < types_[i].cap) {
                ++types_[i].used;
                cond_type_[k] = static_cast<int>(i);
                return true;
            }
            for (int j = 1; j <= kMaxSteps; ++j) {
                if (cond_type_[j] != static_cast<int>(i)) continue;
                cond_type_[j] = -1;
                if (augment(j)) {
                    cond_type_[k] = static_cast<int>(i);
                    return true;
                }
                cond_type_[j] = static_cast<int>(i);
            }
        }
        return false;
    }

    std::vector<Type> types_;
    std::vector<char> seen_;
    std::array<int, kMaxSteps + 1> cond_type_{};
};

// ---------------------------------------------------------------- ordered scan

// Entries are (time, step, row) in ClickHouse's order: within one timestamp all
// step-1 entries first, then step 2, ...; rows that match nothing come first as
// step 0 (kept only under strict_order). `Position` names one entry.
struct Position {
    std::size_t group;
    int step;
    std::size_t row;
    bool operator<(const Position& o) const {
        if (group != o.group) return group < o.group;
        if (step != o.step) return step < o.step;
        return row < o.row;
    }
};
constexpr Position kEnd{std::numeric_limits<std::size_t>::max(), 0, 0};

class OrderedScan {
public:
    OrderedScan(const FunnelSpec& spec, const Event* ev, std::size_t n) : spec_(spec), ev_(ev), n_(n) {
        strict_increase_ = spec.modes & kStrictIncrease;
        strict_once_ = (spec.modes & kStrictOnce) && !strict_increase_;  // distinct times imply distinct rows
        staged_ = strict_increase_ || strict_once_;
    }

    // The whole scan with ClickHouse's stop rules. Returns the level; stop() is
    // the entry where it stopped (kEnd if it ran through).
    // With locate_stop, a scan that completes every step goes on to find where
    // the stop rules would have ended it: step times may only use entries before it.
    // reach_times (optional): reach_times[i] = the time level i + 1 was first
    // reached.
    int run(bool locate_stop = false, std::int64_t* reach_times = nullptr) {
        attempt_ = false;
        locate_stop_ = locate_stop && (spec_.modes & (kStrictOrder | kStrictDeduplication));
        return scan(0, kEnd, reach_times);
    }

    // One attempt: only `start_row` (in the group starting at `start_group`) may
    // open a chain, entries from `limit` on are ignored. times[i] = the earliest
    // time level i + 1 is reached.
    int attempt(std::size_t start_group, std::size_t start_row, Position limit, std::int64_t* times) {
        attempt_ = true;
        start_row_ = start_row;
        start_group_ = start_group;
        return scan(start_group, limit, times);
    }

    Position stop() const { return stop_; }

private:
    enum class Outcome { Continue, Stop, Complete };  // Complete: every step reached

    int scan(std::size_t g, Position limit, std::int64_t* times) {
        times_ = times;
        has_ = committed_ = pending_ = 0;
        started_ = false;
        completed_ = false;
        stop_ = kEnd;
        const int n_steps = spec_.n_steps;
        const std::uint64_t step_bits = all_steps_mask(n_steps);
        while (g < n_) {
            std::size_t ge = g + 1;
            std::uint64_t group_or = ev_[g].mask;
            while (ge < n_ && ev_[ge].ts == ev_[g].ts) group_or |= ev_[ge++].mask;
            const std::int64_t t = ev_[g].ts;
            if (attempt_ && !within(ev_[start_row_].ts, t, spec_.window)) break;
            commit();
            group_begin_ = g;
            group_end_ = ge;
            types_ready_ = false;
            cache_valid_ = false;

            // Step 0: rows matching nothing (sorted first in the group).
            if (ev_[g].mask == 0 && (spec_.modes & kStrictOrder) && !attempt_) {
                if (!(Position{g, 0, g} < limit)) return finish();
                if (started_) {
                    stop_ = Position{g, 0, g};
                    return level();
                }
            }
            for (std::uint64_t m = group_or & step_bits; m; m &= m - 1) {
                const int step = __builtin_ctzll(m) + 1;
                const std::uint64_t bit = std::uint64_t{1} << (step - 1);
                for (std::size_t r = g; r < ge; ++r) {
                    if (!(ev_[r].mask & bit)) continue;
                    if (!(Position{g, step, r} < limit)) return finish();
                    const Outcome o = entry(t, step, r);
                    if (o == Outcome::Complete) {
                        if (!locate_stop_) return level();
                        completed_ = true;
                    }
                    if (o == Outcome::Stop) {
                        stop_ = Position{g, step, r};
                        return level();
                    }
                    check_.tick();
                }
            }
            g = ge;
        }
        return finish();
    }

    int finish() { return level(); }

    std::uint64_t reached() const { return staged_ ? (committed_ | pending_) : has_; }
    int level() const {
        const std::uint64_t r = reached();
        return r ? 64 - __builtin_clzll(r) : 0;
    }

    void commit() {
        if (!staged_) return;
        for (std::uint64_t m = pending_; m; m &= m - 1) {
            const int i = __builtin_ctzll(m);
            if (!(committed_ >> i & 1) || pfirst_[i] > cfirst_[i]) cfirst_[i] = pfirst_[i];
        }
        committed_ |= pending_;
        pending_ = 0;
    }

    // Records that level i was reached by a chain starting at `first`.
    void reach(int i, std::int64_t first, std::int64_t t) {
        const std::uint64_t bit = std::uint64_t{1} << i;
        if (times_ && !(reached() & bit)) times_[i] = t;
        if (staged_) {
            if (!(pending_ & bit) || first > pfirst_[i]) pfirst_[i] = first;
            pending_ |= bit;
        } else {
            if (!(has_ & bit) || first > first_[i]) first_[i] = first;
            has_ |= bit;
        }
    }

    Outcome entry(std::int64_t t, int step, std::size_t r) {
        const int i = step - 1;
        if (completed_)  // every step is reached: only the stop rules still matter
            return (step >= 2 && (spec_.modes & kStrictDeduplication)) ? Outcome::Stop : Outcome::Continue;
        if (step == 1) {
            if (attempt_ && r != start_row_) return Outcome::Continue;
            reach(0, t, t);
            started_ = true;
            return spec_.n_steps == 1 ? Outcome::Complete : Outcome::Continue;
        }
        const std::uint64_t now = reached();
        if (!attempt_) {
            if ((spec_.modes & kStrictDeduplication) && (now >> i & 1)) return Outcome::Stop;
            if ((spec_.modes & kStrictOrder) && started_ && !(now >> (i - 1) & 1)) {
                if (spec_.modes & kAllowReentry) return Outcome::Continue;
                return Outcome::Stop;
            }
        }
        if (strict_once_) {
            std::int64_t first;
            if (once_first(t, step, r, &first)) reach(i, first, t);
        } else if (strict_increase_) {
            if ((committed_ >> (i - 1) & 1) && within(cfirst_[i - 1], t, spec_.window)) reach(i, cfirst_[i - 1], t);
        } else if ((has_ >> (i - 1) & 1) && within(first_[i - 1], t, spec_.window)) {
            reach(i, first_[i - 1], t);
        }
        return (reached() >> (spec_.n_steps - 1) & 1) ? Outcome::Complete : Outcome::Continue;
    }

    // strict_once: the latest start of a chain whose step `step` is row r, all
    // rows distinct. The chain enters this timestamp at some step s <= step
    // (from a committed chain of level s - 1, or as a new chain when s = 1) and
    // needs distinct rows here for steps s..step.
    bool once_first(std::int64_t t, int step, std::size_t r, std::int64_t* first) {
        const bool single = group_end_ - group_begin_ == 1;
        const bool in_start_group = attempt_ && group_begin_ == start_group_;
        if (!single && !attempt_ && cache_valid_ && cache_step_ == step && cache_mask_ == ev_[r].mask) {
            *first = cache_first_;
            return cache_ok_;
        }
        int s = step;  // lowest step that can be placed at this timestamp
        if (!single) {
            if (!types_ready_) {
                matcher_.reset_types();
                for (std::size_t a = group_begin_; a < group_end_;) {
                    std::size_t b = a + 1;
                    while (b < group_end_ && ev_[b].mask == ev_[a].mask) ++b;
                    matcher_.add_type(ev_[a].mask, b - a);
                    a = b;
                }
                types_ready_ = true;
            }
            matcher_.reserve(ev_[r].mask);
            if (in_start_group) {
                const bool ok = r != start_row_ && matcher_.reserve(ev_[start_row_].mask);
                s = ok ? matcher_.lowest_matchable(step - 1, 2) : step + 1;
                if (ok) matcher_.unreserve(ev_[start_row_].mask);
            } else {
                s = matcher_.lowest_matchable(step - 1, attempt_ ? 2 : 1);
            }
            matcher_.unreserve(ev_[r].mask);
        } else if (in_start_group) {
            s = step + 1;  // the start row is this very row
        }
        bool ok = false;
        if (in_start_group) {
            ok = s <= 2;
            *first = ev_[start_row_].ts;
        } else if (s == 1) {
            ok = true;
            *first = t;
        } else {
            // Committed starts never increase with the level, so the lowest entry
            // level is the best one if it is in the window at all.
            const int below = s - 2;
            ok = (committed_ >> below & 1) && within(cfirst_[below], t, spec_.window);
            if (ok) *first = cfirst_[below];
        }
        if (!single && !attempt_) {
            cache_valid_ = true;
            cache_step_ = step;
            cache_mask_ = ev_[r].mask;
            cache_ok_ = ok;
            cache_first_ = ok ? *first : 0;
        }
        return ok;
    }

    const FunnelSpec& spec_;
    const Event* ev_;
    std::size_t n_;
    bool strict_increase_ = false, strict_once_ = false, staged_ = false;
    bool attempt_ = false, started_ = false, locate_stop_ = false, completed_ = false;
    std::size_t start_row_ = 0, start_group_ = 0;
    Position stop_ = kEnd;
    std::int64_t* times_ = nullptr;

    // Default mode: per level, the latest start of a chain reaching it.
    std::uint64_t has_ = 0;
    std::array<std::int64_t, kMaxSteps> first_{};
    // strict_increase / strict_once: chains ending before this timestamp
    // (committed) and at it (pending), kept apart because they may not chain.
    std::uint64_t committed_ = 0, pending_ = 0;
    std::array<std::int64_t, kMaxSteps> cfirst_{}, pfirst_{};

    std::size_t group_begin_ = 0, group_end_ = 0;
    bool types_ready_ = false;
    StepMatcher matcher_;
    bool cache_valid_ = false, cache_ok_ = false;
    int cache_step_ = 0;
    std::uint64_t cache_mask_ = 0;
    std::int64_t cache_first_ = 0;
    InterruptCheck check_;
};

// ---------------------------------------------------------------- any_order

// Largest k such that steps 1..k all occur inside one window (with strict_once:
// on distinct rows). A window can always start at one of its events, so a
// sliding window anchored at each distinct time is enough.
class AnyOrderScan {
public:
    AnyOrderScan(const FunnelSpec& spec, const Event* ev, std::size_t n) : spec_(spec), ev_(ev), n_(n) {}

    int run(std::size_t* best_left = nullptr, std::size_t* best_right = nullptr) {
        const int n_steps = spec_.n_steps;
        const bool once = spec_.modes & kStrictOnce;
        std::array<std::uint32_t, kMaxSteps> count{};
        std::uint64_t present = 0;
        boost::container::flat_map<std::uint64_t, std::size_t> mask_count;
        int best = 0;
        std::size_t right = 0;
        InterruptCheck check;
        for (std::size_t left = 0; left < n_ && best < n_steps; ++left) {
            if (left == 0 || ev_[left].ts != ev_[left - 1].ts) {
                while (right < n_ && within(ev_[left].ts, ev_[right].ts, spec_.window)) {
                    for (std::uint64_t m = ev_[right].mask; m; m &= m - 1) {
                        const int i = __builtin_ctzll(m);
                        if (count[i]++ == 0) present |= std::uint64_t{1} << i;
                    }
                    if (once) ++mask_count[ev_[right].mask];
                    ++right;
                    check.tick();
                }
                // ctz(0) is undefined: all 64 steps present means k = 64.
                int k = std::min(n_steps, ~present ? __builtin_ctzll(~present) : kMaxSteps);
                if (k > best && once) k = matched_prefix(mask_count, k);
                if (k > best) {
                    best = k;
                    if (best_left) *best_left = left;
                    if (best_right) *best_right = right;
                }
            }
            for (std::uint64_t m = ev_[left].mask; m; m &= m - 1) {
                const int i = __builtin_ctzll(m);
                if (--count[i] == 0) present &= ~(std::uint64_t{1} << i);
            }
            if (once) {
                auto it = mask_count.find(ev_[left].mask);
                if (--it->second == 0) mask_count.erase(it);
            }
        }
        return best;
    }

private:
    int matched_prefix(const boost::container::flat_map<std::uint64_t, std::size_t>& mask_count, int k) {
        // Steps 1..j matchable for j = k is what we want; matching is monotone in j,
        // so find the largest j whose prefix matches, testing from 1 upward.
        matcher_.reset_types();
        for (const auto& [mask, c] : mask_count)
            if (mask) matcher_.add_type(mask, c);
        int best = 0;
        for (int j = 1; j <= k; ++j) {
            if (matcher_.lowest_matchable(j, 1) != 1) break;
            best = j;
        }
        return best;
    }

    const FunnelSpec& spec_;
    const Event* ev_;
    std::size_t n_;
    StepMatcher matcher_;
};

// Without strict_once an attempt is a greedy chain: from its step-1 event, each
// next step is the earliest event of that step at the same time or later (strictly
// later with strict_increase). Taking the earliest is never worse, so the chain
// of each start is found with one binary search per step: O(K log n) an attempt.
class GreedyAttempts {
public:
    GreedyAttempts(const FunnelSpec& spec, const Event* ev, std::size_t n, Position limit)
        : spec_(spec), ev_(ev), limit_(limit), rows_(static_cast<std::size_t>(spec.n_steps)) {
        limit_ts_ = limit.group < n ? ev[limit.group].ts : 0;
        for (std::size_t r = 0; r < n; ++r)
            for (std::uint64_t m = ev[r].mask; m; m &= m - 1) {
                const int i = __builtin_ctzll(m);
                if (i < spec.n_steps) rows_[static_cast<std::size_t>(i)].push_back(r);
            }
    }

    // Times of the first start that reaches `level`; false if none does.
    bool find(int level, std::int64_t* times) {
        const bool strict = spec_.modes & kStrictIncrease;
        InterruptCheck check;
        bool tried = false;
        std::int64_t tried_ts = 0;
        for (std::size_t r : rows_[0]) {
            if (!before_limit(r, 1)) break;
            if (tried && ev_[r].ts == tried_ts) continue;  // same start time, same chain
            tried = true;
            tried_ts = ev_[r].ts;
            times[0] = ev_[r].ts;
            int reached = 1;
            for (int j = 1; j < level; ++j) {
                const auto& rows = rows_[static_cast<std::size_t>(j)];
                const std::int64_t prev = times[j - 1];
                auto it = std::partition_point(rows.begin(), rows.end(), [&](std::size_t x) {
                    return strict ? ev_[x].ts <= prev : ev_[x].ts < prev;
                });
                if (it == rows.end() || !before_limit(*it, j + 1) || !within(times[0], ev_[*it].ts, spec_.window))
                    break;
                times[j] = ev_[*it].ts;
                reached = j + 1;
            }
            if (reached >= level) return true;
            check.tick();
        }
        return false;
    }

private:
    // Is entry (row r, step) before the scan's stop position? Entries of one
    // timestamp are ordered by step, then row.
    bool before_limit(std::size_t r, int step) const {
        if (limit_.group == kEnd.group) return true;
        if (ev_[r].ts != limit_ts_) return ev_[r].ts < limit_ts_;
        return step < limit_.step || (step == limit_.step && r < limit_.row);
    }

    const FunnelSpec& spec_;
    const Event* ev_;
    Position limit_;
    std::int64_t limit_ts_ = 0;
    std::vector<std::vector<std::size_t>> rows_;  // per step, the rows matching it, in order
};

}  // namespace

// ---------------------------------------------------------------- public API

namespace {

// The default mode (no modes) without the machinery of OrderedScan: per level, the
// latest start of a chain reaching it. Within one timestamp the steps are taken
// in ascending order, and rows of one step at one instant act alike, so the OR of
// the group's masks is enough. Same answers as OrderedScan (unit-tested on random
// input against the brute force in every mode). Kept out of line: inlined into
// funnel_level it shares a frame with the other scans and spills its state
// (core_bench, 8 steps, 10 events per actor: 143 -> 153 M events/s).
__attribute__((noinline)) int default_level(const FunnelSpec& spec, const Event* ev, std::size_t n) {
    const int n_steps = spec.n_steps;
    const std::uint64_t step_bits = all_steps_mask(n_steps);
    const std::uint64_t last = std::uint64_t{1} << (n_steps - 1);
    const std::int64_t window = spec.window;
    // start[i + 1] is the latest start of a chain reaching step i (INT64_MIN
    // before); start[0] is the current time, so step 0 follows the same rule as
    // the others: one update with a conditional move instead of a branch per
    // step, whose outcome follows the unpredictable order of an actor's steps.
    std::int64_t start[kMaxSteps + 1];
    for (int i = 0; i <= n_steps; ++i) start[i] = std::numeric_limits<std::int64_t>::min();
    std::uint64_t reached = 0;  // bit i: step i reached
    InterruptCheck check;
    for (std::size_t g = 0; g < n;) {
        const std::int64_t t = ev[g].ts;
        std::uint64_t group_or = 0;
        for (; g < n && ev[g].ts == t; ++g) group_or |= ev[g].mask;
        start[0] = t;
        for (std::uint64_t m = group_or & step_bits; m; m &= m - 1) {
            const int i = __builtin_ctzll(m);
            const std::int64_t from = start[i];
            const std::int64_t current = start[i + 1];
            const bool ok = (((reached << 1 | 1) >> i) & 1) != 0 && within(from, t, window);
            start[i + 1] = ok && from > current ? from : current;
            reached |= static_cast<std::uint64_t>(ok) << i;
        }
        if (reached & last) return n_steps;
        check.tick();
    }
    return reached ? 64 - __builtin_clzll(reached) : 0;
}

}  // namespace

int funnel_level(const FunnelSpec& spec, const Event* ev, std::size_t n) {
    if (n == 0) return 0;
    if (spec.modes == 0) return default_level(spec, ev, n);
    if (spec.modes & kAnyOrder) return AnyOrderScan(spec, ev, n).run();
    return OrderedScan(spec, ev, n).run();
}

std::vector<std::int64_t> funnel_times(const FunnelSpec& spec, const Event* ev, std::size_t n) {
    if (n == 0) return {};
    if (spec.modes & kAnyOrder) {
        std::size_t left = 0, right = 0;
        const int k = AnyOrderScan(spec, ev, n).run(&left, &right);
        std::vector<std::int64_t> times(static_cast<std::size_t>(k));
        for (int i = 0; i < k; ++i) {
            const std::uint64_t bit = std::uint64_t{1} << i;
            for (std::size_t r = left; r < right; ++r)
                if (ev[r].mask & bit) {
                    times[static_cast<std::size_t>(i)] = ev[r].ts;
                    break;
                }
        }
        return times;
    }
    OrderedScan scan(spec, ev, n);
    std::array<std::int64_t, kMaxSteps> reach_times{};
    const int level = scan.run(/*locate_stop=*/true, reach_times.data());
    if (level == 0) return {};
    const Position limit = scan.stop();
    std::array<std::int64_t, kMaxSteps> times{};
    if (!(spec.modes & kStrictOnce) || (spec.modes & kStrictIncrease)) {
        if (GreedyAttempts(spec, ev, n, limit).find(level, times.data()))
            return std::vector<std::int64_t>(times.begin(), times.begin() + level);
        fail(ErrorKind::Internal, "internal error: no attempt reaches the funnel level");
    }
    // strict_once: distinct rows within one timestamp need the full scan per attempt.
    // No chain reaches `level` before the scan first did, so a start more than a
    // window before that time cannot: skipping those starts leaves the attempts
    // of one window's starts, where every start of the actor was tried before
    // (quadratic in its rows). allow_reentry's ignored entries change nothing
    // here: an entry is ignored only when its previous step was never reached.
    const std::int64_t first_end = reach_times[static_cast<std::size_t>(level - 1)];
    const auto too_early = [&](const Event& e) { return e.ts < first_end && !within(e.ts, first_end, spec.window); };
    const std::size_t first_start = static_cast<std::size_t>(std::partition_point(ev, ev + n, too_early) - ev);
    const Event* tried = nullptr;
    InterruptCheck check;
    std::size_t g = first_start;  // first row of r's timestamp (the skip ends at a timestamp's first row)
    for (std::size_t r = first_start; r < n; ++r) {
        if (ev[r].ts != ev[g].ts) g = r;
        if (!(ev[r].mask & 1)) continue;
        // An identical row gives an identical attempt, except under strict_once
        // within one timestamp: the earlier twin may then be the later one's step 2.
        if (tried && *tried == ev[r] && !(spec.modes & kStrictOnce)) continue;
        if (!(Position{g, 1, r} < limit)) break;
        tried = &ev[r];
        if (scan.attempt(g, r, limit, times.data()) >= level)
            return std::vector<std::int64_t>(times.begin(), times.begin() + level);
        check.tick();
    }
    fail(ErrorKind::Internal, "internal error: no attempt reaches the funnel level");
}

}  // namespace pgf
