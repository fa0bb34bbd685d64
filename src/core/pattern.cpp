#include "core/pattern.hpp"

#include <algorithm>
#include <limits>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace pgf {

// ---------------------------------------------------------------- parser

namespace {

// 1-based character position of byte `index` (UTF-8 continuation bytes do not count).
int char_position(std::string_view text, std::size_t index) {
    int pos = 1;
    for (std::size_t i = 0; i < index && i < text.size(); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++pos;
    return pos;
}

// The (possibly multi-byte) character starting at byte `index`, for messages.
std::string char_at(std::string_view text, std::size_t index) {
    std::size_t end = index + 1;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    return std::string(text.substr(index, end - index));
}

class PatternParser {
public:
    PatternParser(std::string_view text, int n_conditions, std::int64_t units_per_second)
        : text_(text), n_conditions_(n_conditions), units_per_second_(units_per_second) {}

    Pattern parse() {
        Pattern p;
        p.n_conditions = n_conditions_;
        if (text_.empty()) fail_plain("the pattern is empty; write at least one element such as (?1)");
        while (pos_ < text_.size()) {
            if (static_cast<int>(p.elements.size()) >= kMaxPatternElements)
                fail(ErrorKind::LimitExceeded, "invalid pattern " + quoted() + ": more than " +
                                                   std::to_string(kMaxPatternElements) + " elements (at position " +
                                                   std::to_string(char_position(text_, pos_)) + ")");
            const std::size_t start = pos_;
            PatternElement e;
            e.position = char_position(text_, start);
            const char c = text_[pos_];
            if (c == '.') {
                ++pos_;
                if (pos_ < text_.size() && text_[pos_] == '*') {
                    ++pos_;
                    e.op = PatternOp::AnyStar;
                } else {
                    e.op = PatternOp::Any;
                }
            } else if (c == '(') {
                ++pos_;
                if (pos_ >= text_.size() || text_[pos_] != '?')
                    syntax(pos_, "expected \"?\" after \"(\" (elements are (?N) and (?t<op>S))");
                ++pos_;
                if (pos_ < text_.size() && text_[pos_] == 't') {
                    ++pos_;
                    e.op = parse_time_op();
                    const std::size_t num_at = pos_;
                    const std::uint64_t s = parse_number("a time span S (a non-negative integer)");
                    if (s > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(units_per_second_))
                        syntax(num_at, "time span " + std::to_string(s) + " is too large");
                    e.span = s * static_cast<std::uint64_t>(units_per_second_);
                    expect_close(start);
                    if (p.elements.empty())
                        syntax(start,
                               "a time condition cannot start the pattern: it compares with the event matched "
                               "before it, so put (?N), \".\" or \".*\" first");
                    if (is_time(p.elements.back().op))
                        syntax(start,
                               "two time conditions in a row; a time condition must follow (?N), \".\" or \".*\"");
                    p.has_time = true;
                } else {
                    const std::size_t num_at = pos_;
                    const std::uint64_t n = parse_number("a condition number N");
                    if (n < 1 || n > static_cast<std::uint64_t>(n_conditions_))
                        syntax(num_at, "(?" + std::to_string(n) + ") is out of range: the conditions are numbered 1.." +
                                           std::to_string(n_conditions_));
                    expect_close(start);
                    e.op = PatternOp::Step;
                    e.step = static_cast<int>(n) - 1;
                    p.used_steps |= std::uint64_t{1} << e.step;
                    ++p.n_step_elements;
                }
            } else {
                syntax(pos_, "unexpected " + describe_char(pos_) +
                                 "; expected (?N), \".\", \".*\" or a time condition (?t<=S), (?t<S), (?t>=S), "
                                 "(?t>S), (?t==S)");
            }
            p.elements.push_back(e);
        }
        return p;
    }

private:
    static bool is_time(PatternOp op) { return op >= PatternOp::TimeLE; }

    std::string quoted() const { return "\"" + std::string(text_) + "\""; }

    std::string describe_char(std::size_t index) const {
        const char c = text_[index];
        if (c == ' ') return "space (spaces are not allowed)";
        if (c == ')') return "\")\" without a matching \"(\"";
        return "character \"" + char_at(text_, index) + "\"";
    }

    [[noreturn]] void fail_plain(const std::string& what) const {
        fail(ErrorKind::InvalidParameter, "invalid pattern " + quoted() + ": " + what);
    }

    [[noreturn]] void syntax(std::size_t index, const std::string& what) const {
        fail(ErrorKind::InvalidParameter, "invalid pattern " + quoted() + ": " + what + " at position " +
                                              std::to_string(char_position(text_, index)));
    }

    PatternOp parse_time_op() {
        auto take = [&](std::string_view s) {
            if (text_.substr(pos_, s.size()) == s) {
                pos_ += s.size();
                return true;
            }
            return false;
        };
        if (take("<=")) return PatternOp::TimeLE;
        if (take("<")) return PatternOp::TimeLT;
        if (take(">=")) return PatternOp::TimeGE;
        if (take(">")) return PatternOp::TimeGT;
        if (take("==")) return PatternOp::TimeEQ;
        if (text_.substr(pos_, 2) == "!=")
            syntax(pos_, "(?t!=S) is not supported (ClickHouse has no such condition); use <=, <, >=, > or ==");
        syntax(pos_, "expected a time comparison <=, <, >=, > or == after \"(?t\"");
    }

    // Decimal digits with an optional leading "+" (as ClickHouse reads them).
    std::uint64_t parse_number(const char* what) {
        const std::size_t start = pos_;
        if (pos_ < text_.size() && text_[pos_] == '+') ++pos_;
        const std::size_t digits = pos_;
        std::uint64_t v = 0;
        while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
            const auto d = static_cast<std::uint64_t>(text_[pos_] - '0');
            if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10)
                syntax(start, "number " + std::string(text_.substr(start, pos_ + 1 - start)) + "... is too large");
            v = v * 10 + d;
            ++pos_;
        }
        if (pos_ == digits) {
            if (pos_ >= text_.size()) syntax(pos_, std::string("expected ") + what + ", found the end of the pattern");
            if (text_[pos_] == '-')
                syntax(pos_, std::string("expected ") + what + "; negative numbers are not allowed");
            syntax(pos_, std::string("expected ") + what + ", found " + describe_char(pos_));
        }
        return v;
    }

