// Tests of the sequence pattern language: the parser and its error messages,
// hand-computed matches, answers recorded from ClickHouse (chdb 26.7.2.1), a
// randomized comparison against the brute-force reference in
// pattern_reference.hpp, and large pathological inputs (no timing assertion).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <iostream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/pattern.hpp"
#include "pattern_reference.hpp"

namespace {

using pgf::Event;
using pgf::Pattern;
using Times = std::vector<std::int64_t>;

std::uint64_t steps(std::initializer_list<int> s) {
    std::uint64_t m = 0;
    for (int i : s) m |= std::uint64_t{1} << (i - 1);
    return m;
}

// Rows given as (time, condition numbers); sorted like the aggregate does.
struct Row {
    std::int64_t ts;
    std::initializer_list<int> conds;
};
std::vector<Event> rows(std::initializer_list<Row> r) {
    std::vector<Event> ev;
    for (const auto& x : r) ev.push_back({x.ts, steps(x.conds)});
    pgf::sort_events(ev.data(), ev.size());
    return ev;
}

Pattern pat(const std::string& text, int n_conditions = 3, std::int64_t units_per_second = 1) {
    return pgf::parse_pattern(text, n_conditions, units_per_second);
}

bool match(const std::string& p, const std::vector<Event>& ev, int n = 3) {
    return pgf::sequence_match(pat(p, n), ev.data(), ev.size());
}
std::uint64_t count(const std::string& p, const std::vector<Event>& ev, int n = 3) {
    return pgf::sequence_count(pat(p, n), ev.data(), ev.size());
}
Times times(const std::string& p, const std::vector<Event>& ev, int n = 3) {
    return pgf::sequence_match_times(pat(p, n), ev.data(), ev.size());
}

// The message of the InvalidParameter error parse_pattern throws ("" if none).
std::string parse_error(const std::string& text, int n_conditions = 3, std::int64_t ups = 1) {
    try {
        pgf::parse_pattern(text, n_conditions, ups);
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::InvalidParameter) << text;
        return e.what();
    }
    return "";
}

// ---------------------------------------------------------------- parser

TEST(PatternParse, ElementsAndCanonicalText) {
    const Pattern p = pat("(?1).(?2).*(?t<=5)(?3)(?t<6)(?2)(?t>=7).(?t>8).*(?t==9)(?1)");
    EXPECT_EQ(pgf::pattern_to_string(p), "(?1).(?2).*(?t<=5)(?3)(?t<6)(?2)(?t>=7).(?t>8).*(?t==9)(?1)");
    EXPECT_EQ(p.elements.size(), 14u);
    EXPECT_EQ(p.n_step_elements, 5);
    EXPECT_EQ(p.used_steps, steps({1, 2, 3}));
    EXPECT_TRUE(p.has_time);
    EXPECT_EQ(p.elements[0].op, pgf::PatternOp::Step);
    EXPECT_EQ(p.elements[0].step, 0);
    EXPECT_EQ(p.elements[1].op, pgf::PatternOp::Any);
    EXPECT_EQ(p.elements[3].op, pgf::PatternOp::AnyStar);
    EXPECT_EQ(p.elements[4].op, pgf::PatternOp::TimeLE);
    EXPECT_EQ(p.elements[4].span, 5u);
    EXPECT_EQ(p.elements[4].position, 12);  // 1-based character position of "(?t<=5)"
    EXPECT_FALSE(pat("(?1).*(?2)").has_time);
}

TEST(PatternParse, TimeSpansAreScaled) {
    const Pattern p = pgf::parse_pattern("(?1)(?t<=90)(?2)", 2, 1000000);
    EXPECT_EQ(p.elements[1].span, 90000000u);
    // Leading "+" and zeros are accepted, as ClickHouse reads them.
    EXPECT_EQ(pgf::pattern_to_string(pat("(?+1)(?t>=007)(?02)")), "(?1)(?t>=7)(?2)");
    EXPECT_EQ(pat("(?1)(?t<18446744073709551615)").elements[1].span, 18446744073709551615u);
}

