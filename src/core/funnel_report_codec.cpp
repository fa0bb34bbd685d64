// The binary state of FunnelReportBuffer, sent from parallel workers to their
// leader (format: src/core/funnel_report.hpp). Decoding validates every byte.
#include <cstring>
#include <string>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "core/funnel_report.hpp"
#include "core/hash.hpp"
#include "core/interrupt.hpp"

namespace pgf {

namespace {

constexpr std::uint8_t kReportStateVersion = 4;
constexpr std::size_t kHeaderSize = 48;
constexpr std::uint32_t kFlagLevels = 1;
constexpr std::uint32_t kFlagKeyBitmap = 2;

[[noreturn]] void corrupt(const std::string& what) {
    fail(ErrorKind::CorruptState, "corrupt pg_funnel funnel_report state: " + what);
}

std::size_t varint_size(std::uint64_t v) {
    std::size_t n = 1;
    for (; v >= 0x80; v >>= 7) ++n;
    return n;
}

unsigned char* put_varint(unsigned char* p, std::uint64_t v) {
    for (; v >= 0x80; v >>= 7) *p++ = static_cast<unsigned char>(v | 0x80);
    *p++ = static_cast<unsigned char>(v);
    return p;
}

// Reads a varint of put_varint's from [p, end) into *v; returns the byte after
// it, or nullptr when it runs past `end` or beyond 64 bits.
const unsigned char* get_varint(const unsigned char* p, const unsigned char* end, std::uint64_t* v) {
    std::uint64_t c = 0;
    for (unsigned shift = 0; p != end; shift += 7) {
        const unsigned char byte = *p++;
        if (shift == 63 && byte > 1) return nullptr;
        c |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *v = c;
            return p;
        }
    }
    return nullptr;
}

}  // namespace

// A stored mask takes the fewest bytes its largest value needs: one for up to
// 8 steps (the usual funnel), two for 16, else four (a wide funnel's index).
std::size_t FunnelReportBuffer::mask_bytes() const {
    if (wide_) return 4;
    return spec_.n_steps <= 8 ? 1 : spec_.n_steps <= 16 ? 2 : 4;
}

// Integer keys in increasing order over a range at most 64 times the actors
// travel as a bit per key of the range instead of 8 bytes per actor.
bool FunnelReportBuffer::keys_as_bitmap() const {
    if (kind_ != ActorKeyKind::Integer || !ordered_ || null_actor_ != kNoActor || n_actors_ == 0) return false;
    const std::uint64_t span =
        static_cast<std::uint64_t>(int_keys_[n_actors_ - 1]) - static_cast<std::uint64_t>(int_keys_[0]);
    return span / 64 < n_actors_;
}

// Visits each actor's events in actor order: its run in events_, then its run
// in stragglers_ (both grouped by actor; encoded_size makes them so).
template <typename F>
void FunnelReportBuffer::for_each_actor_events(F&& f) const {
    const PackedEvent *ev = events_.data(), *ev_end = ev + events_.size();
    const PackedEvent *st = stragglers_.data(), *st_end = st + stragglers_.size();
    for (std::uint32_t a = 0; a < n_actors_; ++a) {
        const PackedEvent *e = ev, *s = st;
        while (ev != ev_end && ev->actor == a) ++ev;
        while (st != st_end && st->actor == a) ++st;
        f(a, e, ev, s, st);
    }
}

// Writes the counts at `counts` (they end where the events begin) and the
// events at `out`, each actor's in one pass; returns the end of the events.
template <std::size_t kMaskBytes>
unsigned char* FunnelReportBuffer::put_events(unsigned char* counts, unsigned char* out) const {
    unsigned char* const events_begin = out;
    const auto put = [&out](const PackedEvent& e) {
        put_u64(out, static_cast<std::uint64_t>(e.ts));
        for (std::size_t i = 0; i < kMaskBytes; ++i) out[8 + i] = static_cast<unsigned char>(e.mask >> (8 * i));
        out += 8 + kMaskBytes;
    };
    for_each_actor_events([&](std::uint32_t, const PackedEvent* e, const PackedEvent* e_end, const PackedEvent* s,
                              const PackedEvent* s_end) {
        counts = put_varint(counts, static_cast<std::uint64_t>((e_end - e) + (s_end - s)));
        for (; e != e_end; ++e) put(*e);
        for (; s != s_end; ++s) put(*s);
    });
    if (counts != events_begin) fail(ErrorKind::Internal, "funnel_report: encode after the buffer changed");
    return out;
}

