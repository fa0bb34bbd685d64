// Tests of sequence_next_node: parameters, answers recorded from ClickHouse
// (chdb 26.7.2.1), tie order, and the rows a head/tail state must keep.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/next_node.hpp"

namespace {

using pgf::NextNodeBase;
using pgf::NextNodeDirection;
using pgf::NodeEvent;

struct NodeRow {
    std::int64_t ts;
    const char* value;
    std::uint64_t mask;  // bit i: step i + 1
    bool base;
};

int compare_values(const void* ctx, std::uint32_t a, std::uint32_t b) {
    const auto& v = *static_cast<const std::vector<std::string>*>(ctx);
    return pgf::value_bytes_compare(v[a], v[b]);
}

// Runs sequence_next_node over the rows (in the given order); nullptr for NULL.
struct Runner {
    std::vector<std::string> values;
    std::vector<NodeEvent> ev;

    explicit Runner(const std::vector<NodeRow>& rows) {
        for (const auto& r : rows) {
            values.emplace_back(r.value);
            ev.push_back({r.ts, r.mask, static_cast<std::uint32_t>(values.size() - 1), r.base});
        }
        pgf::sort_node_events(ev.data(), ev.size(), compare_values, &values);
    }
    const char* run(const std::string& dir, const std::string& base, int n_steps) const {
        const std::ptrdiff_t i =
            pgf::sequence_next_node(pgf::parse_next_node_direction(dir), pgf::parse_next_node_base(base), n_steps,
                                    ev.data(), ev.size());
        return i < 0 ? nullptr : values[ev[static_cast<std::size_t>(i)].value].c_str();
    }
};

std::string show(const char* s) { return s ? "\"" + std::string(s) + "\"" : "NULL"; }

TEST(NextNodeSpec, ParseAndCheck) {
    EXPECT_EQ(pgf::parse_next_node_direction("forward"), NextNodeDirection::Forward);
    EXPECT_EQ(pgf::parse_next_node_direction(" Backward "), NextNodeDirection::Backward);
    EXPECT_EQ(pgf::parse_next_node_base("head"), NextNodeBase::Head);
    EXPECT_EQ(pgf::parse_next_node_base("TAIL"), NextNodeBase::Tail);
    EXPECT_EQ(pgf::parse_next_node_base("first_match"), NextNodeBase::FirstMatch);
    EXPECT_EQ(pgf::parse_next_node_base("last_match"), NextNodeBase::LastMatch);
    try {
        pgf::parse_next_node_direction("forwards");
        ADD_FAILURE();
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::InvalidParameter);
        EXPECT_NE(std::string(e.what()).find("valid directions are: forward, backward"), std::string::npos);
    }
    try {
        pgf::parse_next_node_base("first");
        ADD_FAILURE();
    } catch (const pgf::Error& e) {
        EXPECT_NE(std::string(e.what()).find("head, tail, first_match, last_match"), std::string::npos);
    }
    EXPECT_THROW(pgf::check_next_node_spec(NextNodeDirection::Backward, NextNodeBase::Head, 1), pgf::Error);
    EXPECT_THROW(pgf::check_next_node_spec(NextNodeDirection::Forward, NextNodeBase::Tail, 1), pgf::Error);
    EXPECT_THROW(pgf::check_next_node_spec(NextNodeDirection::Forward, NextNodeBase::FirstMatch, 0), pgf::Error);
    EXPECT_THROW(pgf::check_next_node_spec(NextNodeDirection::Backward, NextNodeBase::LastMatch, 0), pgf::Error);
    EXPECT_NO_THROW(pgf::check_next_node_spec(NextNodeDirection::Forward, NextNodeBase::Head, 0));
    EXPECT_NO_THROW(pgf::check_next_node_spec(NextNodeDirection::Backward, NextNodeBase::FirstMatch, 64));
    try {
        pgf::check_next_node_spec(NextNodeDirection::Forward, NextNodeBase::Head, 65);
        ADD_FAILURE();
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::LimitExceeded);
    }
}