TEST(PatternParse, ErrorsNamePosition) {
    struct Case {
        const char* text;
        const char* expect;  // substring of the message
    };
    const Case cases[] = {
        {"", "the pattern is empty"},
        {"(?1)x", "unexpected character \"x\"; expected (?N)"},
        {"(?1)x", "at position 5"},
        {"(?1) (?2)", "unexpected space (spaces are not allowed)"},
        {"(?1) (?2)", "at position 5"},
        {"(?1))", "unexpected \")\" without a matching \"(\""},
        {"(?1))", "at position 5"},
        {"(?1)(?2", "expected \")\" to close the \"(\" at position 5, found the end of the pattern at position 8"},
        {"(?1(?2)", "expected \")\" to close the \"(\" at position 1, found character \"(\" at position 4"},
        {"(1)", "expected \"?\" after \"(\""},
        {"(1)", "at position 2"},
        {"(", "at position 2"},
        {"(?)", "expected a condition number N, found \")\" without a matching \"(\" at position 3"},
        {"(?", "expected a condition number N, found the end of the pattern at position 3"},
        {"(?x)", "expected a condition number N, found character \"x\" at position 3"},
        {"(?0)", "(?0) is out of range: the conditions are numbered 1..3 at position 3"},
        {"(?1)(?4)", "(?4) is out of range: the conditions are numbered 1..3 at position 7"},
        {"(?99999999999999999999)", "is too large at position 3"},
        {"(?1)(?t<=)", "expected a time span S (a non-negative integer), found \")\""},
        {"(?1)(?t<=-5)", "negative numbers are not allowed at position 10"},
        {"(?1)(?t!=5)(?2)", "(?t!=S) is not supported"},
        {"(?1)(?t!=5)(?2)", "at position 8"},
        {"(?1)(?t=5)(?2)", "expected a time comparison <=, <, >=, > or == after \"(?t\" at position 8"},
        {"(?1)(?t <=5)(?2)", "at position 8"},
        {"(?1)(?t<=5(?2)", "expected \")\" to close the \"(\" at position 5"},
        {"(?t<=5)(?1)", "a time condition cannot start the pattern"},
        {"(?t<=5)(?1)", "at position 1"},
        {"(?1)(?t<=5)(?t>=1)(?2)", "two time conditions in a row"},
        {"(?1)(?t<=5)(?t>=1)(?2)", "at position 12"},
        {"(?1)(?t<=18446744073709551616)", "is too large"},
        {"(?1)é", "unexpected character \"é\"; expected"},
        {"é(?1)x", "unexpected character \"é\""},
    };
    for (const auto& c : cases) {
        const std::string msg = parse_error(c.text);
        EXPECT_NE(msg.find(c.expect), std::string::npos) << "pattern " << c.text << " gave: " << msg;
        if (!msg.empty()) {
            EXPECT_NE(msg.find("invalid pattern"), std::string::npos) << msg;
        }
    }
    // Positions count characters, not bytes.
    EXPECT_NE(parse_error("(?1)é(?2)").find("at position 5"), std::string::npos);
    EXPECT_NE(parse_error("..é").find("at position 3"), std::string::npos);
    EXPECT_NE(parse_error("(?1)(?t<=éx)").find("at position 10"), std::string::npos);
    // The scaled span must fit in 64 bits.
    EXPECT_NE(parse_error("(?1)(?t<=18446744073710)(?2)", 3, 1000000).find("time span 18446744073710 is too large"),
              std::string::npos);
    EXPECT_EQ(parse_error("(?1)(?t<=18446744073709)(?2)", 3, 1000), "");
    // A time condition after . or .* is fine; so is one at the end.
    EXPECT_EQ(parse_error(".(?t<=5)(?1)"), "");
    EXPECT_EQ(parse_error(".*(?t>5)(?1)(?t==0)"), "");
}

TEST(PatternParse, Limits) {
    EXPECT_THROW(pgf::parse_pattern("(?1)", 0, 1), pgf::Error);
    try {
        pgf::parse_pattern("(?1)", 65, 1);
        ADD_FAILURE();
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::LimitExceeded);
    }
    EXPECT_EQ(pgf::parse_pattern("(?64)", 64, 1).elements[0].step, 63);
    EXPECT_THROW(pgf::parse_pattern("(?1)", 3, 0), pgf::Error);
    std::string longest;
    for (int i = 0; i < pgf::kMaxPatternElements; ++i) longest += ".";
    EXPECT_EQ(pgf::parse_pattern(longest, 1, 1).elements.size(), static_cast<std::size_t>(pgf::kMaxPatternElements));
    try {
        pgf::parse_pattern(longest + ".", 1, 1);
        ADD_FAILURE();
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::LimitExceeded);
        EXPECT_NE(std::string(e.what()).find("at position 257"), std::string::npos) << e.what();
    }
}

// ---------------------------------------------------------------- hand-computed

TEST(SequenceMatch, AdjacencyIsOverStoredEvents) {
    // (?1)(?2): a cond-2 row is the next *stored* row after a cond-1 row.
    const auto ev = rows({{1, {1}}, {2, {}}, {3, {2}}});  // the empty row is not stored
    EXPECT_TRUE(match("(?1)(?2)", ev));
    const auto ev2 = rows({{1, {1}}, {2, {3}}, {3, {2}}});  // a row matching another condition is
    EXPECT_FALSE(match("(?1)(?2)", ev2));
    EXPECT_TRUE(match("(?1).(?2)", ev2));
    EXPECT_TRUE(match("(?1).*(?2)", ev2));
    EXPECT_FALSE(match("(?2).*(?1)", ev2));
    EXPECT_TRUE(match("(?3)", ev2));
}

