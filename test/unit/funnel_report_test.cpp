// Tests of FunnelReportBuffer: actors per level against a per-actor brute force
// (funnel_reference.hpp) on random actors in every mode, with integer, byte-string
// and NULL actors, narrow and wide (> 32 step) masks, shuffled and grouped input,
// merges of random splits, the codec round trip and corrupt states.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "core/event.hpp"
#include "core/funnel.hpp"
#include "core/funnel_report.hpp"
#include "core/step_names.hpp"
#include "funnel_reference.hpp"

namespace {

using pgf::ActorKeyKind;
using pgf::Event;
using pgf::FunnelReportBuffer;
using pgf::FunnelSpec;

struct Row {
    int actor;  // -1: the NULL actor
    bool has_time;
    Event ev;
};

// Key of actor `a` as bytes: distinct actors get distinct strings, some of them
// prefixes of others and some longer than 8 bytes.
std::string bytes_key(int a) { return a % 3 == 0 ? std::string(static_cast<std::size_t>(a % 11), 'x') + std::to_string(a) : std::to_string(a); }

// Integer keys: spread over the whole int64 range, negative ones included, in
// no order; or increasing with the actor number (a table clustered by actor).
enum class Keys { Scrambled, Increasing };

void add(FunnelReportBuffer& b, const Row& r, Keys keys = Keys::Scrambled) {
    if (r.actor < 0) {
        b.add_null_actor(r.has_time, r.ev.ts, r.ev.mask);
    } else if (b.key_kind() == ActorKeyKind::Integer) {
        const std::int64_t key =
            keys == Keys::Increasing
                ? std::int64_t{r.actor} * 3 - 100
                : static_cast<std::int64_t>(static_cast<std::uint64_t>(r.actor) * 0x9e3779b97f4a7c15ULL);
        b.add_integer(key, r.has_time, r.ev.ts, r.ev.mask);
    } else {
        const std::string k = bytes_key(r.actor);
        b.add_bytes(k.data(), k.size(), r.has_time, r.ev.ts, r.ev.mask);
    }
}

// Expected actors per level: every actor with any row counts; its level is the
// brute-force level of its timed rows (unmatched rows only under strict_order,
// as funnel_steps buffers them).
std::vector<std::int64_t> expected_levels(const FunnelSpec& spec, const std::vector<Row>& rows) {
    std::map<int, std::vector<Event>> by_actor;
    for (const Row& r : rows) {
        auto& v = by_actor[r.actor];
        if (r.has_time && (r.ev.mask != 0 || pgf::funnel_keeps_unmatched_rows(spec.modes))) v.push_back(r.ev);
    }
    std::vector<std::int64_t> out(static_cast<std::size_t>(spec.n_steps) + 1, 0);
    for (auto& [a, v] : by_actor) {
        std::sort(v.begin(), v.end());
        ++out[static_cast<std::size_t>(pgf_ref::level(spec, v.data(), v.size()))];
    }
    return out;
}

std::vector<Row> random_rows(std::mt19937_64& rng, int n_actors, int n_steps, bool grouped, bool with_null = true) {
    std::vector<Row> rows;
    std::uniform_int_distribution<int> n_rows(1, 7), t(0, 12), step(0, n_steps);
    for (int a = 0; a < n_actors; ++a) {
        const int actor = with_null && a == n_actors - 1 && rng() % 2 ? -1 : a;
        const int k = n_rows(rng);
        for (int i = 0; i < k; ++i) {
            Row r{actor, rng() % 13 != 0, Event{t(rng), 0}};
            // Mostly one step per row, sometimes two (overlapping conditions), sometimes none.
            const int s = step(rng);
            if (s > 0) r.ev.mask |= std::uint64_t{1} << (s - 1);
            if (rng() % 5 == 0) r.ev.mask |= std::uint64_t{1} << (rng() % static_cast<unsigned>(n_steps));
            rows.push_back(r);
        }
    }
    if (!grouped) std::shuffle(rows.begin(), rows.end(), rng);
    return rows;
}

std::vector<unsigned char> encode(FunnelReportBuffer& b, std::uint8_t tag = 7) {
    std::vector<unsigned char> out(b.encoded_size(std::size_t{1} << 30));
    b.encode(tag, out.data());
    return out;
}

std::vector<std::int64_t> decode_levels(const std::vector<unsigned char>& bytes) {
    const auto h = FunnelReportBuffer::decode_header(bytes.data(), bytes.size());
    FunnelReportBuffer b(pgf::heap_memory_hooks(), h.kind, h.spec);
    b.decode_into(bytes.data(), bytes.size());
    return b.levels();
}

TEST(FunnelReport, MatchesBruteForceInEveryMode) {
    std::mt19937_64 rng(20240601);
    for (std::uint32_t modes : pgf_ref::valid_modes())
        for (int n_steps : {1, 3, 4, 40})
            for (ActorKeyKind kind : {ActorKeyKind::Integer, ActorKeyKind::Bytes})
                for (bool grouped : {false, true}) {
                    const FunnelSpec spec{static_cast<std::int64_t>(rng() % 6), n_steps, modes};
                    const std::vector<Row> rows = random_rows(rng, 60, std::min(n_steps, 5), grouped);
                    FunnelReportBuffer b(pgf::heap_memory_hooks(), kind, spec);
                    for (const Row& r : rows) add(b, r);
                    const auto want = expected_levels(spec, rows);
                    SCOPED_TRACE("modes " + pgf::funnel_modes_to_string(modes) + " steps " + std::to_string(n_steps));
                    EXPECT_EQ(b.levels(), want);
                    EXPECT_EQ(b.levels(), want);  // the final step is repeatable
                    EXPECT_EQ(decode_levels(encode(b)), want);
                }
}

TEST(FunnelReport, IncreasingKeysNeedNoHashTable) {
    // Rows grouped by actor with increasing keys, as from a table clustered by
    // actor: no hash table until a key arrives out of order or a NULL actor.
    std::mt19937_64 rng(11);
    for (std::uint32_t modes : pgf_ref::valid_modes())
        for (int n_steps : {1, 4, 40}) {
            const FunnelSpec spec{static_cast<std::int64_t>(rng() % 6), n_steps, modes};
            const std::vector<Row> rows = random_rows(rng, 80, std::min(n_steps, 5), true, false);
            FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
            for (const Row& r : rows) add(b, r, Keys::Increasing);
            EXPECT_TRUE(b.keys_in_order());
            // An earlier actor seen again is found without leaving the order.
            Row again = rows[rows.size() / 2];
            again.ev.ts += 1;
            add(b, again, Keys::Increasing);
            EXPECT_TRUE(b.keys_in_order());
            std::vector<Row> all = rows;
            all.push_back(again);
            const auto want = expected_levels(spec, all);
            EXPECT_EQ(b.levels(), want);
            // A new key below the last one ends the order; the answer stays exact.
            Row fresh{-50, true, Event{3, 1}};
            b.add_integer(-1000, fresh.has_time, fresh.ev.ts, fresh.ev.mask);
            EXPECT_FALSE(b.keys_in_order());
            all.push_back(Row{100000, true, Event{3, 1}});
            EXPECT_EQ(b.levels(), expected_levels(spec, all));
        }
}

// A parallel plan in miniature: contiguous chunks of rows per worker, each worker
// settles its levels and encodes; the leader decodes and merges them all.
std::vector<std::int64_t> through_workers(const FunnelSpec& spec, ActorKeyKind kind, const std::vector<Row>& rows,
                                          Keys keys, int workers, std::size_t* settled = nullptr,
                                          bool* in_order = nullptr) {
    std::vector<std::vector<unsigned char>> sent;
    for (int w = 0; w < workers; ++w) {
        FunnelReportBuffer part(pgf::heap_memory_hooks(), kind, spec);
        // Chunks dealt out in turn, as a parallel sequential scan hands out blocks.
        const std::size_t chunk = rows.size() / static_cast<std::size_t>(workers * 3) + 1;
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (static_cast<int>((i / chunk) % static_cast<std::size_t>(workers)) == w) add(part, rows[i], keys);
        part.settle_levels();
        sent.push_back(encode(part));
    }
    FunnelReportBuffer leader(pgf::heap_memory_hooks(), kind, spec);
    std::vector<std::unique_ptr<FunnelReportBuffer>> received;
    std::vector<FunnelReportBuffer*> parts;
    bool all_in_order = true;
    for (const auto& bytes : sent) {
        const auto h = FunnelReportBuffer::decode_header(bytes.data(), bytes.size());
        FunnelReportBuffer one(pgf::heap_memory_hooks(), h.kind, h.spec);
        one.decode_into(bytes.data(), bytes.size());
        leader.merge(one);
        received.push_back(std::make_unique<FunnelReportBuffer>(pgf::heap_memory_hooks(), h.kind, h.spec));
        received.back()->decode_into(bytes.data(), bytes.size());
        parts.push_back(received.back().get());
        all_in_order = all_in_order && one.keys_in_order();
    }
    if (settled) *settled = leader.settled_actors();
    if (in_order) *in_order = leader.keys_in_order();
    const std::vector<std::int64_t> levels = leader.levels();
    // The leader's other way: the levels of the parts' union, without merging them.
    if (all_in_order) {
        EXPECT_EQ(FunnelReportBuffer::levels_of_union(parts.data(), parts.size()), levels);
        EXPECT_EQ(FunnelReportBuffer::levels_of_union(parts.data(), parts.size()), levels);  // repeatable
    } else {
        EXPECT_THROW(FunnelReportBuffer::levels_of_union(parts.data(), parts.size()), pgf::Error);
    }
    return levels;
}

TEST(FunnelReport, SettledLevelsFromWorkersGiveTheSameAnswer) {
    std::mt19937_64 rng(5);
    for (std::uint32_t modes : pgf_ref::valid_modes())
        for (int n_steps : {2, 4, 36})
            for (int workers : {1, 2, 3}) {
                const FunnelSpec spec{static_cast<std::int64_t>(rng() % 6), n_steps, modes};
                SCOPED_TRACE("modes " + pgf::funnel_modes_to_string(modes) + " steps " + std::to_string(n_steps) +
                             " workers " + std::to_string(workers));
                // Clustered: most actors in one worker's share, settled there.
                std::vector<Row> rows = random_rows(rng, 300, std::min(n_steps, 5), true, false);
                std::size_t settled = 0;
                bool in_order = false;
                EXPECT_EQ(through_workers(spec, ActorKeyKind::Integer, rows, Keys::Increasing, workers, &settled,
                                          &in_order),
                          expected_levels(spec, rows));
                EXPECT_TRUE(in_order);
                EXPECT_GT(settled, 250u);
                EXPECT_LT(settled, 300u + (workers == 1));
                // Shuffled, scrambled keys, a NULL actor, byte keys: nothing settled, same answer.
                rows = random_rows(rng, 300, std::min(n_steps, 5), false);
                EXPECT_EQ(through_workers(spec, ActorKeyKind::Integer, rows, Keys::Increasing, workers, &settled),
                          expected_levels(spec, rows));
                EXPECT_EQ(through_workers(spec, ActorKeyKind::Integer, rows, Keys::Scrambled, workers),
                          expected_levels(spec, rows));
                EXPECT_EQ(through_workers(spec, ActorKeyKind::Bytes, rows, Keys::Scrambled, workers),
                          expected_levels(spec, rows));
                // Shuffled integer keys without a NULL actor: each worker renumbers its
                // actors in key order, so the leader's merge keeps the keys in order.
                rows = random_rows(rng, 300, std::min(n_steps, 5), false, false);
                in_order = false;
                EXPECT_EQ(through_workers(spec, ActorKeyKind::Integer, rows, Keys::Scrambled, workers, &settled,
                                          &in_order),
                          expected_levels(spec, rows));
                EXPECT_TRUE(in_order);
                EXPECT_EQ(settled, 0u);
            }
}

TEST(FunnelReport, RowsAfterSettlingUnsettleTheirActor) {
    const FunnelSpec spec{10, 3, 0};
    FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
    b.add_integer(1, true, 1, 1);
    b.add_integer(2, true, 1, 1);
    b.add_integer(2, true, 2, 2);
    b.add_integer(3, false, 0, 0);
    b.settle_levels();
    EXPECT_EQ(b.settled_actors(), 3u);
    EXPECT_EQ(b.levels(), (std::vector<std::int64_t>{1, 1, 1, 0}));
    b.add_integer(1, true, 2, 2);  // actor 1 now reaches step 2
    b.add_integer(2, true, 3, 4);  // actor 2 reaches step 3
    b.add_integer(0, true, 0, 1);  // a new actor, out of key order
    EXPECT_EQ(b.settled_actors(), 1u);
    EXPECT_EQ(b.levels(), (std::vector<std::int64_t>{1, 1, 1, 1}));
    // Merged with settled states that share actors: those are scanned again.
    FunnelReportBuffer c(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
    c.add_integer(1, true, 50, 4);  // step 3, outside actor 1's window
    c.add_integer(4, true, 5, 1);
    c.settle_levels();
    b.merge(c);
    EXPECT_EQ(b.levels(), (std::vector<std::int64_t>{1, 2, 1, 1}));  // actors 3; 0, 4; 1; 2
    c.add_integer(1, true, 5, 4);  // now within it: actor 1 reaches step 3
    c.settle_levels();
    b.merge(c);
    EXPECT_EQ(b.levels(), (std::vector<std::int64_t>{1, 2, 0, 2}));  // actors 3; 0, 4; -; 1, 2
}

TEST(FunnelReport, StepNamesGiveTheMaskOfEveryStepWithTheName) {
    pgf::StepNames names(pgf::heap_memory_hooks());
    // Names compare by their first and last 8 bytes, and the bytes between
    // beyond 16: events that differ from a name only in one of those places.
    const std::vector<std::string> steps = {"view", "cart", "view", "", "checkout-started", "checkout-startee",
                                            "abcdefgh", "abcdefghi", "whitepaper_download", "newsletter_signup"};
    for (const std::string& n : steps) names.add_step(n.data(), n.size());
    EXPECT_EQ(names.n_steps(), 10);
    const std::vector<std::string> events = {
        "view", "cart", "", "checkout-started", "checkout-startee", "checkout-starte", "checkout_started",
        "abcdefgh", "abcdefghi", "abcdefgi", "View", "viewx", "vie", "zzz", "whitepaper_download",
        "whitepaperXdownload", "whitepaper_dowXload", "Whitepaper_download", "newsletter_signup",
        "newsletter-signup", "newsletter_signuP", "newsletter_signup "};
    // Brute force: the bits of the steps whose name is byte-equal to the event.
    for (const std::string& e : events) {
        std::uint64_t want = 0;
        for (std::size_t i = 0; i < steps.size(); ++i)
            if (steps[i] == e) want |= std::uint64_t{1} << i;
        EXPECT_EQ(names.mask_of(e.data(), e.size()), want) << e;
    }
    for (int i = 10; i < 64; ++i) names.add_step("x", 1);
    EXPECT_EQ(names.mask_of("x", 1), ~std::uint64_t{0} << 10);
    EXPECT_THROW(names.add_step("y", 1), pgf::Error);  // a 65th step
}

// The fingerprint stands for the list of names in parallel states: equal lists
// give equal fingerprints, and a change of order, of one byte, or of where one
// name ends and the next begins gives another.
TEST(FunnelReport, StepNamesFingerprintIdentifiesTheList) {
    const auto fingerprint = [](const std::vector<std::string>& steps) {
        pgf::StepNames names(pgf::heap_memory_hooks());
        for (const std::string& n : steps) names.add_step(n.data(), n.size());
        return names.fingerprint();
    };
    const std::vector<std::vector<std::string>> lists = {
        {"view"}, {"view", "cart"}, {"cart", "view"}, {"view", "cart", "buy"}, {"viewcart"},
        {"vie", "wcart"}, {"view", "carT"}, {"", "view"}, {"view", ""}, {"view", "view"},
        {"a-name-longer-than-eight-bytes", "b"}, {"a-name-longer-than-eight-bytez", "b"}};
    std::set<std::uint64_t> seen;
    for (const auto& l : lists) {
        const std::uint64_t f = fingerprint(l);
        EXPECT_NE(f, 0u);
        EXPECT_EQ(f, fingerprint(l));
        EXPECT_TRUE(seen.insert(f).second) << "same fingerprint for another list of names";
    }
}

TEST(FunnelReport, MergeOfRandomSplitsEqualsWhole) {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 40; ++round) {
        const std::uint32_t modes = round % 2 ? std::uint32_t{pgf::kStrictOrder} : std::uint32_t{0};
        const int n_steps = round % 4 == 3 ? 36 : 4;
        const FunnelSpec spec{3, n_steps, modes};
        const ActorKeyKind kind = round % 3 ? ActorKeyKind::Integer : ActorKeyKind::Bytes;
        const std::vector<Row> rows = random_rows(rng, 200, 4, round % 5 == 0);
        FunnelReportBuffer parts[3] = {{pgf::heap_memory_hooks(), kind, spec},
                                       {pgf::heap_memory_hooks(), kind, spec},
                                       {pgf::heap_memory_hooks(), kind, spec}};
        // Contiguous chunks, as a parallel scan hands out blocks.
        for (std::size_t i = 0; i < rows.size(); ++i) add(parts[i * 3 / rows.size()], rows[i]);
        // Through the codec, as between workers.
        const auto h = FunnelReportBuffer::decode_header(encode(parts[1]).data(), encode(parts[1]).size());
        EXPECT_EQ(h.host_tag, 7);
        const auto bytes = encode(parts[1]);
        FunnelReportBuffer received(pgf::heap_memory_hooks(), h.kind, h.spec);
        received.decode_into(bytes.data(), bytes.size());
        parts[2].merge(received);
        parts[0].merge(parts[2]);
        EXPECT_EQ(parts[0].levels(), expected_levels(spec, rows));
        // Rows may still be added after the final step.
        Row extra{5, true, Event{100, 1}};
        add(parts[0], extra);
        std::vector<Row> more = rows;
        more.push_back(extra);
        EXPECT_EQ(parts[0].levels(), expected_levels(spec, more));
    }
}

TEST(FunnelReport, LevelsOfUnionEqualBruteForce) {
    // Parts as a leader receives them: keys in order, actors shared between
    // parts or not, some parts settled and some not, stragglers (an earlier actor
    // seen again), wide masks (each part has its own table of masks).
    std::mt19937_64 rng(31);
    for (std::uint32_t modes : pgf_ref::valid_modes())
        for (int n_steps : {3, 36})
            for (int n_parts : {1, 2, 3, 5}) {
                const FunnelSpec spec{static_cast<std::int64_t>(rng() % 6), n_steps, modes};
                SCOPED_TRACE("modes " + pgf::funnel_modes_to_string(modes) + " steps " + std::to_string(n_steps) +
                             " parts " + std::to_string(n_parts));
                const std::vector<Row> rows = random_rows(rng, 150, std::min(n_steps, 5), true, false);
                std::vector<std::unique_ptr<FunnelReportBuffer>> parts;
                std::vector<FunnelReportBuffer*> ptrs;
                for (int p = 0; p < n_parts; ++p) {
                    parts.push_back(std::make_unique<FunnelReportBuffer>(pgf::heap_memory_hooks(),
                                                                         ActorKeyKind::Integer, spec));
                    ptrs.push_back(parts.back().get());
                }
                // Actor a's rows go to one part (a % 3 == 0) or are dealt at random.
                // A row of an actor the part already has may arrive after later
                // actors (a straggler); a new actor below the last would end the order.
                std::vector<std::pair<std::size_t, Row>> late;
                std::set<std::pair<std::size_t, int>> seen;
                for (const Row& r : rows) {
                    const std::size_t p = r.actor % 3 == 0 ? static_cast<std::size_t>(r.actor) % parts.size()
                                                           : rng() % parts.size();
                    if (seen.count({p, r.actor}) && rng() % 4 == 0) {
                        late.emplace_back(p, r);
                    } else {
                        add(*parts[p], r, Keys::Increasing);
                        seen.insert({p, r.actor});
                    }
                }
                for (const auto& [p, r] : late) add(*parts[p], r, Keys::Increasing);
                for (std::size_t p = 0; p < parts.size(); ++p) {
                    ASSERT_TRUE(parts[p]->keys_in_order());
                    if (p % 2 == 0) parts[p]->settle_levels();
                }
                const auto want = expected_levels(spec, rows);
                EXPECT_EQ(FunnelReportBuffer::levels_of_union(ptrs.data(), ptrs.size()), want);
                EXPECT_EQ(FunnelReportBuffer::levels_of_union(ptrs.data(), ptrs.size()), want);
            }
    // Other shapes are refused.
    FunnelReportBuffer a(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{3, 2, 0});
    FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{4, 2, 0});
    FunnelReportBuffer* two[] = {&a, &b};
    EXPECT_THROW(FunnelReportBuffer::levels_of_union(two, 2), pgf::Error);
    FunnelReportBuffer c(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{3, 2, 0});
    c.add_null_actor(true, 1, 1);
    FunnelReportBuffer* with_null[] = {&a, &c};
    EXPECT_THROW(FunnelReportBuffer::levels_of_union(with_null, 2), pgf::Error);
}