// Each case ran through chdb 26.7.2.1 as
//   SELECT sequenceNextNode('<dir>','<base>')(t, v, b=1, bitTest(m,0)=1, ..., bitTest(m,N-1)=1)
//   FROM values('t UInt32, v String, m UInt8, b UInt8', <rows>)
//   SETTINGS allow_experimental_funnel_functions=1
// with the ClickHouse answer recorded.
TEST(NextNodeClickHouse, RecordedAnswers) {
    const std::vector<NodeRow> R1 = {{1, "home", 1, true},  {2, "product", 2, true}, {3, "cart", 4, true},
                                     {4, "checkout", 0, true}, {5, "home", 1, true}, {6, "search", 0, false}};
    const std::vector<NodeRow> R2 = {{1, "A", 1, true}, {2, "B", 2, false}, {4, "C", 0, true}, {5, "D", 1, true}};
    const std::vector<NodeRow> R3 = {
        {10, "x", 1, false}, {11, "y", 1, true}, {12, "z", 2, true}, {13, "w", 1, true}, {14, "v", 2, false}};
    struct Case {
        const std::vector<NodeRow>& rows;
        const char* dir;
        const char* base;
        int n;
        const char* expect;
    };
    const Case cases[] = {
        {R1, "forward", "head", 0, "home"},
        {R1, "forward", "head", 1, "product"},
        {R1, "forward", "head", 2, "cart"},
        {R1, "forward", "head", 3, "checkout"},
        {R1, "backward", "tail", 0, nullptr},
        {R1, "backward", "tail", 1, nullptr},
        {R1, "backward", "tail", 2, nullptr},
        {R1, "backward", "tail", 3, nullptr},
        {R1, "forward", "first_match", 1, "product"},
        {R1, "forward", "first_match", 2, "cart"},
        {R1, "forward", "first_match", 3, "checkout"},
        {R1, "backward", "first_match", 1, nullptr},
        {R1, "backward", "first_match", 2, nullptr},
        {R1, "backward", "first_match", 3, nullptr},
        {R1, "forward", "last_match", 1, "search"},
        {R1, "forward", "last_match", 2, nullptr},
        {R1, "forward", "last_match", 3, nullptr},
        {R1, "backward", "last_match", 1, "checkout"},
        {R1, "backward", "last_match", 2, nullptr},
        {R1, "backward", "last_match", 3, nullptr},
        {R2, "forward", "head", 0, "A"},
        {R2, "forward", "head", 1, "B"},
        {R2, "forward", "head", 2, "C"},
        {R2, "forward", "head", 3, nullptr},
        {R2, "backward", "tail", 0, "D"},
        {R2, "backward", "tail", 1, "C"},
        {R2, "backward", "tail", 2, nullptr},
        {R2, "backward", "tail", 3, nullptr},
        {R2, "forward", "first_match", 1, "B"},
        {R2, "forward", "first_match", 2, "C"},
        {R2, "forward", "first_match", 3, nullptr},
        {R2, "backward", "first_match", 1, nullptr},
        {R2, "backward", "first_match", 2, nullptr},
        {R2, "backward", "first_match", 3, nullptr},
        {R2, "forward", "last_match", 1, nullptr},
        {R2, "forward", "last_match", 2, nullptr},
        {R2, "forward", "last_match", 3, nullptr},
        {R2, "backward", "last_match", 1, "C"},
        {R2, "backward", "last_match", 2, nullptr},
        {R2, "backward", "last_match", 3, nullptr},
        {R3, "forward", "head", 0, nullptr},
        {R3, "forward", "head", 1, nullptr},
        {R3, "forward", "head", 2, nullptr},
        {R3, "forward", "head", 3, nullptr},
        {R3, "backward", "tail", 0, nullptr},
        {R3, "backward", "tail", 1, nullptr},
        {R3, "backward", "tail", 2, nullptr},
        {R3, "backward", "tail", 3, nullptr},
        {R3, "forward", "first_match", 1, "z"},
        {R3, "forward", "first_match", 2, "w"},
        {R3, "forward", "first_match", 3, nullptr},
        {R3, "backward", "first_match", 1, "x"},
        {R3, "backward", "first_match", 2, nullptr},
        {R3, "backward", "first_match", 3, nullptr},
        {R3, "forward", "last_match", 1, "v"},
        {R3, "forward", "last_match", 2, nullptr},
        {R3, "forward", "last_match", 3, nullptr},
        {R3, "backward", "last_match", 1, "z"},
        {R3, "backward", "last_match", 2, "y"},
        {R3, "backward", "last_match", 3, nullptr},
    };
    for (const auto& c : cases) {
        const Runner r(c.rows);
        const char* got = r.run(c.dir, c.base, c.n);
        EXPECT_EQ(show(got), show(c.expect)) << c.dir << " " << c.base << " N=" << c.n;
        // Row order does not matter.
        std::vector<NodeRow> reversed(c.rows.rbegin(), c.rows.rend());
        EXPECT_EQ(show(Runner(reversed).run(c.dir, c.base, c.n)), show(c.expect));
    }
}