    void expect_close(std::size_t open) {
        if (pos_ < text_.size() && text_[pos_] == ')') {
            ++pos_;
            return;
        }
        const std::string found = pos_ >= text_.size() ? "the end of the pattern" : describe_char(pos_);
        syntax(pos_, "expected \")\" to close the \"(\" at position " + std::to_string(char_position(text_, open)) +
                         ", found " + found);
    }

    std::string_view text_;
    int n_conditions_;
    std::int64_t units_per_second_;
    std::size_t pos_ = 0;
};

}  // namespace

Pattern parse_pattern(std::string_view text, int n_conditions, std::int64_t units_per_second) {
    if (n_conditions < 1) fail(ErrorKind::InvalidParameter, "a sequence pattern needs at least one condition");
    if (n_conditions > kMaxSteps)
        fail(ErrorKind::LimitExceeded, "at most " + std::to_string(kMaxSteps) + " conditions, got " +
                                           std::to_string(n_conditions));
    if (units_per_second < 1) fail(ErrorKind::InvalidParameter, "units_per_second must be positive");
    return PatternParser(text, n_conditions, units_per_second).parse();
}

std::string pattern_to_string(const Pattern& pattern) {
    std::string s;
    for (const auto& e : pattern.elements) {
        switch (e.op) {
            case PatternOp::Step: s += "(?" + std::to_string(e.step + 1) + ")"; break;
            case PatternOp::Any: s += "."; break;
            case PatternOp::AnyStar: s += ".*"; break;
            case PatternOp::TimeLE: s += "(?t<=" + std::to_string(e.span) + ")"; break;
            case PatternOp::TimeLT: s += "(?t<" + std::to_string(e.span) + ")"; break;
            case PatternOp::TimeGE: s += "(?t>=" + std::to_string(e.span) + ")"; break;
            case PatternOp::TimeGT: s += "(?t>" + std::to_string(e.span) + ")"; break;
            case PatternOp::TimeEQ: s += "(?t==" + std::to_string(e.span) + ")"; break;
        }
    }
    return s;
}