TEST(FunnelReport, LargeShuffledAndNearlyGroupedInputs) {
    // Shuffled: beyond the straggler allowance, the buffer is bucket-sorted at the
    // end; nearly grouped (a few actors seen again later): stragglers merged per actor.
    std::mt19937_64 rng(99);
    const FunnelSpec spec{4, 4, 0};
    for (int shape = 0; shape < 2; ++shape) {
        std::vector<Row> rows = random_rows(rng, 12000, 4, shape == 1);
        if (shape == 1)
            for (int i = 0; i < 300; ++i) std::swap(rows[rng() % rows.size()], rows[rng() % rows.size()]);
        for (ActorKeyKind kind : {ActorKeyKind::Integer, ActorKeyKind::Bytes}) {
            FunnelReportBuffer b(pgf::heap_memory_hooks(), kind, spec);
            for (const Row& r : rows) add(b, r);
            const auto want = expected_levels(spec, rows);
            EXPECT_EQ(b.levels(), want);
            EXPECT_EQ(decode_levels(encode(b)), want);
            FunnelReportBuffer c(pgf::heap_memory_hooks(), kind, spec);
            c.merge(b);
            c.merge(b);  // every row twice: in the default mode duplicates change no level
            EXPECT_EQ(c.levels(), want);
            EXPECT_EQ(c.actors(), b.actors());
        }
    }
}