TEST(NextNode, ClickHouseDocExample) {
    // The ClickHouse documentation's shape: what comes after Home -> Gift?
    // Rows with a NULL value are dropped before they reach the core (ClickHouse
    // skips them too), so the answer skips over them.
    const std::vector<NodeRow> rows = {{1, "Home", 1, true}, {2, "Gift", 2, true}, {3, "Exit", 0, true},
                                       {4, "Home", 1, true}, {5, "Gift", 2, true}, {6, "Basket", 0, true}};
    const Runner r(rows);
    EXPECT_EQ(show(r.run("forward", "head", 2)), show("Exit"));
    EXPECT_EQ(show(r.run("forward", "first_match", 2)), show("Exit"));
    EXPECT_EQ(show(r.run("forward", "last_match", 2)), show("Basket"));
    EXPECT_EQ(show(r.run("backward", "tail", 0)), show("Basket"));
    EXPECT_EQ(show(r.run("forward", "head", 0)), show("Home"));
    EXPECT_EQ(show(r.run("backward", "last_match", 1)), show("Exit"));
    // Fewer rows than the chain needs: NULL.
    const Runner one({{1, "Home", 1, true}});
    EXPECT_EQ(one.run("forward", "head", 1), nullptr);
    EXPECT_EQ(show(one.run("forward", "head", 0)), show("Home"));
    const Runner none({});
    EXPECT_EQ(none.run("forward", "head", 0), nullptr);
    EXPECT_EQ(none.run("backward", "last_match", 1), nullptr);
}

TEST(NextNode, TiesAreOrderedByValueThenMaskThenBase) {
    // Same time: rows sort by value bytes ("B" < "a"), so the head is "B".
    const Runner r({{5, "a", 1, true}, {5, "B", 1, true}, {6, "c", 0, true}});
    EXPECT_EQ(show(r.run("forward", "head", 0)), show("B"));
    EXPECT_EQ(show(r.run("forward", "head", 1)), show("a"));
    // Shorter prefix first: "ab" < "abc".
    const Runner p({{5, "abc", 0, true}, {5, "ab", 0, true}});
    EXPECT_EQ(show(p.run("forward", "head", 0)), show("ab"));
    // Same time and value: mask, then base flag (false first); ClickHouse keeps
    // the arrival order here. Both arrival orders give the same answer.
    const Runner q1({{5, "v", 1, true}, {5, "v", 1, false}, {6, "w", 0, true}});
    const Runner q2({{5, "v", 1, false}, {5, "v", 1, true}, {6, "w", 0, true}});
    EXPECT_EQ(q1.run("forward", "head", 0), nullptr);  // the head row is the one with base false
    EXPECT_EQ(q2.run("forward", "head", 0), nullptr);
    EXPECT_EQ(show(q1.run("forward", "first_match", 1)), show("w"));
    EXPECT_EQ(show(q2.run("forward", "first_match", 1)), show("w"));
    EXPECT_EQ(pgf::value_bytes_compare("", "a"), -1);
    EXPECT_EQ(pgf::value_bytes_compare("a", ""), 1);
    EXPECT_EQ(pgf::value_bytes_compare("\xff", "a"), 1);  // bytes compare unsigned
    EXPECT_EQ(pgf::value_bytes_compare("same", "same"), 0);
}

TEST(NextNode, RowsNeeded) {
    EXPECT_EQ(pgf::next_node_rows_needed(NextNodeBase::Head, 2, 10), 3u);
    EXPECT_EQ(pgf::next_node_rows_needed(NextNodeBase::Tail, 0, 10), 1u);
    EXPECT_EQ(pgf::next_node_rows_needed(NextNodeBase::Head, 20, 10), 10u);
    EXPECT_EQ(pgf::next_node_rows_needed(NextNodeBase::FirstMatch, 2, 10), 10u);
    EXPECT_EQ(pgf::next_node_rows_needed(NextNodeBase::LastMatch, 2, 10), 10u);
}

TEST(NextNode, SixtyFourSteps) {
    std::vector<NodeRow> rows;
    std::vector<std::string> names;
    for (int i = 0; i < 64; ++i) names.push_back("s" + std::to_string(i));
    for (int i = 0; i < 64; ++i)
        rows.push_back({i, names[static_cast<std::size_t>(i)].c_str(), std::uint64_t{1} << i, true});
    rows.push_back({64, "after", 0, true});
    const Runner r(rows);
    EXPECT_EQ(show(r.run("forward", "head", 64)), show("after"));
    EXPECT_EQ(show(r.run("forward", "first_match", 64)), show("after"));
    EXPECT_EQ(r.run("backward", "tail", 64), nullptr);  // "after" does not satisfy step 1
}

}  // namespace