std::size_t FunnelReportBuffer::encoded_size(std::size_t max_size) {
    flush();
    // Events go out by actor, with a count per actor instead of an actor per event.
    group_by_actor();
    std::sort(stragglers_.data(), stragglers_.data() + stragglers_.size(),
              [](const PackedEvent& x, const PackedEvent& y) { return x.actor < y.actor; });
    // Every term is bounded by memory already held, so the sum cannot overflow.
    std::size_t size = kHeaderSize;
    if (keys_as_bitmap()) {
        const std::uint64_t span =
            static_cast<std::uint64_t>(int_keys_[n_actors_ - 1]) - static_cast<std::uint64_t>(int_keys_[0]);
        size += 16 + static_cast<std::size_t>(span / 8) + 1;
    } else {
        size += kind_ == ActorKeyKind::Integer ? std::size_t{8} * n_actors_
                                               : std::size_t{4} * n_actors_ + key_bytes_.size();
    }
    if (wide_) size += 8 * masks_.size();
    counts_size_ = 0;
    for_each_actor_events([&](std::uint32_t, const PackedEvent* e, const PackedEvent* e_end, const PackedEvent* s,
                              const PackedEvent* s_end) {
        counts_size_ += varint_size(static_cast<std::uint64_t>((e_end - e) + (s_end - s)));
    });
    size += counts_size_ + (8 + mask_bytes()) * events() + known_level_.size();
    if (size > max_size)
        fail(ErrorKind::LimitExceeded,
             "funnel_report state of " + std::to_string(events()) + " events and " +
                 std::to_string(n_actors_) + " actors needs " + std::to_string(size) +
                 " bytes, more than the " + std::to_string(max_size) +
                 " bytes a parallel worker can send; group by a finer key or disable parallel aggregation "
                 "(max_parallel_workers_per_gather = 0)");
    return size;
}

void FunnelReportBuffer::encode(std::uint8_t host_tag, unsigned char* out) const {
    if (staging_ || pending_.size() != 0 || pending_bytes_.size() != 0 || !grouped_)
        fail(ErrorKind::Internal, "funnel_report: encode before encoded_size");
    const bool bitmap = keys_as_bitmap();
    unsigned char* p = out;
    p[0] = kReportStateVersion;
    p[1] = static_cast<std::uint8_t>(kind_);
    p[2] = static_cast<std::uint8_t>(spec_.n_steps);
    p[3] = host_tag;
    put_u32(p + 4, spec_.modes);
    put_u64(p + 8, static_cast<std::uint64_t>(spec_.window));
    put_u32(p + 16, null_actor_);
    put_u32(p + 20, n_actors_);
    put_u64(p + 24, events());
    put_u32(p + 32, wide_ ? static_cast<std::uint32_t>(masks_.size()) : 0);
    put_u32(p + 36, (known_level_.empty() ? 0 : kFlagLevels) | (bitmap ? kFlagKeyBitmap : 0));
    put_u64(p + 40, spec_.steps_id);
    p += kHeaderSize;
    if (bitmap) {
        const auto first = static_cast<std::uint64_t>(int_keys_[0]);
        const std::uint64_t span = static_cast<std::uint64_t>(int_keys_[n_actors_ - 1]) - first;
        put_u64(p, first);
        put_u64(p + 8, span);
        p += 16;
        const std::size_t bytes = static_cast<std::size_t>(span / 8) + 1;
        std::memset(p, 0, bytes);
        for (std::uint32_t a = 0; a < n_actors_; ++a) {
            const std::uint64_t k = static_cast<std::uint64_t>(int_keys_[a]) - first;
            p[k / 8] = static_cast<unsigned char>(p[k / 8] | 1u << (k % 8));
        }
        p += bytes;
    } else {
        for (std::uint32_t a = 0; a < n_actors_; ++a) {
            if (kind_ == ActorKeyKind::Integer) {
                put_u64(p, static_cast<std::uint64_t>(int_keys_[a]));
                p += 8;
            } else {
                std::uint32_t len = 0;
                const unsigned char* k = key_bytes(a, &len);
                put_u32(p, len);
                if (len) std::memcpy(p + 4, k, len);
                p += 4 + len;
            }
        }
    }
    if (wide_)
        for (std::size_t j = 0; j < masks_.size(); ++j, p += 8) put_u64(p, masks_[j]);
    unsigned char* events_at = p + counts_size_;
    switch (mask_bytes()) {
        case 1: events_at = put_events<1>(p, events_at); break;
        case 2: events_at = put_events<2>(p, events_at); break;
        default: events_at = put_events<4>(p, events_at); break;
    }
    p = events_at;
    if (!known_level_.empty()) std::memcpy(p, known_level_.data(), known_level_.size());
}