TEST(FunnelReport, ManyShuffledEventsTakeTheTwoPassSort) {
    // Beyond 65536 events out of order, the events go to buckets of actors first
    // (more than 1024 actors: at most 1024 buckets; few actors with many events:
    // a handful of buckets), and the keys out of order wait in batches. Checked
    // against the brute force, and through merge and the binary state.
    std::mt19937_64 rng(5);
    const FunnelSpec spec{6, 4, 0};
    std::vector<std::vector<Row>> inputs;
    inputs.push_back(random_rows(rng, 40000, 4, false));
    std::vector<Row> few;
    std::uniform_int_distribution<int> t(0, 200);
    for (int i = 0; i < 90000; ++i)
        few.push_back(Row{static_cast<int>(rng() % 300), true, Event{t(rng), std::uint64_t{1} << (rng() % 4)}});
    inputs.push_back(few);
    for (const std::vector<Row>& rows : inputs) {
        const auto want = expected_levels(spec, rows);
        FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
        for (const Row& r : rows) add(b, r);
        EXPECT_EQ(b.levels(), want);
        EXPECT_EQ(b.levels(), want);  // grouped now: the same again
        EXPECT_EQ(through_workers(spec, ActorKeyKind::Integer, rows, Keys::Scrambled, 2), want);
        EXPECT_EQ(through_workers(spec, ActorKeyKind::Integer, rows, Keys::Scrambled, 3), want);
        FunnelReportBuffer half1(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
        FunnelReportBuffer half2(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
        for (std::size_t i = 0; i < rows.size(); ++i) add(i % 2 ? half1 : half2, rows[i]);
        half2.settle_levels();  // in key order now; half1 keeps its table
        const std::vector<unsigned char> sent = encode(half2);
        const FunnelReportBuffer::Header h = FunnelReportBuffer::decode_header(sent.data(), sent.size());
        FunnelReportBuffer received(pgf::heap_memory_hooks(), h.kind, h.spec);
        received.decode_into(sent.data(), sent.size());
        half1.merge(received);
        EXPECT_EQ(half1.levels(), want);
    }
}

// Integer keys out of order are staged and grouped by key range when they are
// dense (span at most 8 per row), else looked up in the table. Every layout of
// keys against the brute force: buckets of keys at the ends of the int64 range,
// one bucket holding most rows, a single key, sparse keys; default, strict_order
// (unmatched rows kept) and wide masks; through the binary state and workers.
TEST(FunnelReport, StagedKeysGroupByKeyRange) {
    std::mt19937_64 rng(314);
    struct Layout {
        const char* name;
        std::int64_t (*key)(int actor);
        bool dense;
    };
    const Layout layouts[] = {
        {"dense, negative", [](int a) { return std::int64_t{a} * 2 - 5000; }, true},
        {"top of int64", [](int a) { return std::numeric_limits<std::int64_t>::max() - 3 * std::int64_t{a}; }, true},
        {"bottom of int64", [](int a) { return std::numeric_limits<std::int64_t>::min() + 5 * std::int64_t{a}; }, true},
        // Most actors in a narrow range, a few far above it: one bucket holds most rows.
        {"skewed", [](int a) { return a % 50 ? std::int64_t{a} : std::int64_t{a} * 20; }, true},
        {"single key", [](int) { return std::int64_t{42}; }, true},
        {"sparse", [](int a) { return std::int64_t{a} * 1000003; }, false},
        {"whole int64",
         [](int a) {
             return a % 2 ? std::numeric_limits<std::int64_t>::min() + a : std::numeric_limits<std::int64_t>::max() - a;
         },
         false},
    };
    const FunnelSpec specs[] = {{6, 4, 0}, {6, 4, pgf_ref::valid_modes().back()}, {6, 40, 0}};
    for (const Layout& layout : layouts)
        for (const FunnelSpec& spec : specs)
            for (int n_actors : {7, 3000, 12000}) {
                SCOPED_TRACE(std::string(layout.name) + ", " + std::to_string(n_actors) + " actors, modes " +
                             pgf::funnel_modes_to_string(spec.modes) + ", steps " + std::to_string(spec.n_steps));
                const bool one_key = layout.key(0) == layout.key(1);
                if (one_key && n_actors > 7) continue;  // the brute force is exponential in one actor's rows
                std::vector<Row> rows = random_rows(rng, n_actors, 4, false, false);
                if (one_key)
                    for (Row& r : rows) r.actor = 0;  // every row is the one actor's
                const auto want = expected_levels(spec, rows);
                FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
                for (const Row& r : rows) b.add_integer(layout.key(r.actor), r.has_time, r.ev.ts, r.ev.mask);
                EXPECT_EQ(b.levels(), want);
                // "single key": every row one actor, so the keys never leave order.
                EXPECT_EQ(b.keys_in_order(), layout.dense);
                EXPECT_EQ(decode_levels(encode(b)), want);
                EXPECT_EQ(b.levels(), want);
                if (one_key) {
                    EXPECT_EQ(b.actors(), 1u);
                    continue;
                }
                // Workers: contiguous chunks each, settled (nothing when shuffled) and merged.
                std::vector<unsigned char> sent[2];
                for (int w = 0; w < 2; ++w) {
                    FunnelReportBuffer part(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
                    for (std::size_t i = 0; i < rows.size(); ++i)
                        if ((i * 2 < rows.size()) == (w == 0))
                            part.add_integer(layout.key(rows[i].actor), rows[i].has_time, rows[i].ev.ts,
                                             rows[i].ev.mask);
                    part.settle_levels();
                    if (n_actors > 100) {
                        EXPECT_EQ(part.settled_actors(), 0u);
                    }
                    EXPECT_TRUE(part.keys_in_order());
                    sent[w] = encode(part);
                }
                FunnelReportBuffer leader(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
                std::vector<std::unique_ptr<FunnelReportBuffer>> parts;
                for (const auto& bytes : sent) {
                    parts.push_back(
                        std::make_unique<FunnelReportBuffer>(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec));
                    parts.back()->decode_into(bytes.data(), bytes.size());
                }
                FunnelReportBuffer* both[2] = {parts[0].get(), parts[1].get()};
                EXPECT_EQ(FunnelReportBuffer::levels_of_union(both, 2), want);
                leader.merge(*parts[0]);
                leader.merge(*parts[1]);
                EXPECT_EQ(leader.levels(), want);
            }
}

// Rows keep arriving after a reader flushed the staged ones: the actors already
// there are staged again with the new rows; a NULL actor ends staging for good
// (the table). Checked against the brute force after every round.
TEST(FunnelReport, StagingResumesAfterEveryRead) {
    std::mt19937_64 rng(2718);
    for (const FunnelSpec& spec : {FunnelSpec{5, 3, 0}, FunnelSpec{5, 36, 0}}) {
        FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
        std::vector<Row> all;
        // An increasing prefix (no table, no staging yet).
        for (const Row& r : random_rows(rng, 500, 3, true, false)) {
            all.push_back(r);
            add(b, r, Keys::Increasing);
        }
        EXPECT_TRUE(b.keys_in_order());
        for (int round = 0; round < 4; ++round) {
            std::vector<Row> more = random_rows(rng, 8000, 3, false, round == 3);
            for (Row& r : more)
                if (r.actor >= 0) r.actor = (r.actor * 7 + round) % 8500;  // old actors and new ones
            for (const Row& r : more) {
                all.push_back(r);
                add(b, r, Keys::Increasing);
            }
            SCOPED_TRACE("round " + std::to_string(round));
            EXPECT_EQ(b.levels(), expected_levels(spec, all));
            // Staged rows come out in key order, unless a NULL actor brought the table.
            const bool has_null = std::any_of(all.begin(), all.end(), [](const Row& r) { return r.actor < 0; });
            EXPECT_EQ(b.keys_in_order(), !has_null);
            EXPECT_EQ(decode_levels(encode(b)), expected_levels(spec, all));
        }
    }
}

TEST(FunnelReport, ByteKeysWaitInBatches) {
    // Byte keys are looked up a batch at a time, rows of one actor in a row
    // sharing their key's copy: the empty key (no bytes in the batch, so the
    // next key starts at the same place), keys sharing prefixes, keys with zero
    // bytes inside, and keys beyond the batch's byte budget (flushed early).
    std::vector<std::string> keys = {"", std::string("\0", 1), std::string("\0\0", 2), "a", "ab",
                                     std::string(70000, 'y'), std::string(70000, 'y') + "z"};
    for (int a = 0; a < 3000; ++a) keys.push_back(bytes_key(a) + "#");
    std::mt19937_64 rng(17);
    const FunnelSpec spec{5, 3, 0};
    std::vector<Row> rows = random_rows(rng, static_cast<int>(keys.size()), 3, true, false);
    const auto add_key = [&](FunnelReportBuffer& b, const Row& r) {
        const std::string& k = keys[static_cast<std::size_t>(r.actor)];
        b.add_bytes(k.data(), k.size(), r.has_time, r.ev.ts, r.ev.mask);
    };
    for (int shuffled = 0; shuffled < 2; ++shuffled) {
        if (shuffled) std::shuffle(rows.begin(), rows.end(), rng);
        const auto want = expected_levels(spec, rows);
        FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Bytes, spec);
        std::set<int> seen;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            add_key(b, rows[i]);
            seen.insert(rows[i].actor);
            if (i % 997 == 0) {
                b.flush();
                EXPECT_EQ(b.actors(), seen.size());
            }
        }
        EXPECT_EQ(b.levels(), want);
        EXPECT_EQ(b.actors(), keys.size());
        EXPECT_EQ(decode_levels(encode(b)), want);
        // Two halves merged: the second one's keys are found in the first's table.
        FunnelReportBuffer h1(pgf::heap_memory_hooks(), ActorKeyKind::Bytes, spec);
        FunnelReportBuffer h2(pgf::heap_memory_hooks(), ActorKeyKind::Bytes, spec);
        for (std::size_t i = 0; i < rows.size(); ++i) add_key(i < rows.size() / 2 ? h1 : h2, rows[i]);
        h1.merge(h2);
        EXPECT_EQ(h1.levels(), want);
        EXPECT_EQ(h1.actors(), keys.size());
    }
}

TEST(FunnelReport, ActorsWithoutEventsCountAtLevelZero) {
    FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{10, 2, 0});
    b.add_integer(1, false, 0, 0);   // NULL time
    b.add_integer(2, true, 5, 0);    // matches no step
    b.add_integer(3, true, 5, 1);
    b.add_integer(3, true, 9, 2);
    b.add_null_actor(true, 1, 1);
    b.add_integer(0, true, 1, 3);    // key 0 is not the NULL actor
    b.flush();                       // keys out of order wait in a batch
    EXPECT_EQ(b.actors(), 5u);
    EXPECT_EQ(b.events(), 4u);  // the NULL-time row and the unmatched row are not buffered
    // actor 0: one row matching steps 1 and 2 reaches level 2, as in funnel_steps.
    EXPECT_EQ(b.levels(), (std::vector<std::int64_t>{2, 1, 2}));
}

TEST(FunnelReport, HashCollisionsNeverMergeActors) {
    // Many byte keys sharing long prefixes and lengths; counts must be exact.
    FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Bytes, FunnelSpec{10, 1, 0});
    for (int a = 0; a < 20000; ++a) {
        std::string k(24, 'a');
        std::memcpy(&k[16], &a, sizeof a);
        b.add_bytes(k.data(), k.size(), true, a, a % 2 ? 1 : 0);
    }
    b.add_bytes("", 0, true, 0, 1);  // the empty key is an actor too, distinct from NULL
    b.add_null_actor(true, 0, 0);
    EXPECT_EQ(b.actors(), 20002u);
    EXPECT_EQ(b.levels(), (std::vector<std::int64_t>{10001, 10001}));
}