// ---------------------------------------------------------------- matching
//
// The program is the pattern behind an implicit leading `.*`: actions
// act[0..m], act[0] = `.*`, and the accepting index A = m + 1. A (partial)
// match is a path of configurations (a, p, base): the next action, the position
// of the next event (0..n, n = past the last event) and the time a following
// time condition compares with. From (a, p, base), p < n:
//   (?N)  consumes event p if it satisfies N        -> (a+1, p+1, ts[p])
//   .     consumes event p                          -> (a+1, p+1, ts[p])
//   .*    passes over events p..j-1, j in [p, n-1]  -> (a+1, j, ts[j])
//   (?t op S) passes over p..j-1 to an event j in [p, n-1] with
//         ts[j] - base op S                         -> (a+1, j, ts[j])
// and at p = n only `.*`, (?t<=S), (?t<S) and (?t>=0) are possible, as no-ops
// (ClickHouse's "match empty strings at the end"). A match reaches a = A; its end
// is the p it reaches A at. The first match is the smallest one in the order in
// which ClickHouse's backtracking tries them: lexicographic in the positions of
// the actions (earliest start, then the earliest choice at every `.*` and time
// condition). See docs/journeys.md.

namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

bool is_time_op(PatternOp op) { return op >= PatternOp::TimeLE; }

bool skippable_at_end(const PatternElement& e) {
    return e.op == PatternOp::AnyStar || e.op == PatternOp::TimeLE || e.op == PatternOp::TimeLT ||
           (e.op == PatternOp::TimeGE && e.span == 0);
}

// `diff` = later time - earlier time (never negative: events are sorted).
bool time_ok(PatternOp op, std::uint64_t diff, std::uint64_t span) {
    switch (op) {
        case PatternOp::TimeLE: return diff <= span;
        case PatternOp::TimeLT: return diff < span;
        case PatternOp::TimeGE: return diff >= span;
        case PatternOp::TimeGT: return diff > span;
        case PatternOp::TimeEQ: return diff == span;
        default: return false;
    }
}

std::uint64_t tdiff(std::int64_t later, std::int64_t earlier) {
    return static_cast<std::uint64_t>(later) - static_cast<std::uint64_t>(earlier);
}

struct Program {
    std::vector<PatternElement> act;  // act[0] = implicit .*
    std::vector<char> after_star;     // act[a - 1] is .* (a time condition's base is then ts[p])
    std::vector<int> steps_before;    // number of (?N) among act[0..a-1], for a in 0..A
    int accept = 0;                   // A
    bool all_skippable = true;        // every element is a no-op at the end of the events

    explicit Program(const Pattern& pattern) {
        PatternElement star;
        star.op = PatternOp::AnyStar;
        act.push_back(star);
        act.insert(act.end(), pattern.elements.begin(), pattern.elements.end());
        accept = static_cast<int>(act.size());
        after_star.assign(act.size(), 0);
        steps_before.assign(act.size() + 1, 0);
        for (std::size_t a = 1; a < act.size(); ++a) {
            after_star[a] = act[a - 1].op == PatternOp::AnyStar;
            if (!skippable_at_end(act[a])) all_skippable = false;
        }
        for (std::size_t a = 0; a < act.size(); ++a)
            steps_before[a + 1] = steps_before[a] + (act[a].op == PatternOp::Step ? 1 : 0);
        for (const auto& e : act)
            if (e.step < 0 || e.step >= kMaxSteps) fail(ErrorKind::Internal, "pattern step out of range");
    }
};

// The stored events: those that satisfy at least one condition.
class StoredEvents {
public:
    StoredEvents(const Event* ev, std::size_t n) {
        if (!events_sorted(ev, n)) fail(ErrorKind::Internal, "sequence matcher: events are not sorted");
        bool any_empty = false;
        for (std::size_t i = 0; i < n && !any_empty; ++i) any_empty = ev[i].mask == 0;
        if (!any_empty) {
            ev_ = ev;
            n_ = n;
            return;
        }
        copy_.reserve(n);
        for (std::size_t i = 0; i < n; ++i)
            if (ev[i].mask != 0) copy_.push_back(ev[i]);
        ev_ = copy_.data();
        n_ = copy_.size();
    }
    const Event* data() const { return ev_; }
    std::size_t size() const { return n_; }

private:
    std::vector<Event> copy_;
    const Event* ev_ = nullptr;
    std::size_t n_ = 0;
};

