// time_between state: random bytes through the decoder (core/time_between_codec.hpp).
// A decoded state keeps its invariants (early times form a max-heap below the
// first `from`), gives the answer a brute force gives over the times it holds,
// survives encode -> decode unchanged, and merges as the combine function does.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/state_time.hpp"
#include "core/time_between.hpp"
#include "core/time_between_codec.hpp"
#include "fuzz_common.hpp"

using fuzz::guard;
using State = pgf::TimeBetween<std::vector<std::int64_t>>;
using Result = std::optional<std::pair<std::int64_t, std::int64_t>>;

namespace {

std::string show(const Result& r) {
    return r ? "(" + std::to_string(r->first) + ", " + std::to_string(r->second) + ")" : "none";
}

// The answer from the multisets of from / to times.
Result brute(const std::vector<std::int64_t>& froms, const std::vector<std::int64_t>& tos) {
    if (froms.empty()) return std::nullopt;
    const std::int64_t f = *std::min_element(froms.begin(), froms.end());
    std::optional<std::int64_t> best;
    for (std::int64_t t : tos)
        if (t >= f && (!best || t < *best)) best = t;
    if (!best) return std::nullopt;
    return std::make_pair(f, *best);
}

void check_invariants(const State& s, const std::string& what) {
    FUZZ_CHECK(std::is_heap(s.early_to.begin(), s.early_to.end()), what << " early times are not a heap");
    if (s.has_from) {
        for (std::int64_t t : s.early_to) FUZZ_CHECK(t < s.first_from, what << " early time " << t << " >= from");
        if (s.has_best) FUZZ_CHECK(s.best_to >= s.first_from, what << " best before from");
    } else {
        FUZZ_CHECK(!s.has_best, what << " best without from");
    }
}

std::vector<unsigned char> encode(std::uint8_t kind, const State& s) {
    const pgf::TimeBetweenStateHeader h = pgf::time_between_header_of(kind, s);
    std::vector<unsigned char> out(pgf::time_between_state_size(s.early_to.size(), SIZE_MAX));
    pgf::encode_time_between_state(h, s.early_to.data(), out.data());
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    State s{std::vector<std::int64_t>()};
    std::uint8_t kind = 0;
    if (!guard(fuzz::bit(pgf::ErrorKind::CorruptState), [&] { kind = pgf::decode_time_between_state(data, size, s); }))
        return 0;
    const std::string what = "state " + fuzz::hex(data, std::min<std::size_t>(size, 256));
    FUZZ_CHECK(kind < pgf::kTimeKinds, what);
    check_invariants(s, what);

    // What the bytes say, read independently: from time, best time, early times.
    const pgf::TimeBetweenStateHeader h = pgf::decode_time_between_header(data, size);
    std::vector<std::int64_t> froms, tos;
    if (h.has_from) froms.push_back(h.first_from);
    if (h.has_best) tos.push_back(h.best_to);
    for (std::size_t i = 0; i < h.count; ++i) {
        const std::int64_t t = pgf::decode_time_between_early(h, data, i);
        FUZZ_CHECK(pgf::plausible_state_time(kind, t), what);
        tos.push_back(t);
    }
    const Result r = s.result();
    const Result want = brute(froms, tos);
    FUZZ_CHECK(r == want, what << " result " << show(r) << " want " << show(want));

    // encode -> decode gives the same state.
    const std::vector<unsigned char> bytes = encode(kind, s);
    State t{std::vector<std::int64_t>()};
    FUZZ_CHECK(pgf::decode_time_between_state(bytes.data(), bytes.size(), t) == kind, what);
    std::vector<std::int64_t> a(s.early_to.begin(), s.early_to.end()), b(t.early_to.begin(), t.early_to.end());
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    FUZZ_CHECK(t.has_from == s.has_from && t.has_best == s.has_best && t.result() == r && a == b,
               what << " changed by a round trip");
    // An encoded state is canonical: encoding the re-decoded state gives the same bytes
    // up to the heap order of the early times, so compare sizes and headers.
    const std::vector<unsigned char> bytes2 = encode(kind, t);
    FUZZ_CHECK(bytes2.size() == bytes.size() && std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(pgf::kTimeBetweenStateHeaderSize), bytes2.begin()),
               what << " header changed by a round trip");

    // combine: merging the state into an empty one, into itself, and splitting
    // its times over two states all give the same answer.
    State m{std::vector<std::int64_t>()};
    m.merge(s);
    check_invariants(m, what + " (merged into empty)");
    FUZZ_CHECK(m.result() == r, what << " merge into empty " << show(m.result()));
    m.merge(s);
    check_invariants(m, what + " (merged twice)");
    FUZZ_CHECK(m.result() == r, what << " merge with itself " << show(m.result()));
    State x{std::vector<std::int64_t>()}, y{std::vector<std::int64_t>()};
    for (std::size_t i = 0; i < tos.size(); ++i) (i % 2 ? x : y).add_to(tos[i]);
    for (std::int64_t f : froms) y.add_from(f);
    x.merge(y);
    check_invariants(x, what + " (split and merged)");
    FUZZ_CHECK(x.result() == want, what << " split and merged " << show(x.result()));
    return 0;
}
