// time_between: hand-computed cases and a brute-force comparison over random
// inputs, including every way of splitting the rows into merged partial states.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <vector>

#include "core/time_between.hpp"

namespace {

using State = pgf::TimeBetween<std::vector<std::int64_t>>;

struct Row {
    std::int64_t t;
    bool from, to;
};

void add(State& s, const Row& r) {
    if (r.from) s.add_from(r.t);
    if (r.to) s.add_to(r.t);
}

std::optional<std::int64_t> duration(const State& s) {
    auto r = s.result();
    if (!r) return std::nullopt;
    return r->second - r->first;
}

// Straight from the definition: first from, then the smallest to at or after it.
std::optional<std::int64_t> brute(const std::vector<Row>& rows) {
    std::optional<std::int64_t> first;
    for (const auto& r : rows)
        if (r.from && (!first || r.t < *first)) first = r.t;
    if (!first) return std::nullopt;
    std::optional<std::int64_t> to;
    for (const auto& r : rows)
        if (r.to && r.t >= *first && (!to || r.t < *to)) to = r.t;
    if (!to) return std::nullopt;
    return *to - *first;
}

TEST(TimeBetween, HandComputed) {
    // signup@2, purchases@1 (before: ignored), @6, @40 -> 4.
    State s{{}};
    for (Row r : {Row{2, true, false}, Row{1, false, true}, Row{6, false, true}, Row{40, false, true}}) add(s, r);
    EXPECT_EQ(duration(s), 4);
    // Only a to: NULL. Only a from: NULL. A row that is both: 0.
    State only_to{{}};
    add(only_to, {5, false, true});
    EXPECT_EQ(duration(only_to), std::nullopt);
    State only_from{{}};
    add(only_from, {5, true, false});
    EXPECT_EQ(duration(only_from), std::nullopt);
    State both{{}};
    add(both, {5, true, true});
    EXPECT_EQ(duration(both), 0);
    // A later, earlier from (descending arrival) re-opens buffered early tos.
    State desc{{}};
    for (Row r : {Row{10, true, false}, Row{8, false, true}, Row{7, true, false}, Row{3, false, true}, Row{2, true, false}})
        add(desc, r);
    EXPECT_EQ(duration(desc), 1);  // from 2 -> to 3
}

TEST(TimeBetween, RandomAgainstBruteForceWithMerges) {
    std::mt19937_64 rng(12345);
    for (int iter = 0; iter < 20000; ++iter) {
        const int n = static_cast<int>(rng() % 12);
        std::vector<Row> rows;
        for (int i = 0; i < n; ++i)
            rows.push_back({static_cast<std::int64_t>(rng() % 20) - 5, rng() % 3 == 0, rng() % 3 == 0});
        const auto expected = brute(rows);
        // Whole input in one state.
        State whole{{}};
        for (const auto& r : rows) add(whole, r);
        ASSERT_EQ(duration(whole), expected) << "iteration " << iter;
        // Split into up to three partial states, merged in a random order.
        std::vector<State> parts(3, State{{}});
        for (const auto& r : rows) add(parts[rng() % 3], r);
        std::shuffle(parts.begin(), parts.end(), rng);
        State merged{{}};
        for (const auto& p : parts) merged.merge(p);
        ASSERT_EQ(duration(merged), expected) << "iteration " << iter;
    }
}

TEST(TimeBetween, OrderedInputKeepsStateSmall) {
    // In time order every to after the first from folds into one value.
    State s{{}};
    s.add_from(0);
    for (std::int64_t t = 1; t < 100000; ++t) s.add_to(t);
    EXPECT_TRUE(s.early_to.empty());
    EXPECT_EQ(duration(s), 1);
}

}  // namespace