FunnelReportBuffer::Header FunnelReportBuffer::decode_header(const unsigned char* in, std::size_t len) {
    if (len < kHeaderSize) corrupt("too short");
    if (in[0] != kReportStateVersion) corrupt("unknown version " + std::to_string(in[0]));
    if (in[1] > static_cast<std::uint8_t>(ActorKeyKind::Bytes)) corrupt("unknown actor key kind");
    Header h;
    h.kind = static_cast<ActorKeyKind>(in[1]);
    h.spec.n_steps = in[2];
    h.host_tag = in[3];
    h.spec.modes = get_u32(in + 4);
    h.spec.window = static_cast<std::int64_t>(get_u64(in + 8));
    h.spec.steps_id = get_u64(in + 40);
    try {
        check_funnel_spec(h.spec);
    } catch (const Error& e) {
        corrupt(e.what());
    }
    return h;
}

// Reads the events (their counts checked already, ending at `in`) into
// events_, checking each mask; returns the end of the events.
template <std::size_t kMaskBytes>
const unsigned char* FunnelReportBuffer::get_events(const unsigned char* counts, const unsigned char* in,
                                                    std::uint32_t n_actors, std::uint32_t n_masks) {
    const std::uint64_t bits = all_steps_mask(spec_.n_steps);
    const unsigned char* const counts_end = in;  // the counts end where the events begin
    PackedEvent* out = events_.data();
    InterruptCheck check;
    for (std::uint32_t a = 0; a < n_actors; ++a) {
        std::uint64_t c = 0;
        counts = get_varint(counts, counts_end, &c);  // checked by decode_into
        for (; c != 0; --c, in += 8 + kMaskBytes) {
            std::uint32_t stored = 0;
            for (std::size_t i = 0; i < kMaskBytes; ++i) stored |= static_cast<std::uint32_t>(in[8 + i]) << (8 * i);
            if (wide_) {
                if (stored >= n_masks) corrupt("step mask index out of range");
            } else if ((stored & ~bits) || (stored == 0 && !keep_unmatched_)) {
                corrupt("step mask out of range");
            }
            *out++ = PackedEvent{static_cast<std::int64_t>(get_u64(in)), a, stored};
        }
        check.tick();
    }
    return in;
}