// ---- forward simulation: which actions are reachable at each position.
//
// A thread waiting inside `.*` needs no data; one waiting inside a time
// condition needs the time it compares with. Bases arrive in time order, and
// for <= and < the latest base dominates (any event it rejects, an earlier
// base rejects too), for >= and > the earliest; for == every pending target
// time is kept in a queue, dropped once the events pass it. So one simulation
// step costs O(m) amortized, and the set of reachable (action, position) pairs
// is exact.
class Forward {
public:
    Forward(const Program& prog, const Event* ev, std::size_t n)
        : prog_(prog), ev_(ev), n_(n), at_(prog.act.size() + 1), wait_(prog.act.size()),
          base_(prog.act.size()), eq_(prog.act.size()), eq_head_(prog.act.size()),
          first_reach_(prog.act.size() + 1) {}

    // Another actor's events, keeping the working memory (run resets it).
    void bind(const Event* ev, std::size_t n) {
        ev_ = ev;
        n_ = n;
    }

    // Runs from position s; returns the earliest end of a match starting at or
    // after s, kNone if none. Records first_reach(a) = the first position where
    // action a is reached (kNone if never) up to where it stopped: complete when
    // there is no match.
    std::size_t run(std::size_t s) {
        const std::size_t A = static_cast<std::size_t>(prog_.accept);
        std::fill(at_.begin(), at_.end(), 0);
        std::fill(wait_.begin(), wait_.end(), 0);
        std::fill(first_reach_.begin(), first_reach_.end(), kNone);
        for (auto& q : eq_) q.clear();
        std::fill(eq_head_.begin(), eq_head_.end(), 0);
        at_[0] = 1;
        for (std::size_t p = s;; ++p) {
            tick_.tick();
            const bool end = p == n_;
            // Non-consuming moves, in action order (they only go forward).
            for (std::size_t a = 0; a < A; ++a) {
                const PatternElement& x = prog_.act[a];
                if (x.op == PatternOp::AnyStar) {
                    if (end) {
                        if (at_[a]) at_[a + 1] = 1;
                    } else {
                        if (at_[a]) wait_[a] = 1;
                        if (wait_[a]) at_[a + 1] = 1;
                    }
                } else if (is_time_op(x.op)) {
                    if (end) {
                        if (at_[a] && skippable_at_end(x)) at_[a + 1] = 1;
                    } else {
                        if (at_[a]) add_base(a, prog_.after_star[a] || p == 0 ? ev_[p].ts : ev_[p - 1].ts);
                        if (eligible(a, ev_[p].ts)) at_[a + 1] = 1;
                    }
                }
            }
            for (std::size_t a = 0; a <= A; ++a)
                if (at_[a] && first_reach_[a] == kNone) first_reach_[a] = p;
            if (at_[A]) return p;
            if (end) return kNone;
            // Consume event p.
            const std::uint64_t mask = ev_[p].mask;
            for (std::size_t a = A; a-- > 0;) {
                const PatternElement& x = prog_.act[a];
                at_[a + 1] = at_[a] && (x.op == PatternOp::Any ||
                                        (x.op == PatternOp::Step && ((mask >> x.step) & 1u)));
            }
            at_[0] = 0;
        }
    }

    std::size_t first_reach(std::size_t a) const { return first_reach_[a]; }

private:
    void add_base(std::size_t a, std::int64_t t) {
        switch (prog_.act[a].op) {
            case PatternOp::TimeLE:
            case PatternOp::TimeLT:
                wait_[a] = 1;
                base_[a] = t;  // the latest base dominates
                break;
            case PatternOp::TimeGE:
            case PatternOp::TimeGT:
                if (!wait_[a]) base_[a] = t;  // the earliest base dominates
                wait_[a] = 1;
                break;
            default: {
                auto& q = eq_[a];
                if (eq_head_[a] == q.size() || q.back() != t) q.push_back(t);
                break;
            }
        }
    }