TEST(FunnelReport, WideMasksAndSixtyFourSteps) {
    const FunnelSpec spec{100, 64, 0};
    FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, spec);
    for (int s = 0; s < 64; ++s) b.add_integer(1, true, s, std::uint64_t{1} << s);
    for (int s = 0; s < 30; ++s) b.add_integer(2, true, 64 - s, std::uint64_t{1} << s);
    std::vector<std::int64_t> want(65, 0);
    want[64] = 1;
    want[1] = 1;  // actor 2's steps come in reverse time order
    EXPECT_EQ(b.levels(), want);
    EXPECT_EQ(decode_levels(encode(b)), want);
    EXPECT_THROW(
        {
            FunnelReportBuffer c(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{1, 3, 0});
            c.add_integer(1, true, 0, 8);
        },
        pgf::Error);
}

TEST(FunnelReport, MergeRefusesOtherShapes) {
    FunnelReportBuffer a(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{10, 2, 0});
    FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{11, 2, 0});
    FunnelReportBuffer c(pgf::heap_memory_hooks(), ActorKeyKind::Bytes, FunnelSpec{10, 2, 0});
    EXPECT_THROW(a.merge(b), pgf::Error);
    EXPECT_THROW(a.merge(c), pgf::Error);
    // Other step names (FunnelSpec::steps_id): refused, also after a round trip
    // through the binary state, which is how parallel workers send them.
    FunnelReportBuffer named(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{10, 2, 0, 77});
    FunnelReportBuffer renamed(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{10, 2, 0, 78});
    named.add_integer(1, true, 1, 1);
    renamed.add_integer(1, true, 2, 2);
    EXPECT_THROW(named.merge(renamed), pgf::Error);
    EXPECT_THROW(a.merge(named), pgf::Error);
    const std::vector<unsigned char> sent = encode(renamed);
    const FunnelReportBuffer::Header h = FunnelReportBuffer::decode_header(sent.data(), sent.size());
    EXPECT_EQ(h.spec.steps_id, 78u);
    FunnelReportBuffer received(pgf::heap_memory_hooks(), h.kind, h.spec);
    received.decode_into(sent.data(), sent.size());
    EXPECT_THROW(named.merge(received), pgf::Error);
}

