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

constexpr std::uint8_t kReportStateVersion = 3;
constexpr std::size_t kHeaderSize = 48;
constexpr std::uint32_t kFlagLevels = 1;

[[noreturn]] void corrupt(const std::string& what) {
    fail(ErrorKind::CorruptState, "corrupt pg_funnel funnel_report state: " + what);
}

}  // namespace

std::size_t FunnelReportBuffer::encoded_size(std::size_t max_size) {
    flush();
    // Every term is bounded by memory already held, so the sum cannot overflow.
    std::size_t size = kHeaderSize;
    size += kind_ == ActorKeyKind::Integer ? std::size_t{8} * n_actors_ : std::size_t{4} * n_actors_ + key_bytes_.size();
    if (wide_) size += 8 * masks_.size();
    size += 16 * events() + known_level_.size();
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
    if (staging_ || pending_.size() != 0 || pending_bytes_.size() != 0) fail(ErrorKind::Internal, "funnel_report: encode before encoded_size");
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
    put_u32(p + 36, known_level_.empty() ? 0 : kFlagLevels);
    put_u64(p + 40, spec_.steps_id);
    p += kHeaderSize;
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
    if (wide_)
        for (std::size_t j = 0; j < masks_.size(); ++j, p += 8) put_u64(p, masks_[j]);
    for_each_event([&](const PackedEvent& e) {
        put_u64(p, static_cast<std::uint64_t>(e.ts));
        put_u32(p + 8, e.actor);
        put_u32(p + 12, e.mask);
        p += 16;
    });
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
    if (flags & ~kFlagLevels) corrupt("unknown flags");
    if (n_actors > kMaxActors) corrupt("too many actors");
    if (null_index != kNoActor && null_index >= n_actors) corrupt("NULL actor index out of range");
    if (!wide_ && n_masks != 0) corrupt("mask table in a narrow funnel");
    std::size_t rest = len - kHeaderSize;
    const unsigned char* p = in + kHeaderSize;
    if (n_actors > (len - kHeaderSize) / 4) corrupt("more actors than the length holds");
    reserve_actors(n_actors);
    const auto need = [&](std::size_t bytes) {
        if (bytes > rest) corrupt("truncated");
    };
    InterruptCheck check;
    for (std::uint32_t a = 0; a < n_actors; ++a) {
        std::uint32_t got;
        if (a == null_index) {
            if (kind_ == ActorKeyKind::Integer) {
                need(8);
                if (get_u64(p) != 0) corrupt("NULL actor with a key");
                p += 8;
                rest -= 8;
            } else {
                need(4);
                if (get_u32(p) != 0) corrupt("NULL actor with a key");
                p += 4;
                rest -= 4;
            }
            got = null_actor();
        } else if (kind_ == ActorKeyKind::Integer) {
            need(8);
            got = find_or_add_integer(static_cast<std::int64_t>(get_u64(p)));
            p += 8;
            rest -= 8;
        } else {
            need(4);
            const std::uint32_t klen = get_u32(p);
            p += 4;
            rest -= 4;
            need(klen);
            got = find_or_add_bytes(p, klen, hash_bytes(p, klen));
            p += klen;
            rest -= klen;
        }
        if (got != a) corrupt("duplicate actor key");
        check.tick();
    }
    const std::uint64_t bits = all_steps_mask(spec_.n_steps);
    need(std::size_t{8} * n_masks);
    for (std::uint32_t j = 0; j < n_masks; ++j, p += 8) {
        const std::uint64_t m = get_u64(p);
        if ((m & ~bits) || (m == 0 && !keep_unmatched_)) corrupt("step mask out of range");
        if (mask_id(m) != j) corrupt("duplicate step mask");
    }
    rest -= std::size_t{8} * n_masks;
    const std::size_t level_bytes = flags & kFlagLevels ? n_actors : 0;
    if (rest < level_bytes || n_events > (rest - level_bytes) / 16 || rest - level_bytes != n_events * 16)
        corrupt("wrong length");
    // Straight into events_ (no straggler bookkeeping): grouped_ says whether
    // they arrived in actor order.
    events_.resize_for_overwrite(static_cast<std::size_t>(n_events));
    PackedEvent* out = events_.data();
    std::uint32_t previous = 0;
    bool grouped = true;
    for (std::uint64_t i = 0; i < n_events; ++i, p += 16) {
        const auto ts = static_cast<std::int64_t>(get_u64(p));
        const std::uint32_t actor = get_u32(p + 8);
        const std::uint32_t stored = get_u32(p + 12);
        if (actor >= n_actors) corrupt("actor index out of range");
        if (wide_) {
            if (stored >= n_masks) corrupt("step mask index out of range");
        } else if ((stored & ~bits) || (stored == 0 && !keep_unmatched_)) {
            corrupt("step mask out of range");
        }
        out[i] = PackedEvent{ts, actor, stored};
        grouped = grouped && actor >= previous;
        previous = actor;
        check.tick();
    }
    grouped_ = grouped;
    if (level_bytes) {
        known_level_.reserve(n_actors);
        for (std::uint32_t a = 0; a < n_actors; ++a, ++p) {
            if (*p != kUnknownLevel && *p > spec_.n_steps) corrupt("level beyond the funnel's steps");
            known_level_.push_back(*p);
        }
    }
}

}  // namespace pgf