    bool eligible(std::size_t a, std::int64_t t) {
        const PatternElement& x = prog_.act[a];
        if (x.op != PatternOp::TimeEQ) return wait_[a] && time_ok(x.op, tdiff(t, base_[a]), x.span);
        auto& q = eq_[a];
        std::size_t& h = eq_head_[a];
        while (h < q.size() && tdiff(t, q[h]) > x.span) ++h;
        if (h == q.size()) {
            q.clear();
            h = 0;
            return false;
        }
        if (h > 64 && h * 2 > q.size()) {  // compact the consumed prefix
            q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(h));
            h = 0;
        }
        return tdiff(t, q[h]) == x.span;
    }

    const Program& prog_;
    const Event* ev_;
    std::size_t n_;
    std::vector<char> at_;    // at_[a]: action a is next, at the current position
    std::vector<char> wait_;  // a thread waits inside .* / a <=,<,>=,> time condition
    std::vector<std::int64_t> base_;
    std::vector<std::vector<std::int64_t>> eq_;  // (?t==S): pending bases, in time order
    std::vector<std::size_t> eq_head_;
    std::vector<std::size_t> first_reach_;
    InterruptCheck tick_;
};

// ---- backward feasibility + greedy walk: the first (partial) match itself.
//
// C[a][p] = "from action a at position p, action `target` can be reached without
// passing position L". Computed for p = L..0 and a = target-1..0 with O(1)
// amortized work per cell (suffix pointers per action), then the first match is
// the greedy walk that always takes the smallest choice whose cell is true. The
// bits take (L + 1) x target bits.
class Backward {
public:
    Backward(const Program& prog, const Event* ev, std::size_t n, int target, std::size_t limit)
        : prog_(prog), ev_(ev), n_(n), target_(static_cast<std::size_t>(target)), L_(limit),
          last_exit_(limit == n ? static_cast<std::ptrdiff_t>(n) - 1 : static_cast<std::ptrdiff_t>(limit)),
          words_((limit + 1 + 63) / 64) {
        bits_.assign(target_ * words_, 0);
        compute();
    }

    // Times of the (?N) events of the first path from (0, 0) to `target`.
    std::vector<std::int64_t> walk() const {
        std::vector<std::int64_t> times;
        std::size_t p = 0;
        if (!get(0, 0)) fail(ErrorKind::Internal, "sequence_match_times: no path to the target");
        for (std::size_t a = 0; a < target_; ++a) {
            const PatternElement& x = prog_.act[a];
            if (p == n_) {  // only no-ops are left
                if (!skippable_at_end(x) || !get(a + 1, p))
                    fail(ErrorKind::Internal, "sequence_match_times: walk past the end");
                continue;
            }
            switch (x.op) {
                case PatternOp::Step:
                    times.push_back(ev_[p].ts);
                    ++p;
                    break;
                case PatternOp::Any: ++p; break;
                case PatternOp::AnyStar: p = next_true(a + 1, p); break;
                default: {
                    const std::int64_t base = base_at(a, p);
                    std::size_t from = p;
                    if (x.op != PatternOp::TimeLE && x.op != PatternOp::TimeLT) {
                        // the first event j >= p with ts[j] - base >= S (> S for >)
                        const PatternOp lower = x.op == PatternOp::TimeGT ? PatternOp::TimeGT : PatternOp::TimeGE;
                        const Event* first = std::partition_point(
                            ev_ + p, ev_ + last_exit_ + 1,
                            [&](const Event& e) { return !time_ok(lower, tdiff(e.ts, base), x.span); });
                        from = static_cast<std::size_t>(first - ev_);
                    }
                    p = next_true(a + 1, from);
                    if (!time_ok(x.op, tdiff(ev_[p].ts, base), x.span))
                        fail(ErrorKind::Internal, "sequence_match_times: walk broke a time condition");
                    break;
                }
            }
            if (!get(a + 1, p)) fail(ErrorKind::Internal, "sequence_match_times: walk left the feasible set");
        }
        return times;
    }

private:
    bool get(std::size_t a, std::size_t p) const {
        if (a == target_) return true;
        return (bits_[a * words_ + p / 64] >> (p % 64)) & 1u;
    }
    void set(std::size_t a, std::size_t p) { bits_[a * words_ + p / 64] |= std::uint64_t{1} << (p % 64); }