constexpr std::size_t kHeader = 48;

void expect_corrupt(const std::vector<unsigned char>& bytes) {
    try {
        decode_levels(bytes);
        ADD_FAILURE() << "corrupt state accepted";
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::CorruptState) << e.what();
    }
}

TEST(FunnelReport, CorruptStatesAreRejected) {
    FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{10, 2, 0});
    b.add_integer(1, true, 1, 1);
    b.add_integer(2, true, 2, 3);
    b.add_null_actor(true, 2, 2);
    const std::vector<unsigned char> good = encode(b);
    EXPECT_EQ(decode_levels(good), b.levels());
    for (std::size_t cut = 0; cut < good.size(); ++cut)
        expect_corrupt(std::vector<unsigned char>(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut)));
    auto longer = good;
    longer.push_back(0);
    expect_corrupt(longer);
    auto bad = good;
    bad[0] = 9;  // version
    expect_corrupt(bad);
    bad = good;
    bad[1] = 2;  // key kind
    expect_corrupt(bad);
    bad = good;
    bad[2] = 0;  // steps
    expect_corrupt(bad);
    bad = good;
    pgf::put_u32(bad.data() + 4, pgf::kAllowReentry);  // allow_reentry without strict_order
    expect_corrupt(bad);
    bad = good;
    pgf::put_u32(bad.data() + 16, 3);  // NULL actor index out of range
    expect_corrupt(bad);
    bad = good;
    pgf::put_u64(bad.data() + kHeader + 8, 1);  // actor 2 gets actor 1's key
    expect_corrupt(bad);
    bad = good;
    pgf::put_u32(bad.data() + 36, 2);  // unknown flags
    expect_corrupt(bad);
    // Keys (NULL actor: a list), a varint count per actor, events of 8 + 1 bytes.
    const std::size_t counts_at = kHeader + 3 * 8;
    const std::size_t events_at = counts_at + 3;
    ASSERT_EQ(good.size(), events_at + 3 * 9);
    bad = good;
    bad[counts_at] = 2;  // the counts sum beyond the header's events
    expect_corrupt(bad);
    bad = good;
    bad[counts_at] = 0;  // and short of them
    expect_corrupt(bad);
    bad = good;
    bad[counts_at] = 0x81;  // a varint running into the next count
    expect_corrupt(bad);
    bad = good;
    bad[events_at + 8] = 4;  // step 3 of a 2-step funnel
    expect_corrupt(bad);
    bad = good;
    bad[events_at + 8] = 0;  // an unmatched row without strict_order
    expect_corrupt(bad);
    bad = good;
    pgf::put_u32(bad.data() + 32, 1);  // a mask table in a narrow funnel
    expect_corrupt(bad);
    bad = good;
    pgf::put_u32(bad.data() + 36, 2);  // a key bitmap with a NULL actor
    expect_corrupt(bad);

    // Increasing keys without a NULL actor go as a bitmap; settled levels are one
    // byte per actor after the events.
    FunnelReportBuffer c(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{10, 2, 0});
    c.add_integer(-3, true, 1, 1);
    c.add_integer(7, true, 2, 3);
    c.settle_levels();
    const std::vector<unsigned char> settled = encode(c);
    const std::size_t bitmap_at = kHeader + 16;  // after the first key and the span
    ASSERT_EQ(settled.size(), bitmap_at + 2 + 2 + 2 * 9 + 2);
    EXPECT_EQ(pgf::get_u32(settled.data() + 36), 3u);
    EXPECT_EQ(pgf::get_u64(settled.data() + kHeader), static_cast<std::uint64_t>(std::int64_t{-3}));
    EXPECT_EQ(pgf::get_u64(settled.data() + kHeader + 8), 10u);
    EXPECT_EQ(settled[bitmap_at], 1);
    EXPECT_EQ(settled[bitmap_at + 1], 4);
    EXPECT_EQ(decode_levels(settled), (std::vector<std::int64_t>{0, 1, 1}));
    for (std::size_t cut = 0; cut < settled.size(); ++cut)
        expect_corrupt(std::vector<unsigned char>(settled.begin(), settled.begin() + static_cast<std::ptrdiff_t>(cut)));
    bad = settled;
    bad[bitmap_at] = 3;  // a third key for two actors
    expect_corrupt(bad);
    bad = settled;
    bad[bitmap_at] = 0;  // the first key not in the bitmap
    expect_corrupt(bad);
    bad = settled;
    bad[bitmap_at + 1] = 8;  // a bit beyond the span
    expect_corrupt(bad);
    bad = settled;
    pgf::put_u64(bad.data() + kHeader, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() - 5));
    expect_corrupt(bad);  // the last key beyond int64
    bad = settled;
    pgf::put_u64(bad.data() + kHeader + 8, 9);  // a span the bitmap does not end at
    expect_corrupt(bad);
    bad = settled;
    bad[1] = 1;  // byte keys cannot be a bitmap
    expect_corrupt(bad);
    bad = settled;
    bad.back() = 3;  // level 3 of a 2-step funnel
    expect_corrupt(bad);
    bad = settled;
    bad.back() = 0xff;  // not known: scanned again
    EXPECT_EQ(decode_levels(bad), (std::vector<std::int64_t>{0, 1, 1}));
    bad = settled;
    pgf::put_u32(bad.data() + 36, 2);  // levels present but not flagged
    expect_corrupt(bad);
    // The keys at the top of int64: the bitmap's last key is INT64_MAX.
    FunnelReportBuffer top(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{10, 2, 0});
    top.add_integer(std::numeric_limits<std::int64_t>::max() - 9, true, 1, 1);
    top.add_integer(std::numeric_limits<std::int64_t>::max(), true, 2, 3);
    const std::vector<unsigned char> at_top = encode(top);
    EXPECT_EQ(pgf::get_u32(at_top.data() + 36), 2u);
    EXPECT_EQ(decode_levels(at_top), top.levels());
    bad = at_top;
    pgf::put_u64(bad.data() + kHeader, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() - 8));
    expect_corrupt(bad);
}

TEST(FunnelReport, OversizedStateIsAClearError) {
    FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{10, 2, 0});
    for (int i = 0; i < 100; ++i) b.add_integer(i, true, i, 1);
    try {
        (void)b.encoded_size(1000);
        ADD_FAILURE() << "no error";
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::LimitExceeded);
        EXPECT_NE(std::string(e.what()).find("max_parallel_workers_per_gather"), std::string::npos);
    }
}

TEST(FunnelReport, SixteenBytesPerBufferedEvent) {
    FunnelReportBuffer b(pgf::heap_memory_hooks(), ActorKeyKind::Integer, FunnelSpec{10, 4, 0});
    for (int i = 0; i < 100000; ++i) b.add_integer(i / 10, true, i, 1u << (i % 4));
    // Events at 16 bytes (plus growth slack), actors at 8 key + 8 slot bytes at most.
    const double per_event = static_cast<double>(b.bytes_used() - b.actors() * 16) / static_cast<double>(b.events());
    EXPECT_LE(per_event, 16.0 * 1.5 + 1.0);
    EXPECT_EQ(sizeof(pgf::PackedEvent), 16u);
}

}  // namespace
