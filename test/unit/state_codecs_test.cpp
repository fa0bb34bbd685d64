// The state codecs of time_between, retention, the sequence family and
// sequence_next_node: valid states round-trip, and damaged bytes (every
// truncation, a trailing byte, every single-byte change) are either refused with
// CorruptState or decode to a state that re-encodes to exactly those bytes
// (time_between: to a state that then re-encodes to itself, because its decoder
// rebuilds the state through add_to, which files each time where it belongs). No
// other outcome (another error kind, a crash, a sanitizer report) is allowed.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/next_node_codec.hpp"
#include "core/pattern.hpp"
#include "core/retention_codec.hpp"
#include "core/sequence_codec.hpp"
#include "core/state_time.hpp"
#include "core/time_between.hpp"
#include "core/time_between_codec.hpp"

namespace {

using Bytes = std::vector<unsigned char>;
// Decodes and re-encodes; throws pgf::Error on a refused state.
using Reencode = std::function<Bytes(const Bytes&)>;

enum class Outcome { Same, Refused };

Outcome outcome(const Reencode& reencode, const Bytes& in, const std::string& what, bool canonical = true) {
    try {
        const Bytes out = reencode(in);
        if (canonical)
            EXPECT_EQ(out, in) << what << ": decoded, but re-encodes to other bytes";
        else
            EXPECT_EQ(reencode(out), out) << what << ": the re-encoded state is not stable";
        return Outcome::Same;
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::CorruptState) << what << ": " << e.what();
        return Outcome::Refused;
    }
}

void check_codec(const Reencode& reencode, const Bytes& good, bool canonical = true) {
    ASSERT_EQ(outcome(reencode, good, "valid state"), Outcome::Same);
    for (std::size_t cut = 0; cut < good.size(); ++cut)
        EXPECT_EQ(outcome(reencode, Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut)),
                          "truncated to " + std::to_string(cut)),
                  Outcome::Refused);
    Bytes longer = good;
    longer.push_back(0);
    EXPECT_EQ(outcome(reencode, longer, "trailing byte"), Outcome::Refused);
    for (std::size_t i = 0; i < good.size(); ++i)
        for (const int delta : {1, 0x80, 0xff}) {
            Bytes bad = good;
            bad[i] = static_cast<unsigned char>(bad[i] + delta);
            outcome(reencode, bad, "byte " + std::to_string(i) + " + " + std::to_string(delta), canonical);
        }
    Bytes version = good;
    version[0] = static_cast<unsigned char>(version[0] + 1);
    EXPECT_EQ(outcome(reencode, version, "other version"), Outcome::Refused);
}

// ---------------------------------------------------------------- time_between

using TB = pgf::TimeBetween<std::vector<std::int64_t>>;

TB empty_tb() { return TB(std::vector<std::int64_t>{}); }

Bytes encode_tb(std::uint8_t kind, const TB& s) {
    const pgf::TimeBetweenStateHeader h = pgf::time_between_header_of(kind, s);
    Bytes out(pgf::time_between_state_size(s.early_to.size(), SIZE_MAX));
    pgf::encode_time_between_state(h, s.early_to.data(), out.data());
    return out;
}

Bytes reencode_tb(const Bytes& in) {
    TB s = empty_tb();
    const std::uint8_t kind = pgf::decode_time_between_state(in.data(), in.size(), s);
    return encode_tb(kind, s);
}

TEST(StateCodecs, TimeBetween) {
    TB s = empty_tb();
    for (const std::int64_t t : {50, 40, 30}) s.add_to(t);  // to-events before any from-event
    s.add_from(35);
    s.add_to(45);
    const Bytes good = encode_tb(pgf::kStateTimeTimestamptz, s);
    TB back = empty_tb();
    EXPECT_EQ(pgf::decode_time_between_state(good.data(), good.size(), back), pgf::kStateTimeTimestamptz);
    EXPECT_EQ(back.has_from, s.has_from);
    EXPECT_EQ(back.first_from, s.first_from);
    EXPECT_EQ(back.has_best, s.has_best);
    EXPECT_EQ(back.best_to, s.best_to);
    check_codec(reencode_tb, good, false);
    check_codec(reencode_tb, encode_tb(pgf::kStateTimeDate, empty_tb()), false);
    Bytes bad_kind = good;
    bad_kind[1] = 9;
    EXPECT_EQ(outcome(reencode_tb, bad_kind, "time kind 9"), Outcome::Refused);
}

