// Tests of the serialized event-buffer state: round trips, every kind of
// corruption rejected with CorruptState, and a mutation loop that must never
// crash (run it under ASan/UBSan).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/funnel.hpp"
#include "core/state_codec.hpp"

namespace {

using pgf::Event;
using pgf::EventStateHeader;
using Bytes = std::vector<unsigned char>;

// Byte offsets of the header fields (version, kind, steps, sorted, modes,
// window, count, steps id), fixed by the wire format.
constexpr std::size_t kOffVersion = 0, kOffKind = 1, kOffSteps = 2, kOffSorted = 3, kOffModes = 4, kOffWindow = 8,
                      kOffCount = 16, kOffStepsId = 24, kOffEvents = 32;

EventStateHeader make_header(std::uint8_t kind, std::uint8_t n_steps, std::uint32_t modes, std::int64_t window,
                             bool sorted = true) {
    EventStateHeader h;
    h.time_kind = kind;
    h.n_steps = n_steps;
    h.sorted = sorted ? 1 : 0;
    h.modes = modes;
    h.window = window;
    return h;
}

Bytes encode(EventStateHeader h, const std::vector<Event>& ev) {
    h.count = ev.size();
    Bytes out(pgf::encoded_state_size(ev.size()));
    pgf::encode_state(h, ev.data(), ev.size(), out.data());
    return out;
}

void put_le(Bytes& b, std::size_t off, std::uint64_t v, int width) {
    for (int i = 0; i < width; ++i) b[off + static_cast<std::size_t>(i)] = static_cast<unsigned char>(v >> (8 * i));
}

// Decodes the header and every event; returns them or throws.
std::vector<Event> decode_all(const Bytes& b, EventStateHeader* header = nullptr) {
    const EventStateHeader h = pgf::decode_state_header(b.data(), b.size());
    std::vector<Event> ev;
    for (std::size_t i = 0; i < h.count; ++i) ev.push_back(pgf::decode_state_event(h, b.data(), i));
    if (header) *header = h;
    return ev;
}

// Expects decoding to fail with CorruptState; `what` names the case.
void expect_corrupt(const Bytes& b, const std::string& what) {
    try {
        decode_all(b);
        ADD_FAILURE() << what << ": accepted";
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::CorruptState) << what << ": " << e.what();
        EXPECT_NE(std::string(e.what()).find("corrupt"), std::string::npos) << what << ": " << e.what();
    }
}

std::vector<Event> sample_events() {
    return {{-5, 0x1}, {0, 0x3}, {0, 0x4}, {7, 0x7}, {1000000, 0x2}};
}

Bytes sample_state() { return encode(make_header(2, 3, pgf::kStrictOrder | pgf::kStrictOnce, 60), sample_events()); }

}  // namespace

// ------------------------------------------------------------ round trips

TEST(StateCodec, SizeIsHeaderPlusSixteenBytesAnEvent) {
    EXPECT_EQ(pgf::kEventStateHeaderSize, kOffEvents);
    EXPECT_EQ(pgf::encoded_state_size(0), kOffEvents);
    EXPECT_EQ(pgf::encoded_state_size(3), kOffEvents + 48u);
}

TEST(StateCodec, RoundTrip) {
    const std::vector<Event> ev = sample_events();
    EventStateHeader in = make_header(2, 3, pgf::kStrictOrder | pgf::kStrictOnce, 60);
    in.steps_id = 0xfedcba9876543210ULL;
    const Bytes b = encode(in, ev);
    EventStateHeader out;
    EXPECT_EQ(decode_all(b, &out), ev);
    EXPECT_EQ(out.time_kind, 2);
    EXPECT_EQ(out.n_steps, 3);
    EXPECT_EQ(out.sorted, 1);
    EXPECT_EQ(out.modes, pgf::kStrictOrder | pgf::kStrictOnce);
    EXPECT_EQ(out.window, 60);
    EXPECT_EQ(out.count, ev.size());
    EXPECT_EQ(out.steps_id, 0xfedcba9876543210ULL);
}