void FunnelReportBuffer::decode_into(const unsigned char* in, std::size_t len) {
    const Header h = decode_header(in, len);
    if (h.kind != kind_ || h.spec != spec_)
        fail(ErrorKind::Internal, "funnel_report: decode into a buffer of another shape");
    if (n_actors_ != 0 || events() != 0) fail(ErrorKind::Internal, "funnel_report: decode into a used buffer");
    const std::uint32_t null_index = get_u32(in + 16);
    const std::uint32_t n_actors = get_u32(in + 20);
    const std::uint64_t n_events = get_u64(in + 24);
    const std::uint32_t n_masks = get_u32(in + 32);
    const std::uint32_t flags = get_u32(in + 36);
    if (flags & ~(kFlagLevels | kFlagKeyBitmap)) corrupt("unknown flags");
    if (n_actors > kMaxActors) corrupt("too many actors");
    if (null_index != kNoActor && null_index >= n_actors) corrupt("NULL actor index out of range");
    if (!wide_ && n_masks != 0) corrupt("mask table in a narrow funnel");
    std::size_t rest = len - kHeaderSize;
    const unsigned char* p = in + kHeaderSize;
    // Every actor takes at least a bit of its key and a byte of its count.
    if (n_actors > rest) corrupt("more actors than the length holds");
    reserve_actors(n_actors);
    const auto need = [&](std::size_t bytes) {
        if (bytes > rest) corrupt("truncated");
    };
    const auto take = [&](std::size_t bytes) {
        p += bytes;
        rest -= bytes;
    };
    InterruptCheck check;
    if (flags & kFlagKeyBitmap) {
        if (kind_ != ActorKeyKind::Integer || null_index != kNoActor || n_actors == 0)
            corrupt("a key bitmap without integer keys");
        need(16);
        const std::uint64_t first = get_u64(p);
        const std::uint64_t span = get_u64(p + 8);
        take(16);
        if (span > ~first + (std::uint64_t{1} << 63)) corrupt("key bitmap beyond the int64 range");
        if (span / 8 >= rest) corrupt("truncated");
        const std::size_t bytes = static_cast<std::size_t>(span / 8) + 1;
        // Canonical: the first and last keys are the range's ends, no bit past it.
        if (!(p[0] & 1) || !(p[span / 8] >> (span % 8) & 1) || (p[span / 8] >> (span % 8) >> 1) != 0)
            corrupt("key bitmap not canonical");
        for (std::size_t i = 0; i < bytes; ++i) {
            for (unsigned bits = p[i]; bits != 0; bits &= bits - 1) {
                if (n_actors_ == n_actors) corrupt("more keys than actors");
                const std::uint64_t k = std::uint64_t{8} * i + static_cast<unsigned>(__builtin_ctz(bits));
                find_or_add_integer(static_cast<std::int64_t>(first + k));
            }
            check.tick();
        }
        if (n_actors_ != n_actors) corrupt("fewer keys than actors");
        take(bytes);
    } else {
        for (std::uint32_t a = 0; a < n_actors; ++a) {
            std::uint32_t got;
            if (a == null_index) {
                const std::size_t width = kind_ == ActorKeyKind::Integer ? 8 : 4;
                need(width);
                if ((width == 8 ? get_u64(p) : get_u32(p)) != 0) corrupt("NULL actor with a key");
                take(width);
                got = null_actor();
            } else if (kind_ == ActorKeyKind::Integer) {
                need(8);
                got = find_or_add_integer(static_cast<std::int64_t>(get_u64(p)));
                take(8);
            } else {
                need(4);
                const std::uint32_t klen = get_u32(p);
                take(4);
                need(klen);
                got = find_or_add_bytes(p, klen, hash_bytes(p, klen));
                take(klen);
            }
            if (got != a) corrupt("duplicate actor key");
            check.tick();
        }
    }
    const std::uint64_t bits = all_steps_mask(spec_.n_steps);
    need(std::size_t{8} * n_masks);
    for (std::uint32_t j = 0; j < n_masks; ++j, p += 8) {
        const std::uint64_t m = get_u64(p);
        if ((m & ~bits) || (m == 0 && !keep_unmatched_)) corrupt("step mask out of range");
        if (mask_id(m) != j) corrupt("duplicate step mask");
    }
    rest -= std::size_t{8} * n_masks;
    // The counts: a varint per actor.
    const unsigned char* counts = p;
    std::uint64_t total = 0;
    for (std::uint32_t a = 0; a < n_actors; ++a) {
        std::uint64_t c = 0;
        const unsigned char* next = get_varint(p, p + rest, &c);
        if (!next) corrupt("event count truncated or out of range");
        take(static_cast<std::size_t>(next - p));
        if (c > n_events - total) corrupt("more events than the header says");
        total += c;
    }
    if (total != n_events) corrupt("fewer events than the header says");
    const std::size_t width = mask_bytes();
    const std::size_t level_bytes = flags & kFlagLevels ? n_actors : 0;
    if (rest < level_bytes || n_events > (rest - level_bytes) / (8 + width) ||
        rest - level_bytes != n_events * (8 + width))
        corrupt("wrong length");
    // Straight into events_, grouped by actor (no straggler bookkeeping).
    events_.resize_for_overwrite(static_cast<std::size_t>(n_events));
    switch (width) {
        case 1: p = get_events<1>(counts, p, n_actors, n_masks); break;
        case 2: p = get_events<2>(counts, p, n_actors, n_masks); break;
        default: p = get_events<4>(counts, p, n_actors, n_masks); break;
    }
    grouped_ = true;
    if (level_bytes) {
        known_level_.reserve(n_actors);
        for (std::uint32_t a = 0; a < n_actors; ++a, ++p) {
            if (*p != kUnknownLevel && *p > spec_.n_steps) corrupt("level beyond the funnel's steps");
            known_level_.push_back(*p);
        }
    }
}

}  // namespace pgf