// ---------------------------------------------------------------- retention

Bytes reencode_retention(const Bytes& in) {
    const pgf::RetentionStateData s = pgf::decode_retention_state(in.data(), in.size());
    Bytes out(pgf::kRetentionStateSize);
    pgf::encode_retention_state(s, out.data());
    return out;
}

TEST(StateCodecs, Retention) {
    for (const pgf::RetentionStateData s :
         {pgf::RetentionStateData{1, 1}, pgf::RetentionStateData{3, 5}, pgf::RetentionStateData{64, ~std::uint64_t{0}}}) {
        Bytes good(pgf::kRetentionStateSize);
        pgf::encode_retention_state(s, good.data());
        const pgf::RetentionStateData back = pgf::decode_retention_state(good.data(), good.size());
        EXPECT_EQ(back.n_conditions, s.n_conditions);
        EXPECT_EQ(back.seen, s.seen);
        check_codec(reencode_retention, good);
    }
    // A condition bit beyond the number of conditions.
    Bytes beyond(pgf::kRetentionStateSize);
    pgf::encode_retention_state({3, 0}, beyond.data());
    Bytes bad = beyond;
    pgf::RetentionStateData wide{3, std::uint64_t{1} << 5};
    pgf::encode_retention_state(wide, bad.data());
    EXPECT_EQ(outcome(reencode_retention, bad, "bit 6 of 3 conditions"), Outcome::Refused);
    pgf::encode_retention_state({65, 0}, bad.data());
    EXPECT_EQ(outcome(reencode_retention, bad, "65 conditions"), Outcome::Refused);
    pgf::encode_retention_state({0, 0}, bad.data());
    EXPECT_EQ(outcome(reencode_retention, bad, "0 conditions"), Outcome::Refused);
}

// ---------------------------------------------------------------- sequence family

std::int64_t units_per_second(std::uint8_t kind) {
    return kind == pgf::kStateTimeTimestamptz || kind == pgf::kStateTimeTimestamp ? 1000000 : 1;
}

Bytes encode_sequence(const std::string& pattern, std::uint8_t kind, int n, const std::vector<pgf::Event>& ev) {
    pgf::EventStateHeader h;
    h.time_kind = kind;
    h.n_steps = static_cast<std::uint8_t>(n);
    h.sorted = 1;
    h.count = ev.size();
    Bytes out(pgf::sequence_state_size(pattern.size(), ev.size(), SIZE_MAX));
    pgf::encode_sequence_state(pattern, h, ev.data(), ev.size(), out.data());
    return out;
}

Bytes reencode_sequence(const Bytes& in) {
    std::vector<pgf::Event> events;
    const pgf::SequenceStateInfo info = pgf::decode_sequence_state(
        in.data(), in.size(), events, [](std::string_view text, int n_conditions, std::uint8_t kind) {
            (void)pgf::parse_pattern(text, n_conditions, units_per_second(kind));
        });
    const pgf::SequenceStateLayout layout = pgf::decode_sequence_layout(in.data(), in.size());
    Bytes out(pgf::sequence_state_size(info.pattern.size(), events.size(), SIZE_MAX));
    pgf::encode_sequence_state(info.pattern, layout.header, events.data(), events.size(), out.data());
    return out;
}