TEST(SequenceMatch, OneRowCanServeOnlyOneElement) {
    const auto ev = rows({{1, {1, 2}}});
    EXPECT_TRUE(match("(?1)", ev));
    EXPECT_TRUE(match("(?2)", ev));
    EXPECT_FALSE(match("(?1)(?2)", ev));
    EXPECT_FALSE(match("(?1).*(?2)", ev));
    const auto ev2 = rows({{1, {1, 2}}, {1, {1, 2}}});
    EXPECT_TRUE(match("(?1)(?2)", ev2));
    EXPECT_EQ(times("(?1)(?2)", ev2), (Times{1, 1}));
}

TEST(SequenceMatch, TiesAreOrderedByMask) {
    // Equal times: rows sort by their condition mask (ClickHouse's order among
    // equal timestamps is undefined: it sorts by time only, unstably).
    const auto ev = rows({{5, {2}}, {5, {1}}});
    EXPECT_TRUE(match("(?1)(?2)", ev));
    EXPECT_FALSE(match("(?2)(?1)", ev));
    EXPECT_EQ(times("(?1)(?t==0)(?2)", ev), (Times{5, 5}));
    const auto ev2 = rows({{5, {1, 2}}, {5, {3}}, {5, {1}}});  // masks 3, 4, 1 -> order 1, 3, 4
    EXPECT_TRUE(match("(?1)(?1)(?3)", ev2));
    EXPECT_EQ(count("(?1)", ev2), 2u);
}

TEST(SequenceMatch, TimeConditionsSkipEvents) {
    // Between two time-gated elements any events may lie (00222: (?1)(?t<3)(?3)
    // matches across a cond-2 row).
    const auto ev = rows({{0, {1}}, {1, {2}}, {2, {3}}});
    EXPECT_FALSE(match("(?1)(?3)", ev));
    EXPECT_TRUE(match("(?1)(?t<3)(?3)", ev));
    EXPECT_TRUE(match("(?1)(?t<=2)(?3)", ev));
    EXPECT_FALSE(match("(?1)(?t<2)(?3)", ev));
    EXPECT_TRUE(match("(?1)(?t==2)(?3)", ev));
    EXPECT_FALSE(match("(?1)(?t==1)(?3)", ev));
    EXPECT_TRUE(match("(?1)(?t>=2)(?3)", ev));
    EXPECT_FALSE(match("(?1)(?t>2)(?3)", ev));
    EXPECT_EQ(times("(?1)(?t==2)(?3)", ev), (Times{0, 2}));
}

TEST(SequenceMatch, TimeAfterStarIsFromTheFirstSkippedEvent) {
    // After .*, a time condition compares with the event where .* stopped, not
    // with the last (?N): here (?1)@0 .* stops at the row @10, so (?t>=5) needs
    // a cond-2 row at >= 15, not >= 5.
    const auto ev = rows({{0, {1}}, {10, {3}}, {12, {2}}});
    EXPECT_FALSE(match("(?1).*(?t>=5)(?2)", ev));
    EXPECT_TRUE(match("(?1)(?t>=5)(?2)", ev));
    EXPECT_TRUE(match("(?1).*(?t>=2)(?2)", ev));
    // .*(?t<=S) always holds: .* may stop right at the next matched event.
    EXPECT_TRUE(match("(?1).*(?t<=0)(?2)", ev));
}

TEST(SequenceMatch, TrailingElementsAtTheEnd) {
    // Once the events run out, trailing .*, (?t<=S), (?t<S) and (?t>=0) are no-ops;
    // other trailing elements fail.
    const auto ev = rows({{0, {1}}, {100, {2}}});
    EXPECT_TRUE(match("(?2)(?t<=5)", ev));
    EXPECT_TRUE(match("(?2)(?t<0)", ev));
    EXPECT_TRUE(match("(?2)(?t>=0)", ev));
    EXPECT_FALSE(match("(?2)(?t>=1)", ev));
    EXPECT_FALSE(match("(?2)(?t>0)", ev));
    EXPECT_FALSE(match("(?2)(?t==0)", ev));
    EXPECT_FALSE(match("(?2).", ev));
    EXPECT_TRUE(match("(?2).*", ev));
    // With events left, a trailing time condition needs an event that passes it.
    EXPECT_FALSE(match("(?1)(?t<=5)", ev));
    EXPECT_TRUE(match("(?1)(?t<=100)", ev));
    EXPECT_TRUE(match("(?1)(?t>50)", ev));
}

