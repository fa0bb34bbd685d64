#include "core/next_node.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include "core/error.hpp"
#include "core/event.hpp"

namespace pgf {

namespace {

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

const char* base_name(NextNodeBase b) {
    switch (b) {
        case NextNodeBase::Head: return "head";
        case NextNodeBase::Tail: return "tail";
        case NextNodeBase::FirstMatch: return "first_match";
        case NextNodeBase::LastMatch: return "last_match";
    }
    return "?";
}

}  // namespace

NextNodeDirection parse_next_node_direction(std::string_view text) {
    const std::string_view t = trim(text);
    if (iequals(t, "forward")) return NextNodeDirection::Forward;
    if (iequals(t, "backward")) return NextNodeDirection::Backward;
    fail(ErrorKind::InvalidParameter,
         "unknown sequence_next_node direction \"" + std::string(text) + "\"; valid directions are: forward, backward");
}

NextNodeBase parse_next_node_base(std::string_view text) {
    const std::string_view t = trim(text);
    for (auto b : {NextNodeBase::Head, NextNodeBase::Tail, NextNodeBase::FirstMatch, NextNodeBase::LastMatch})
        if (iequals(t, base_name(b))) return b;
    fail(ErrorKind::InvalidParameter, "unknown sequence_next_node base \"" + std::string(text) +
                                          "\"; valid bases are: head, tail, first_match, last_match");
}

void check_next_node_spec(NextNodeDirection direction, NextNodeBase base, int n_steps) {
    if (base == NextNodeBase::Head && direction == NextNodeDirection::Backward)
        fail(ErrorKind::InvalidParameter,
             "sequence_next_node: base head goes with direction forward (nothing comes before the first row)");
    if (base == NextNodeBase::Tail && direction == NextNodeDirection::Forward)
        fail(ErrorKind::InvalidParameter,
             "sequence_next_node: base tail goes with direction backward (nothing comes after the last row)");
    if (n_steps < 0) fail(ErrorKind::InvalidParameter, "sequence_next_node: negative number of steps");
    if (n_steps > kMaxSteps)
        fail(ErrorKind::LimitExceeded, "sequence_next_node takes at most " + std::to_string(kMaxSteps) +
                                           " steps, got " + std::to_string(n_steps));
    if ((base == NextNodeBase::FirstMatch || base == NextNodeBase::LastMatch) && n_steps < 1)
        fail(ErrorKind::InvalidParameter,
             std::string("sequence_next_node: base ") + base_name(base) +
                 " needs at least one step (it looks for step 1)");
}

int value_bytes_compare(std::string_view a, std::string_view b) {
    const std::size_t k = std::min(a.size(), b.size());
    if (k) {
        const int c = std::memcmp(a.data(), b.data(), k);
        if (c) return c < 0 ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

void sort_node_events(NodeEvent* ev, std::size_t n, NodeValueCompare compare, const void* context) {
    auto less = [&](const NodeEvent& x, const NodeEvent& y) {
        if (x.ts != y.ts) return x.ts < y.ts;
        if (x.value != y.value) {
            const int c = compare(context, x.value, y.value);
            if (c) return c < 0;
        }
        if (x.mask != y.mask) return x.mask < y.mask;
        return x.can_be_base < y.can_be_base;
    };
    if (!std::is_sorted(ev, ev + n, less)) std::sort(ev, ev + n, less);
}

std::ptrdiff_t sequence_next_node(NextNodeDirection direction, NextNodeBase base, int n_steps,
                                  const NodeEvent* ev, std::size_t n) {
    check_next_node_spec(direction, base, n_steps);
    const auto N = static_cast<std::size_t>(n_steps);
    if (n <= N) return -1;  // the chain and the answer need N + 1 rows
    std::size_t b = n;
    switch (base) {
        case NextNodeBase::Head:
            if (ev[0].can_be_base) b = 0;
            break;
        case NextNodeBase::Tail:
            if (ev[n - 1].can_be_base) b = n - 1;
            break;
        case NextNodeBase::FirstMatch:
            for (std::size_t i = 0; i < n; ++i)
                if ((ev[i].mask & 1u) && ev[i].can_be_base) {
                    b = i;
                    break;
                }
            break;
        case NextNodeBase::LastMatch:
            for (std::size_t i = n; i-- > 0;)
                if ((ev[i].mask & 1u) && ev[i].can_be_base) {
                    b = i;
                    break;
                }
            break;
    }
    if (b == n) return -1;
    if (direction == NextNodeDirection::Forward) {
        // rows b, b+1, ..., b+N-1 satisfy steps 1..N; the answer is row b+N.
        if (b + N >= n) return -1;
        for (std::size_t i = 0; i < N; ++i)
            if (!((ev[b + i].mask >> i) & 1u)) return -1;
        return static_cast<std::ptrdiff_t>(b + N);
    }
    // rows b, b-1, ..., b-N+1 satisfy steps 1..N; the answer is row b-N.
    if (b < N) return -1;
    for (std::size_t i = 0; i < N; ++i)
        if (!((ev[b - i].mask >> i) & 1u)) return -1;
    return static_cast<std::ptrdiff_t>(b - N);
}

std::size_t next_node_rows_needed(NextNodeBase base, int n_steps, std::size_t n) {
    if (base == NextNodeBase::FirstMatch || base == NextNodeBase::LastMatch) return n;
    return std::min(n, static_cast<std::size_t>(n_steps < 0 ? 0 : n_steps) + 1);
}

}  // namespace pgf