TEST(StateCodec, RoundTripEmpty) {
    const Bytes b = encode(make_header(0, 1, 0, 0, false), {});
    ASSERT_EQ(b.size(), kOffEvents);
    EventStateHeader out;
    EXPECT_TRUE(decode_all(b, &out).empty());
    EXPECT_EQ(out.count, 0u);
    EXPECT_EQ(out.sorted, 0);
    EXPECT_EQ(out.window, 0);
}

TEST(StateCodec, RoundTripExtremes) {
    // 64 steps (every mask bit allowed), extreme times and window, the last kind.
    const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    const std::vector<Event> ev{{lo, ~std::uint64_t{0}}, {-1, std::uint64_t{1} << 63}, {hi, 0}};
    const Bytes b = encode(make_header(pgf::kTimeKinds - 1, 64, pgf::kAllFunnelModes, hi), ev);
    EventStateHeader out;
    EXPECT_EQ(decode_all(b, &out), ev);
    EXPECT_EQ(out.window, hi);
    EXPECT_EQ(out.n_steps, 64);
    EXPECT_EQ(out.modes, pgf::kAllFunnelModes);
}

TEST(StateCodec, IsLittleEndian) {
    // The wire format does not depend on the host: check a few bytes literally.
    EventStateHeader h = make_header(1, 2, pgf::kStrictOrder, 0x0102);
    h.steps_id = 0x0C0D;
    const Bytes b = encode(h, {{0x0A0B, 0x3}});
    EXPECT_EQ(b[kOffVersion], pgf::kEventStateVersion);
    EXPECT_EQ(b[kOffKind], 1);
    EXPECT_EQ(b[kOffSteps], 2);
    EXPECT_EQ(b[kOffModes], pgf::kStrictOrder);
    EXPECT_EQ(b[kOffWindow], 0x02);
    EXPECT_EQ(b[kOffWindow + 1], 0x01);
    EXPECT_EQ(b[kOffCount], 1);
    EXPECT_EQ(b[kOffStepsId], 0x0D);
    EXPECT_EQ(b[kOffStepsId + 1], 0x0C);
    EXPECT_EQ(b[kOffEvents], 0x0B);
    EXPECT_EQ(b[kOffEvents + 1], 0x0A);
    EXPECT_EQ(b[kOffEvents + 8], 0x03);
}

TEST(StateCodec, RandomRoundTrips) {
    std::mt19937_64 rng(99);
    for (int iter = 0; iter < 500; ++iter) {
        const std::uint8_t n_steps = static_cast<std::uint8_t>(1 + rng() % 64);
        const std::uint64_t allowed = n_steps == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n_steps) - 1;
        std::vector<Event> ev(rng() % 40);
        for (auto& e : ev) e = {static_cast<std::int64_t>(rng()), rng() & allowed};
        const EventStateHeader in =
            make_header(static_cast<std::uint8_t>(rng() % pgf::kTimeKinds), n_steps,
                        static_cast<std::uint32_t>(rng()) & pgf::kAllFunnelModes,
                        static_cast<std::int64_t>(rng() >> 1), rng() % 2 == 0);
        EventStateHeader out;
        ASSERT_EQ(decode_all(encode(in, ev), &out), ev);
        EXPECT_EQ(out.time_kind, in.time_kind);
        EXPECT_EQ(out.n_steps, in.n_steps);
        EXPECT_EQ(out.sorted, in.sorted);
        EXPECT_EQ(out.modes, in.modes);
        EXPECT_EQ(out.window, in.window);
    }
}

// ------------------------------------------------------------ corruption