TEST(SequenceMatch, NoStepElements) {
    const auto ev = rows({{0, {1}}, {5, {2}}});
    EXPECT_TRUE(match(".", ev));
    EXPECT_TRUE(match("..", ev));
    EXPECT_FALSE(match("...", ev));
    EXPECT_TRUE(match(".*", ev));
    EXPECT_EQ(count(".", ev), 2u);
    EXPECT_EQ(count(".*", ev), 2u);
    EXPECT_EQ(count("..", ev), 1u);
    EXPECT_EQ(times("..", ev), Times{});
    // Nothing stored: only patterns of end-of-events no-ops match.
    const std::vector<Event> none;
    EXPECT_TRUE(match(".*", none));
    EXPECT_FALSE(match(".", none));
    EXPECT_FALSE(match("(?1)", none));
    EXPECT_EQ(count(".*", none), 0u);
    const auto only_empty = rows({{0, {}}, {1, {}}});
    EXPECT_TRUE(match(".*", only_empty));
    EXPECT_FALSE(match(".", only_empty));
}

TEST(SequenceCount, NonOverlappingFromTheLeft) {
    const auto ev = rows({{1, {1}}, {2, {1}}, {3, {2}}, {4, {1}}, {5, {2}}, {6, {2}}});
    EXPECT_EQ(count("(?1).*(?2)", ev), 2u);  // [1..3], [4..5]
    EXPECT_EQ(count("(?1)(?2)", ev), 2u);    // [2,3], [4,5]
    EXPECT_EQ(count("(?2)", ev), 3u);
    EXPECT_EQ(count("(?1)", ev), 3u);
    EXPECT_EQ(count("(?1).", ev), 2u);  // [1,2], [4,5]
    EXPECT_EQ(count("(?2)(?1)", ev), 1u);
    EXPECT_EQ(count("(?1)(?t<=1)(?2)", ev), 2u);
    EXPECT_EQ(count("(?1)(?t>=2)(?2)", ev), 2u);  // 1->3, 4->6
}

TEST(SequenceTimes, FirstMatchIsLeftmostThenEarliest) {
    const auto ev = rows({{1, {1}}, {2, {1}}, {3, {2}}, {7, {3}}, {8, {2}}, {9, {3}}});
    EXPECT_EQ(times("(?1).*(?2).*(?3)", ev), (Times{1, 3, 7}));
    EXPECT_EQ(times("(?1)(?2)", ev), (Times{2, 3}));
    EXPECT_EQ(times("(?1).*(?2)(?t>=3)(?3)", ev), (Times{1, 3, 7}));
    EXPECT_EQ(times("(?1).*(?2)(?t<=1)(?3)", ev), (Times{1, 8, 9}));
    EXPECT_EQ(times("(?1)(?t>=2)(?2)", ev), (Times{1, 3}));
    EXPECT_EQ(times("(?1)(?t>=3)(?2)", ev), (Times{1, 8}));
}

TEST(SequenceTimes, WithoutMatchTheLongestPrefix) {
    // ClickHouse issue 118120 / PR 118497: the chain must follow the pattern.
    // sequenceMatchEvents('(?1)(?t<=10)(?2)(?3)') over A@0, B@5, B@100, C@101 is
    // [0, 5] after the fix ([0, 100, 101] before it, chdb 26.7 still gives that).
    const auto ev = rows({{0, {1}}, {5, {2}}, {100, {2}}, {101, {3}}});
    EXPECT_FALSE(match("(?1)(?t<=10)(?2)(?3)", ev));
    EXPECT_EQ(times("(?1)(?t<=10)(?2)(?3)", ev), (Times{0, 5}));
    EXPECT_EQ(times("(?3)(?1)", ev), (Times{101}));
    EXPECT_EQ(times("(?2)(?2)(?2)", ev), (Times{5, 100}));
    const auto ev2 = rows({{0, {1}}});
    EXPECT_EQ(times("(?2)", ev2), Times{});
    EXPECT_EQ(times("(?1)(?1)(?1)", ev2), Times{0});
}

TEST(SequenceMatch, UnmatchedRowsAndOrderDoNotMatter) {
    std::vector<Event> ev = {{5, steps({2})}, {1, steps({1})}, {3, 0}, {9, steps({3})}, {3, steps({1, 2})}};
    std::vector<Event> stored;
    for (const auto& e : ev)
        if (e.mask) stored.push_back(e);
    pgf::sort_events(ev.data(), ev.size());
    pgf::sort_events(stored.data(), stored.size());
    for (const char* p : {"(?1)(?2)", "(?1).(?2)(?3)", "(?1)(?t<=2)(?2)", "(?2)(?3)", ".*(?t>3)(?3)"}) {
        const Pattern pp = pat(p);
        EXPECT_EQ(pgf::sequence_match(pp, ev.data(), ev.size()), pgf::sequence_match(pp, stored.data(), stored.size()))
            << p;
        EXPECT_EQ(pgf::sequence_count(pp, ev.data(), ev.size()), pgf::sequence_count(pp, stored.data(), stored.size()))
            << p;
        EXPECT_EQ(pgf::sequence_match_times(pp, ev.data(), ev.size()),
                  pgf::sequence_match_times(pp, stored.data(), stored.size()))
            << p;
    }
    // Unsorted input is a caller bug.
    std::vector<Event> unsorted = {{5, 1}, {1, 1}};
    EXPECT_THROW(pgf::sequence_match(pat("(?1)"), unsorted.data(), unsorted.size()), pgf::Error);
}