TEST(StateCodecs, Sequence) {
    const std::vector<pgf::Event> ev = {{0, 1}, {10, 3}, {7200000000LL, 2}};
    const Bytes good = encode_sequence("(?1).*(?t<=3600)(?2)", pgf::kStateTimeTimestamp, 2, ev);
    std::vector<pgf::Event> back;
    const pgf::SequenceStateInfo info =
        pgf::decode_sequence_state(good.data(), good.size(), back, [](std::string_view, int, std::uint8_t) {});
    EXPECT_EQ(info.pattern, "(?1).*(?t<=3600)(?2)");
    EXPECT_EQ(info.n_conditions, 2);
    EXPECT_TRUE(info.sorted);
    ASSERT_EQ(back.size(), ev.size());
    for (std::size_t i = 0; i < ev.size(); ++i) {
        EXPECT_EQ(back[i].ts, ev[i].ts);
        EXPECT_EQ(back[i].mask, ev[i].mask);
    }
    check_codec(reencode_sequence, good);
    check_codec(reencode_sequence, encode_sequence("(?1)", pgf::kStateTimeBigint, 64, {}));
    // A step-names fingerprint belongs to funnel states only.
    Bytes named = encode_sequence("(?1)", pgf::kStateTimeBigint, 1, {{1, 1}});
    named[4 + 4 + 24] = 1;  // pattern length, pattern, then the header's steps id
    EXPECT_EQ(outcome(reencode_sequence, named, "steps id in a sequence state"), Outcome::Refused);
    // A pattern that refers to a condition the state does not have is corrupt.
    EXPECT_EQ(outcome(reencode_sequence, encode_sequence("(?3)", pgf::kStateTimeBigint, 2, {{1, 1}}), "(?3) of 2"),
              Outcome::Refused);
}

// ---------------------------------------------------------------- sequence_next_node

Bytes encode_next_node(pgf::NextNodeStateHeader h, const std::vector<pgf::NextNodeRow>& rows) {
    h.count = rows.size();
    std::size_t size = pgf::kNextNodeStateHeaderSize;
    for (const auto& r : rows) size += pgf::next_node_row_size(r.value.size());
    Bytes out(size);
    unsigned char* p = pgf::encode_next_node_header(h, out.data());
    for (const auto& r : rows) p = pgf::encode_next_node_row(r, p);
    EXPECT_EQ(p, out.data() + out.size());
    return out;
}

Bytes reencode_next_node(const Bytes& in) {
    pgf::NextNodeStateDecoder d(in.data(), in.size());
    std::vector<pgf::NextNodeRow> rows;
    for (std::uint64_t i = 0; i < d.header().count; ++i) rows.push_back(d.next());
    d.finish();
    return encode_next_node(d.header(), rows);
}

TEST(StateCodecs, NextNode) {
    using D = pgf::NextNodeDirection;
    using B = pgf::NextNodeBase;
    const Bytes good = encode_next_node({pgf::kStateTimeTimestamptz, D::Forward, B::FirstMatch, 2, 0},
                                        {{0, 1, true, "home"}, {1, 2, false, "product"}, {2, 0, false, ""}});
    pgf::NextNodeStateDecoder d(good.data(), good.size());
    EXPECT_EQ(d.header().n_steps, 2);
    EXPECT_EQ(d.header().base, B::FirstMatch);
    EXPECT_EQ(d.next().value, "home");
    EXPECT_EQ(d.next().value, "product");
    const pgf::NextNodeRow last = d.next();
    EXPECT_EQ(last.ts, 2);
    EXPECT_EQ(last.value, "");
    d.finish();
    check_codec(reencode_next_node, good);
    check_codec(reencode_next_node, encode_next_node({pgf::kStateTimeBigint, D::Backward, B::Tail, 0, 0}, {}));
    // A row with a step bit beyond the number of steps.
    EXPECT_EQ(outcome(reencode_next_node,
                      encode_next_node({pgf::kStateTimeBigint, D::Forward, B::Head, 1, 0}, {{0, 2, true, "x"}}),
                      "step 2 of 1"),
              Outcome::Refused);
}

}  // namespace