    // Smallest j >= from, j <= last_exit_, with C[a][j].
    std::size_t next_true(std::size_t a, std::size_t from) const {
        const auto last = static_cast<std::size_t>(last_exit_);
        if (a == target_) {
            if (from > last) fail(ErrorKind::Internal, "sequence_match_times: no exit");
            return from;
        }
        std::size_t w = from / 64;
        std::uint64_t word = bits_[a * words_ + w] & (~std::uint64_t{0} << (from % 64));
        for (;;) {
            if (word) {
                const std::size_t j = w * 64 + static_cast<std::size_t>(__builtin_ctzll(word));
                if (j > last) break;
                return j;
            }
            if (++w >= words_ || w * 64 > last) break;
            word = bits_[a * words_ + w];
        }
        fail(ErrorKind::Internal, "sequence_match_times: no feasible exit");
    }

    std::int64_t base_at(std::size_t a, std::size_t p) const {
        return prog_.after_star[a] || p == 0 ? ev_[p].ts : ev_[p - 1].ts;
    }

    void compute() {
        constexpr std::ptrdiff_t none = -1;
        const auto T = target_;
        // Per action b (1..T): next[b] = smallest j >= p (j <= last_exit_) with
        // C[b][j]; top[b] = the largest such j. Per time action a: hi = last
        // event (from p on) passing the <= side, lo = first passing the >= side,
        // eq_next = smallest feasible j >= lo.
        std::vector<std::ptrdiff_t> next(T + 1, none), top(T + 1, none), hi(T, last_exit_),
            lo(T, last_exit_ + 1), eq_next(T, none);
        InterruptCheck tick;
        for (std::ptrdiff_t pp = static_cast<std::ptrdiff_t>(L_); pp >= 0; --pp) {
            tick.tick();
            const auto p = static_cast<std::size_t>(pp);
            if (pp <= last_exit_) {
                next[T] = pp;
                if (top[T] == none) top[T] = pp;
            }
            for (std::size_t a = T; a-- > 0;) {
                const PatternElement& x = prog_.act[a];
                bool c = false;
                if (p == n_) {
                    c = skippable_at_end(x) && get(a + 1, p);
                } else {
                    switch (x.op) {
                        case PatternOp::Step:
                            c = p < L_ && ((ev_[p].mask >> x.step) & 1u) && get(a + 1, p + 1);
                            break;
                        case PatternOp::Any: c = p < L_ && get(a + 1, p + 1); break;
                        case PatternOp::AnyStar: c = next[a + 1] != none; break;
                        default: {
                            const std::int64_t base = base_at(a, p);
                            auto ok = [&](std::ptrdiff_t j, PatternOp op) {
                                return time_ok(op, tdiff(ev_[j].ts, base), x.span);
                            };
                            if (x.op != PatternOp::TimeGE && x.op != PatternOp::TimeGT) {
                                const PatternOp upper =
                                    x.op == PatternOp::TimeLT ? PatternOp::TimeLT : PatternOp::TimeLE;
                                while (hi[a] >= pp && !ok(hi[a], upper)) --hi[a];
                            }
                            if (x.op != PatternOp::TimeLE && x.op != PatternOp::TimeLT) {
                                const PatternOp lower =
                                    x.op == PatternOp::TimeGT ? PatternOp::TimeGT : PatternOp::TimeGE;
                                while (lo[a] - 1 >= pp && ok(lo[a] - 1, lower)) {
                                    --lo[a];
                                    if (get(a + 1, static_cast<std::size_t>(lo[a]))) eq_next[a] = lo[a];
                                }
                            }
                            switch (x.op) {
                                case PatternOp::TimeLE:
                                case PatternOp::TimeLT: c = next[a + 1] != none && next[a + 1] <= hi[a]; break;
                                case PatternOp::TimeGE:
                                case PatternOp::TimeGT: c = top[a + 1] != none && top[a + 1] >= lo[a]; break;
                                default: c = eq_next[a] != none && eq_next[a] <= hi[a]; break;
                            }
                            break;
                        }
                    }
                }
                if (c) {
                    set(a, p);
                    if (pp <= last_exit_) {
                        next[a] = pp;
                        if (top[a] == none) top[a] = pp;
                    }
                }
            }
        }
    }