TEST(SequenceMatch, ExtremeTimes) {
    const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    const auto ev = rows({{lo, {1}}, {hi, {2}}});
    EXPECT_TRUE(match("(?1)(?t==18446744073709551615)(?2)", ev));
    EXPECT_TRUE(match("(?1)(?t>18446744073709551614)(?2)", ev));
    EXPECT_FALSE(match("(?1)(?t<18446744073709551615)(?2)", ev));
    EXPECT_TRUE(match("(?1)(?t<=18446744073709551615)(?2)", ev));
    EXPECT_EQ(times("(?1)(?t>=1)(?2)", ev), (Times{lo, hi}));
}


std::string describe(const std::string& p, const std::vector<Event>& ev) {
    std::ostringstream os;
    os << "pattern " << p << " rows=[";
    for (std::size_t i = 0; i < ev.size(); ++i) {
        if (i) os << ", ";
        os << "{" << ev[i].ts << ", {";
        bool first = true;
        for (int c = 1; c <= 64; ++c)
            if ((ev[i].mask >> (c - 1)) & 1u) {
                os << (first ? "" : ",") << c;
                first = false;
            }
        os << "}}";
    }
    os << "]";
    return os.str();
}

// ---------------------------------------------------------------- ClickHouse answers

// Each case was run through chdb 26.7.2.1 (embedded ClickHouse) as
//   SELECT sequenceMatch('<p>')(t, bitTest(m,0)=1, bitTest(m,1)=1, bitTest(m,2)=1),
//          sequenceCount('<p>')(...), sequenceMatchEvents('<p>')(...)
//   FROM values('t UInt32, m UInt8', <rows>)
// (bit i of m = condition i + 1; m = 0 is a row that matches nothing) and the
// three answers are recorded as ClickHouse gave them, except where marked.
struct ChCase {
    const char* pattern;
    std::vector<std::pair<std::int64_t, std::uint64_t>> rows;
    bool match;
    std::uint64_t count;
    Times times;
};