TEST(StateCodecCorrupt, Truncated) {
    const Bytes full = sample_state();
    for (std::size_t len : {std::size_t{0}, std::size_t{1}, std::size_t{8}, std::size_t{23}, kOffEvents - 1}) {
        Bytes b(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
        expect_corrupt(b, "header truncated to " + std::to_string(len));
    }
    for (std::size_t len = kOffEvents; len < full.size(); ++len) {
        Bytes b(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
        expect_corrupt(b, "events truncated to " + std::to_string(len));
    }
}

TEST(StateCodecCorrupt, WrongVersion) {
    for (unsigned v : {0u, 1u, 3u, 255u}) {
        Bytes b = sample_state();
        b[kOffVersion] = static_cast<unsigned char>(v);
        expect_corrupt(b, "version " + std::to_string(v));
    }
}

TEST(StateCodecCorrupt, BadTimeKind) {
    for (unsigned k : {unsigned{pgf::kTimeKinds}, 5u, 255u}) {
        Bytes b = sample_state();
        b[kOffKind] = static_cast<unsigned char>(k);
        expect_corrupt(b, "time kind " + std::to_string(k));
    }
}

TEST(StateCodecCorrupt, BadStepCount) {
    for (unsigned s : {0u, 65u, 128u, 255u}) {
        Bytes b = sample_state();
        b[kOffSteps] = static_cast<unsigned char>(s);
        expect_corrupt(b, "step count " + std::to_string(s));
    }
}

TEST(StateCodecCorrupt, BadSortedFlag) {
    for (unsigned f : {2u, 255u}) {
        Bytes b = sample_state();
        b[kOffSorted] = static_cast<unsigned char>(f);
        expect_corrupt(b, "sorted flag " + std::to_string(f));
    }
}

TEST(StateCodecCorrupt, BadModeBits) {
    for (std::uint32_t m : {1u << 6, 1u << 31, 0xFFFFFFFFu, pgf::kAllFunnelModes + 1}) {
        Bytes b = sample_state();
        put_le(b, kOffModes, m, 4);
        expect_corrupt(b, "modes " + std::to_string(m));
    }
}

TEST(StateCodecCorrupt, NegativeWindow) {
    for (std::int64_t w : {std::int64_t{-1}, std::numeric_limits<std::int64_t>::min()}) {
        Bytes b = sample_state();
        put_le(b, kOffWindow, static_cast<std::uint64_t>(w), 8);
        expect_corrupt(b, "window " + std::to_string(w));
    }
}

TEST(StateCodecCorrupt, LengthMismatch) {
    const Bytes full = sample_state();  // 5 events
    Bytes longer = full;
    longer.push_back(0);
    expect_corrupt(longer, "one trailing byte");
    Bytes extra_event = full;
    extra_event.resize(full.size() + 16, 0);
    expect_corrupt(extra_event, "one event more than the count");
    for (std::uint64_t c : {0u, 4u, 6u, 1000u}) {
        Bytes b = full;
        put_le(b, kOffCount, c, 8);
        expect_corrupt(b, "count " + std::to_string(c) + " for 5 events");
    }
}

TEST(StateCodecCorrupt, CountOverflow) {
    // Counts whose byte size wraps around 2^64: 16 * 2^60 = 2^64 = 0 and
    // 16 * 2^62 = 0 (mod 2^64), so a header alone "matches" its 32 bytes; 2^60 + 1
    // events "match" 48 bytes.
    const Bytes header_only = encode(make_header(0, 3, 0, 10), {});
    for (std::uint64_t c : {std::uint64_t{1} << 60, std::uint64_t{1} << 62, std::uint64_t{1} << 63,
                            ~std::uint64_t{0}, std::uint64_t{3} << 60}) {
        Bytes b = header_only;
        put_le(b, kOffCount, c, 8);
        expect_corrupt(b, "count " + std::to_string(c) + " with no events");
    }
    Bytes one = encode(make_header(0, 3, 0, 10), {{1, 1}});
    put_le(one, kOffCount, (std::uint64_t{1} << 60) + 1, 8);
    expect_corrupt(one, "count 2^60 + 1 with one event");
}

TEST(StateCodecCorrupt, MaskBitBeyondStepCount) {
    for (int n_steps : {1, 3, 63}) {
        for (int bit : {n_steps, 63}) {
            const std::vector<Event> ev{{1, 1}, {2, std::uint64_t{1} << bit}};
            const Bytes b = encode(make_header(0, static_cast<std::uint8_t>(n_steps), 0, 10), ev);
            expect_corrupt(b, "bit " + std::to_string(bit) + " with " + std::to_string(n_steps) + " steps");
        }
    }
    // With 64 steps every bit is a step.
    const Bytes ok = encode(make_header(0, 64, 0, 10), {{1, std::uint64_t{1} << 63}});
    EXPECT_NO_THROW(decode_all(ok));
}

// ------------------------------------------------------------ mutations

// Random valid states, then random damage (byte flips, truncation, extension,
// header field overwrites): decoding either throws CorruptState or yields a
// state that satisfies every invariant. Never crashes (ASan/UBSan builds check
// the reads).
TEST(StateCodecFuzz, MutationsNeverCrash) {
    std::mt19937_64 rng(4242);
    int rejected = 0, accepted = 0;
    for (int iter = 0; iter < 20000; ++iter) {
        const std::uint8_t n_steps = static_cast<std::uint8_t>(1 + rng() % (rng() % 2 ? 5 : 64));
        const std::uint64_t allowed = n_steps == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n_steps) - 1;
        std::vector<Event> ev(rng() % 6);
        for (auto& e : ev) e = {static_cast<std::int64_t>(rng() % 100) - 50, rng() & allowed};
        Bytes b = encode(make_header(static_cast<std::uint8_t>(rng() % pgf::kTimeKinds), n_steps,
                                     static_cast<std::uint32_t>(rng()) & pgf::kAllFunnelModes,
                                     static_cast<std::int64_t>(rng() % 1000)),
                         ev);
        switch (rng() % 5) {
            case 0:
            case 1: {  // flip 1..4 random bits
                const int flips = 1 + static_cast<int>(rng() % 4);
                for (int f = 0; f < flips; ++f) b[rng() % b.size()] ^= static_cast<unsigned char>(1u << (rng() % 8));
                break;
            }
            case 2:  // truncate
                b.resize(rng() % (b.size() + 1));
                break;
            case 3: {  // extend with random bytes
                const std::size_t extra = 1 + rng() % 40;
                for (std::size_t i = 0; i < extra; ++i) b.push_back(static_cast<unsigned char>(rng()));
                break;
            }
            default:  // overwrite a header byte with a random value
                b[rng() % pgf::kEventStateHeaderSize] = static_cast<unsigned char>(rng());
                break;
        }
        // Copy into an exactly sized heap buffer so any overread is caught by ASan.
        std::unique_ptr<unsigned char[]> buf(new unsigned char[b.size() ? b.size() : 1]);
        if (!b.empty()) std::memcpy(buf.get(), b.data(), b.size());
        try {
            const EventStateHeader h = pgf::decode_state_header(buf.get(), b.size());
            ASSERT_LT(h.time_kind, pgf::kTimeKinds);
            ASSERT_GE(h.n_steps, 1);
            ASSERT_LE(h.n_steps, pgf::kMaxSteps);
            ASSERT_LE(h.sorted, 1);
            ASSERT_EQ(h.modes & ~pgf::kAllFunnelModes, 0u);
            ASSERT_GE(h.window, 0);
            ASSERT_EQ(b.size(), pgf::kEventStateHeaderSize + h.count * pgf::kEncodedEventSize);
            const std::uint64_t ok_bits =
                h.n_steps == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << h.n_steps) - 1;
            for (std::size_t i = 0; i < h.count; ++i) {
                const Event e = pgf::decode_state_event(h, buf.get(), i);
                ASSERT_EQ(e.mask & ~ok_bits, 0u);
            }
            ++accepted;
        } catch (const pgf::Error& e) {
            ASSERT_EQ(e.kind(), pgf::ErrorKind::CorruptState) << e.what();
            ++rejected;
        }
    }
    // Both outcomes happen (flips in timestamps and masks are often harmless).
    EXPECT_GT(rejected, 1000);
    EXPECT_GT(accepted, 1000);
}