    const Program& prog_;
    const Event* ev_;
    std::size_t n_;
    std::size_t target_;
    std::size_t L_;              // positions 0..L_ take part
    std::ptrdiff_t last_exit_;   // the last position a .* or time condition may stop at
    std::size_t words_;
    std::vector<std::uint64_t> bits_;  // C[a][p], a < target_
};

}  // namespace

struct SequenceMatcher::Compiled {
    explicit Compiled(Pattern p) : pattern(std::move(p)), prog(pattern), fw(prog, nullptr, 0) {}
    Pattern pattern;
    Program prog;
    Forward fw;  // refers to prog: a Compiled never moves (it is held by pointer)
};

SequenceMatcher::SequenceMatcher(Pattern pattern) : compiled_(std::make_unique<Compiled>(std::move(pattern))) {}
SequenceMatcher::~SequenceMatcher() = default;
SequenceMatcher::SequenceMatcher(SequenceMatcher&&) noexcept = default;
SequenceMatcher& SequenceMatcher::operator=(SequenceMatcher&&) noexcept = default;

const Pattern& SequenceMatcher::pattern() const { return compiled_->pattern; }

bool SequenceMatcher::match(const Event* ev, std::size_t n) {
    const Program& prog = compiled_->prog;
    const StoredEvents se(ev, n);
    Forward& fw = compiled_->fw;
    fw.bind(se.data(), se.size());
    // A pattern made only of no-ops at the end (.*, (?t<=S), (?t<S), (?t>=0))
    // always matches in ClickHouse, even when a (?t<0) can never hold: its search
    // gives up at the end of the events, where those elements are skipped.
    return fw.run(0) != kNone || prog.all_skippable;
}

std::uint64_t SequenceMatcher::count(const Event* ev, std::size_t n) {
    const Program& prog = compiled_->prog;
    const StoredEvents se(ev, n);
    const std::size_t m = se.size();
    Forward& fw = compiled_->fw;
    fw.bind(se.data(), m);
    std::uint64_t count = 0;
    std::size_t s = 0;
    while (s < m) {
        const std::size_t e = fw.run(s);
        if (e == kNone) {
            if (prog.all_skippable) ++count;  // see match; the search then stands at the end
            break;
        }
        ++count;
        s = e > s ? e : s + 1;
    }
    return count;
}

std::vector<std::int64_t> SequenceMatcher::match_times(const Event* ev, std::size_t n) {
    const Program& prog = compiled_->prog;
    const StoredEvents se(ev, n);
    const std::size_t m = se.size();
    Forward& fw = compiled_->fw;
    fw.bind(se.data(), m);
    // Stops at the first match's end; without a match it has run over every
    // event, so first_reach is complete.
    const std::size_t end = fw.run(0);
    int target = prog.accept;
    std::size_t limit = end;
    if (end == kNone) {
        // No match: the longest prefix of (?N) elements some partial match reaches.
        int best = 0;
        for (int a = 1; a <= prog.accept; ++a)
            if (fw.first_reach(static_cast<std::size_t>(a)) != kNone && prog.steps_before[a] > best)
                best = prog.steps_before[a];
        if (best == 0) return {};
        target = 1;
        while (prog.steps_before[target] < best) ++target;  // just after the best-th (?N)
        limit = fw.first_reach(static_cast<std::size_t>(target));
    }
    if (prog.steps_before[target] == 0) return {};
    const Backward bw(prog, se.data(), m, target, limit);
    return bw.walk();
}

bool sequence_match(const Pattern& pattern, const Event* ev, std::size_t n) {
    return SequenceMatcher(pattern).match(ev, n);
}

std::uint64_t sequence_count(const Pattern& pattern, const Event* ev, std::size_t n) {
    return SequenceMatcher(pattern).count(ev, n);
}

std::vector<std::int64_t> sequence_match_times(const Pattern& pattern, const Event* ev, std::size_t n) {
    return SequenceMatcher(pattern).match_times(ev, n);
}

}  // namespace pgf