const std::vector<ChCase>& clickhouse_cases() {
    static const std::vector<ChCase> cases = {
    {"(?1)(?2)", {{1, 1}, {2, 0}, {3, 2}}, true, 1, {1, 3}},
    {"(?1)(?2)", {{1, 1}, {2, 4}, {3, 2}}, false, 0, {1}},
    {"(?1).(?2)", {{1, 1}, {2, 4}, {3, 2}}, true, 1, {1, 3}},
    {"(?1)(?t<3)(?3)", {{0, 1}, {1, 2}, {2, 4}}, true, 1, {0, 2}},
    {"(?1)(?t==2)(?3)", {{0, 1}, {1, 2}, {2, 4}}, true, 1, {0, 2}},
    {"(?1)(?t>2)(?3)", {{0, 1}, {1, 2}, {2, 4}}, false, 0, {0}},
    {"(?1).*(?t>=5)(?2)", {{0, 1}, {10, 4}, {12, 2}}, false, 0, {0}},
    {"(?1)(?t>=5)(?2)", {{0, 1}, {10, 4}, {12, 2}}, true, 1, {0, 12}},
    {"(?1).*(?t>=2)(?2)", {{0, 1}, {10, 4}, {12, 2}}, true, 1, {0, 12}},
    {"(?1).*(?t<=0)(?2)", {{0, 1}, {10, 4}, {12, 2}}, true, 1, {0, 12}},
    {"(?1)(?t<0)", {{0, 1}, {5, 2}}, false, 0, {0}},
    {"(?1)(?t<0)", {{0, 2}, {5, 1}}, true, 1, {5}},
    {"(?2)(?t<=5)", {{0, 1}, {100, 2}}, true, 1, {100}},
    {"(?2)(?t>=0)", {{0, 1}, {100, 2}}, true, 1, {100}},
    {"(?2)(?t>=1)", {{0, 1}, {100, 2}}, false, 0, {100}},
    {"(?2)(?t==0)", {{0, 1}, {100, 2}}, false, 0, {100}},
    {"(?1)(?t<=5)", {{0, 1}, {100, 2}}, false, 0, {0}},
    {"(?1)(?t>50)", {{0, 1}, {100, 2}}, true, 1, {0}},
    {".*(?t<0)", {{0, 1}, {5, 2}}, true, 1, {}},
    {".*", {{0, 1}, {5, 2}, {7, 0}, {9, 4}}, true, 3, {}},
    {".", {{0, 1}, {5, 2}, {7, 0}, {9, 4}}, true, 3, {}},
    {"..", {{0, 1}, {5, 2}, {7, 0}, {9, 4}}, true, 1, {}},
    {"(?1).*(?2)", {{1, 1}, {2, 1}, {3, 2}, {4, 1}, {5, 2}, {6, 2}}, true, 2, {1, 3}},
    {"(?1)(?2)", {{1, 1}, {2, 1}, {3, 2}, {4, 1}, {5, 2}, {6, 2}}, true, 2, {2, 3}},
    {"(?1).", {{1, 1}, {2, 1}, {3, 2}, {4, 1}, {5, 2}, {6, 2}}, true, 2, {1}},
    {"(?1)(?t>=2)(?2)", {{1, 1}, {2, 1}, {3, 2}, {4, 1}, {5, 2}, {6, 2}}, true, 2, {1, 3}},
    {"(?1).*(?1)", {{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}}, true, 2, {1, 2}},
    {"(?1)(?t<=1)(?2)", {{1, 1}, {2, 1}, {3, 2}, {4, 1}, {5, 2}, {6, 2}}, true, 2, {2, 3}},
    {"(?1).*(?2).*(?3)", {{1, 1}, {2, 1}, {3, 2}, {7, 4}, {8, 2}, {9, 4}}, true, 1, {1, 3, 7}},
    {"(?1).*(?2).*(?3)", {{1, 1}, {2, 1}, {3, 2}, {8, 2}}, false, 0, {1, 3}},
    {"(?1).*(?2).*(?3)", {{1, 2}, {2, 1}, {3, 4}, {8, 1}}, false, 0, {2}},
    {"(?1).*(?2)(?t<=1)(?3)", {{1, 1}, {2, 1}, {3, 2}, {7, 4}, {8, 2}, {9, 4}}, true, 1, {1, 8, 9}},
    {"(?1).*(?t>3)(?2)", {{0, 1}, {1, 4}, {2, 2}, {4, 2}, {6, 2}}, true, 1, {0, 6}},
    {".*(?t>5)", {{0, 1}, {3, 2}, {6, 4}, {9, 1}, {12, 2}, {20, 2}}, true, 3, {}},
    // ClickHouse returns [1]: the first full chain its search saw (3@1, whose next
    // event is 2 later), not the chain of the match (3@3, 4@4). Divergence, see
    // docs/journeys.md; we return the times of the match.
    {"(?3)(?t<=1)", {{1, 4}, {3, 4}, {4, 1}}, true, 1, {3}},
    {"(?1)(?2)(?3)", {{1, 1}, {2, 2}, {3, 4}, {4, 3}, {5, 4}, {6, 7}}, true, 1, {1, 2, 3}},
    {"(?1)(?t>=1)(?1)(?t>=1)(?1)", {{1, 1}, {1, 1}, {2, 1}, {2, 1}, {3, 1}, {4, 1}}, true, 1, {1, 2, 3}},
    };
    return cases;
}

TEST(SequenceClickHouse, RecordedAnswers) {
    for (const auto& c : clickhouse_cases()) {
        std::vector<Event> ev;
        for (const auto& r : c.rows) ev.push_back({r.first, r.second});
        pgf::sort_events(ev.data(), ev.size());
        const Pattern p = pat(c.pattern);
        EXPECT_EQ(pgf::sequence_match(p, ev.data(), ev.size()), c.match) << describe(c.pattern, ev);
        EXPECT_EQ(pgf::sequence_count(p, ev.data(), ev.size()), c.count) << describe(c.pattern, ev);
        EXPECT_EQ(pgf::sequence_match_times(p, ev.data(), ev.size()), c.times) << describe(c.pattern, ev);
    }
}

// ---------------------------------------------------------------- randomized vs reference

std::string random_pattern(std::mt19937_64& rng, int n_conditions, int max_elements, int max_span) {
    std::uniform_int_distribution<int> len(1, max_elements), kind(0, 9), cond(1, n_conditions),
        op(0, 4), span(0, max_span);
    const int k = len(rng);
    std::string p;
    bool prev_time = true;  // no time condition first
    for (int i = 0; i < k; ++i) {
        int t = kind(rng);
        if (prev_time && t >= 7) t = 0;
        prev_time = false;
        if (t <= 3) {
            p += "(?" + std::to_string(cond(rng)) + ")";
        } else if (t == 4) {
            p += ".";
        } else if (t <= 6) {
            p += ".*";
        } else {
            static const char* ops[] = {"<=", "<", ">=", ">", "=="};
            p += std::string("(?t") + ops[op(rng)] + std::to_string(span(rng)) + ")";
            prev_time = true;
        }
    }
    return p;
}

std::vector<Event> random_events(std::mt19937_64& rng, int max_events, int n_conditions, int max_ts) {
    std::uniform_int_distribution<int> len(0, max_events), ts(0, max_ts);
    std::uniform_int_distribution<std::uint64_t> mask(0, (std::uint64_t{1} << n_conditions) - 1);
    std::vector<Event> ev(static_cast<std::size_t>(len(rng)));
    for (auto& e : ev) {
        e.ts = ts(rng);
        e.mask = mask(rng);
        if (e.mask && (rng() & 3) == 0) e.mask &= e.mask - 1;  // bias towards single conditions
    }
    pgf::sort_events(ev.data(), ev.size());
    return ev;
}

void compare_with_reference(std::uint64_t seed, int iterations, int max_events, int max_elements, int max_ts,
                            int max_span) {
    std::mt19937_64 rng(seed);
    int matched = 0, failures = 0;
    for (int it = 0; it < iterations && failures < 10; ++it) {
        const int n_conditions = 1 + static_cast<int>(rng() % 3);
        const std::string p = random_pattern(rng, n_conditions, max_elements, max_span);
        const auto ev = random_events(rng, max_events, n_conditions, max_ts);
        const Pattern pp = pgf::parse_pattern(p, n_conditions, 1);
        pgf_ref::PatternRef ref(pp, ev.data(), ev.size());
        const bool m = pgf::sequence_match(pp, ev.data(), ev.size());
        const bool rm = ref.match();
        matched += rm;
        const auto c = pgf::sequence_count(pp, ev.data(), ev.size());
        const auto rc = ref.count();
        const auto t = pgf::sequence_match_times(pp, ev.data(), ev.size());
        const auto rt = ref.times();
        if (m != rm || c != rc || t != rt) {
            ++failures;
            ADD_FAILURE() << describe(p, ev) << ": match " << m << " (ref " << rm << "), count " << c << " (ref "
                          << rc << "), times " << ::testing::PrintToString(t) << " (ref "
                          << ::testing::PrintToString(rt) << ")";
        }
    }
    // The generator must produce both outcomes in fair numbers.
    EXPECT_GT(matched, iterations / 10);
    EXPECT_LT(matched, iterations - iterations / 10);
}

TEST(PatternRandom, AgainstReferenceWithTies) { compare_with_reference(1, 60000, 9, 6, 6, 3); }

TEST(PatternRandom, AgainstReferenceDistinctishTimes) { compare_with_reference(2, 60000, 10, 6, 60, 25); }

TEST(PatternRandom, AgainstReferenceLongPatterns) { compare_with_reference(3, 20000, 8, 10, 10, 4); }

TEST(PatternRandom, AgainstReferenceLongerInputs) { compare_with_reference(4, 20000, 16, 4, 30, 8); }

// A final function keeps one SequenceMatcher per pattern for every actor: the
// working memory it carries from one actor to the next (the matcher's state,
// the (?t==S) queues, the first-reach positions) must never show in an answer.
// Many actors per matcher, the three questions in random order, each against
// the reference; a matcher moved into another also keeps answering.
TEST(PatternRandom, ReusedMatcherAgainstReference) {
    std::mt19937_64 rng(5);
    int failures = 0, matched = 0, asked = 0;
    for (int it = 0; it < 2000 && failures < 10; ++it) {
        const int n_conditions = 1 + static_cast<int>(rng() % 3);
        const std::string p = random_pattern(rng, n_conditions, 6, 6);
        const Pattern pp = pgf::parse_pattern(p, n_conditions, 1);
        pgf::SequenceMatcher matcher(pp);
        if (it % 2) matcher = pgf::SequenceMatcher(pgf::parse_pattern(p, n_conditions, 1));
        EXPECT_EQ(matcher.pattern().elements.size(), pp.elements.size());
        for (int actor = 0; actor < 30; ++actor) {
            const auto ev = random_events(rng, actor % 5 == 0 ? 20 : 9, n_conditions, actor % 2 ? 8 : 40);
            pgf_ref::PatternRef ref(pp, ev.data(), ev.size());
            ++asked;
            bool ok = true;
            switch (rng() % 3) {
                case 0: {
                    const bool m = matcher.match(ev.data(), ev.size());
                    matched += m;
                    ok = m == ref.match();
                    break;
                }
                case 1: ok = matcher.count(ev.data(), ev.size()) == ref.count(); break;
                default: ok = matcher.match_times(ev.data(), ev.size()) == ref.times(); break;
            }
            if (!ok) {
                ++failures;
                ADD_FAILURE() << "actor " << actor << " of " << describe(p, ev);
            }
        }
    }
    EXPECT_EQ(asked, 2000 * 30);
    EXPECT_GT(matched, asked / 30);
}

// ---------------------------------------------------------------- large inputs

// Patterns that make a backtracking matcher explode run in O(n x m). No timing
// assertion (sanitizer builds are slow); the time is printed.
class SequenceLarge : public ::testing::Test {
protected:
    template <class F>
    static void timed(const std::string& what, F&& f) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::cout << "[ timing   ] " << what << ": " << ms << " ms\n";
    }
};

TEST_F(SequenceLarge, StarsOverAMillionEvents) {
    const std::size_t n = 1000000;
    std::vector<Event> ev(n);
    for (std::size_t i = 0; i < n; ++i) ev[i] = {static_cast<std::int64_t>(i), steps({1})};
    const Pattern p = pat("(?1).*(?1).*(?1).*(?1).*(?2)", 2);
    // No cond-2 event: every prefix of the pattern is alive everywhere, nothing matches.
    timed("match (?1).*(?1).*(?1).*(?1).*(?2), 1e6 events, no match", [&] {
        EXPECT_FALSE(pgf::sequence_match(p, ev.data(), n));
    });
    timed("count, no match", [&] { EXPECT_EQ(pgf::sequence_count(p, ev.data(), n), 0u); });
    timed("times, no match (longest prefix)", [&] {
        EXPECT_EQ(pgf::sequence_match_times(p, ev.data(), n), (Times{0, 1, 2, 3}));
    });
    ev[n - 1].mask = steps({2});
    timed("match, the cond-2 event last", [&] { EXPECT_TRUE(pgf::sequence_match(p, ev.data(), n)); });
    timed("count, the cond-2 event last", [&] { EXPECT_EQ(pgf::sequence_count(p, ev.data(), n), 1u); });
    timed("times, the cond-2 event last", [&] {
        EXPECT_EQ(pgf::sequence_match_times(p, ev.data(), n),
                  (Times{0, 1, 2, 3, static_cast<std::int64_t>(n - 1)}));
    });
    // A cond-2 event every 10 events: 1e6 / 10 / 5 non-overlapping matches... each
    // needs four cond-1 events and a cond-2 event after them.
    for (std::size_t i = 9; i < n; i += 10) ev[i].mask = steps({2});
    timed("count, a cond-2 event every 10 events", [&] {
        EXPECT_EQ(pgf::sequence_count(p, ev.data(), n), n / 10);
    });
}

TEST_F(SequenceLarge, TimeConditionsOverAMillionEvents) {
    const std::size_t n = 1000000;
    std::vector<Event> ev(n);
    // Times 0, 1, 2, ... ; conditions 1 and 2 alternate in blocks, 3 is rare.
    for (std::size_t i = 0; i < n; ++i)
        ev[i] = {static_cast<std::int64_t>(i), (i % 1000 == 999) ? steps({3}) : (i % 2 ? steps({2}) : steps({1}))};
    // (?t==S) keeps every pending target time: up to S of them at once here.
    // The first cond-1 time t with t + 100001 a cond-3 time (999 mod 1000) is 998.
    const Pattern eq = pat("(?1)(?t==100001)(?3)");
    timed("match (?1)(?t==100001)(?3)", [&] { EXPECT_TRUE(pgf::sequence_match(eq, ev.data(), n)); });
    timed("count (?1)(?t==100001)(?3)", [&] {
        // one match per 100001 + ~1000 events: start 998 -> end 100999, next start 101998, ...
        EXPECT_EQ(pgf::sequence_count(eq, ev.data(), n), 9u);
    });
    timed("times (?1)(?t==100001)(?3)", [&] {
        EXPECT_EQ(pgf::sequence_match_times(eq, ev.data(), n), (Times{998, 100999}));
    });
    const Pattern mixed = pat("(?1)(?t<=3)(?2).*(?1)(?t>=50000)(?2)(?t<1000000)(?3).*(?t==7)(?4)", 4);
    timed("match, mixed time conditions, no cond-4 event", [&] {
        EXPECT_FALSE(pgf::sequence_match(mixed, ev.data(), n));
    });
    timed("times, mixed, longest prefix", [&] {
        EXPECT_EQ(pgf::sequence_match_times(mixed, ev.data(), n).size(), 5u);
    });
    const Pattern gt = pat("(?1)(?t>999990)(?2)");
    timed("match (?1)(?t>999990)(?2) (only the first events qualify)", [&] {
        EXPECT_TRUE(pgf::sequence_match(gt, ev.data(), n));
    });
}

TEST_F(SequenceLarge, CountOfEveryEvent) {
    const std::size_t n = 1000000;
    std::vector<Event> ev(n);
    for (std::size_t i = 0; i < n; ++i)
        ev[i] = {static_cast<std::int64_t>(i / 3), steps({1 + static_cast<int>(i % 3)})};
    pgf::sort_events(ev.data(), n);
    timed("count . over 1e6 events", [&] { EXPECT_EQ(pgf::sequence_count(pat("."), ev.data(), n), n); });
    timed("count .* over 1e6 events", [&] { EXPECT_EQ(pgf::sequence_count(pat(".*"), ev.data(), n), n); });
    timed("count (?1)(?2)(?3) over 1e6 events", [&] {
        EXPECT_EQ(pgf::sequence_count(pat("(?1)(?2)(?3)"), ev.data(), n), n / 3);
    });
}

}  // namespace
