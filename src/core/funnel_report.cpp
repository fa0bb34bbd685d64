#include "core/funnel_report.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace pgf {

// ---------------------------------------------------------------- memory

namespace {
void* heap_allocate(void*, std::size_t bytes) { return std::malloc(bytes); }
void* heap_reallocate(void*, void* p, std::size_t bytes) { return std::realloc(p, bytes); }
void heap_release(void*, void* p) { std::free(p); }
}  // namespace

MemoryHooks heap_memory_hooks() {
    MemoryHooks h;
    h.allocate = heap_allocate;
    h.reallocate = heap_reallocate;
    h.release = heap_release;
    return h;
}

template <typename T>
void PodArray<T>::grow(std::size_t need) {
    // 1.5x keeps the slack of a large buffer at a quarter on average.
    std::size_t n = cap_ < 8 ? 8 : cap_ + cap_ / 2;
    if (n < need) n = need;
    resize_storage(n);
}

template <typename T>
void PodArray<T>::resize_storage(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    void* p = data_ ? hooks_.reallocate(hooks_.ctx, data_, n * sizeof(T)) : hooks_.allocate(hooks_.ctx, n * sizeof(T));
    if (!p) throw std::bad_alloc();
    data_ = static_cast<T*>(p);
    cap_ = n;
}

template class PodArray<std::uint32_t>;
template class PodArray<std::uint64_t>;
template class PodArray<std::int64_t>;
template class PodArray<unsigned char>;
template class PodArray<PackedEvent>;
template class PodArray<Event>;

// ---------------------------------------------------------------- hashing

namespace {

inline std::uint64_t fmix64(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

std::uint64_t hash_bytes(const unsigned char* p, std::size_t len) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0xc6a4a7935bd1e995ULL);
    std::size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        h = (h ^ fmix64(w)) * 0x9ddfea08eb382d69ULL;
    }
    std::uint64_t tail = 0;
    for (std::size_t j = 0; i + j < len; ++j) tail |= static_cast<std::uint64_t>(p[i + j]) << (8 * j);
    return fmix64(h ^ tail);
}

std::uint64_t step_bits(int n_steps) {
    return n_steps >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n_steps) - 1;
}

constexpr std::uint8_t kReportStateVersion = 1;
constexpr std::size_t kHeaderSize = 36;
constexpr std::uint32_t kMaxActors = 0xfffffffeu;

[[noreturn]] void corrupt(const std::string& what) {
    fail(ErrorKind::CorruptState, "corrupt pg_funnel funnel_report state: " + what);
}

}  // namespace

// ---------------------------------------------------------------- the buffer

FunnelReportBuffer::FunnelReportBuffer(const MemoryHooks& hooks, ActorKeyKind kind, const FunnelSpec& spec)
    : hooks_(hooks),
      kind_(kind),
      spec_(spec),
      wide_(spec.n_steps > 32),
      keep_unmatched_(funnel_keeps_unmatched_rows(spec.modes)),
      slots_(hooks),
      int_keys_(hooks),
      key_offset_(hooks),
      key_length_(hooks),
      key_hash_(hooks),
      key_bytes_(hooks),
      masks_(hooks),
      mask_slots_(hooks),
      events_(hooks),
      stragglers_(hooks) {
    check_funnel_spec(spec);
    if (kind != ActorKeyKind::Integer && kind != ActorKeyKind::Bytes)
        fail(ErrorKind::InvalidParameter, "unknown actor key kind");
}

std::size_t FunnelReportBuffer::bytes_used() const {
    return (events_.capacity() + stragglers_.capacity()) * sizeof(PackedEvent) + slots_.capacity() * 4 + int_keys_.capacity() * 8 +
           key_offset_.capacity() * 8 + key_length_.capacity() * 4 + key_hash_.capacity() * 8 +
           key_bytes_.capacity() + masks_.capacity() * 8 + mask_slots_.capacity() * 4;
}

std::uint32_t FunnelReportBuffer::new_actor() {
    if (n_actors_ >= kMaxActors)
        fail(ErrorKind::LimitExceeded, "funnel_report supports at most " + std::to_string(kMaxActors) +
                                           " actors per group");
    if (kind_ == ActorKeyKind::Integer) {
        int_keys_.push_back(0);
    } else {
        key_offset_.push_back(key_bytes_.size());
        key_length_.push_back(0);
        key_hash_.push_back(0);
    }
    return n_actors_++;
}

std::uint64_t FunnelReportBuffer::actor_hash(std::uint32_t actor) const {
    return kind_ == ActorKeyKind::Integer ? fmix64(static_cast<std::uint64_t>(int_keys_[actor])) : key_hash_[actor];
}

void FunnelReportBuffer::grow_slots() { rebuild_slots(slots_.size() == 0 ? 64 : slots_.size() * 2); }

void FunnelReportBuffer::reserve_actors(std::size_t n) {
    std::size_t cap = slots_.size() == 0 ? 64 : slots_.size();
    while (cap < 2 * (n + 1)) cap *= 2;
    if (cap != slots_.size()) rebuild_slots(cap);
    if (kind_ == ActorKeyKind::Integer) {
        int_keys_.reserve(n);
    } else {
        key_offset_.reserve(n);
        key_length_.reserve(n);
        key_hash_.reserve(n);
    }
}

void FunnelReportBuffer::rebuild_slots(std::size_t cap) {
    slots_.clear();
    slots_.resize(cap);
    const std::size_t m = cap - 1;
    for (std::uint32_t a = 0; a < n_actors_; ++a) {
        if (a == null_actor_) continue;
        std::size_t i = static_cast<std::size_t>(actor_hash(a)) & m;
        while (slots_[i]) i = (i + 1) & m;
        slots_[i] = a + 1;
    }
}

std::uint32_t FunnelReportBuffer::find_or_add_integer(std::int64_t key) {
    if ((static_cast<std::size_t>(n_actors_) + 1) * 2 > slots_.size()) grow_slots();
    const std::size_t m = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(fmix64(static_cast<std::uint64_t>(key))) & m;
    for (;;) {
        const std::uint32_t s = slots_[i];
        if (s == 0) break;
        if (int_keys_[s - 1] == key && s - 1 != null_actor_) return s - 1;
        i = (i + 1) & m;
    }
    const std::uint32_t a = new_actor();
    int_keys_[a] = key;
    slots_[i] = a + 1;
    return a;
}

const unsigned char* FunnelReportBuffer::key_bytes(std::uint32_t actor, std::uint32_t* len) const {
    *len = key_length_[actor];
    return key_bytes_.data() + key_offset_[actor];
}

std::uint32_t FunnelReportBuffer::find_or_add_bytes(const unsigned char* key, std::uint32_t len, std::uint64_t hash) {
    if ((static_cast<std::size_t>(n_actors_) + 1) * 2 > slots_.size()) grow_slots();
    const std::size_t m = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(hash) & m;
    for (;;) {
        const std::uint32_t s = slots_[i];
        if (s == 0) break;
        const std::uint32_t a = s - 1;
        if (key_hash_[a] == hash && key_length_[a] == len && a != null_actor_ &&
            (len == 0 || std::memcmp(key_bytes_.data() + key_offset_[a], key, len) == 0))
            return a;
        i = (i + 1) & m;
    }
    const std::uint32_t a = new_actor();
    const std::size_t at = key_bytes_.size();
    key_bytes_.resize(at + len);
    if (len) std::memcpy(key_bytes_.data() + at, key, len);
    key_offset_[a] = at;
    key_length_[a] = len;
    key_hash_[a] = hash;
    slots_[i] = a + 1;
    return a;
}

std::uint32_t FunnelReportBuffer::null_actor() {
    if (null_actor_ == kNoActor) null_actor_ = new_actor();
    return null_actor_;
}

std::uint32_t FunnelReportBuffer::mask_id(std::uint64_t mask) {
    if ((masks_.size() + 1) * 2 > mask_slots_.size()) {
        const std::size_t cap = mask_slots_.size() == 0 ? 64 : mask_slots_.size() * 2;
        mask_slots_.clear();
        mask_slots_.resize(cap);
        for (std::uint32_t j = 0; j < masks_.size(); ++j) {
            std::size_t i = static_cast<std::size_t>(fmix64(masks_[j])) & (cap - 1);
            while (mask_slots_[i]) i = (i + 1) & (cap - 1);
            mask_slots_[i] = j + 1;
        }
    }
    const std::size_t m = mask_slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(fmix64(mask)) & m;
    for (;;) {
        const std::uint32_t s = mask_slots_[i];
        if (s == 0) break;
        if (masks_[s - 1] == mask) return s - 1;
        i = (i + 1) & m;
    }
    const auto id = static_cast<std::uint32_t>(masks_.size());
    masks_.push_back(mask);
    mask_slots_[i] = id + 1;
    return id;
}

void FunnelReportBuffer::push_event(std::uint32_t actor, bool has_event, std::int64_t ts, std::uint64_t mask) {
    if (!has_event || (mask == 0 && !keep_unmatched_)) return;
    if (mask & ~step_bits(spec_.n_steps))
        fail(ErrorKind::InvalidParameter, "a row matches a step beyond the funnel's " +
                                              std::to_string(spec_.n_steps) + " steps");
    const std::uint32_t stored = wide_ ? mask_id(mask) : static_cast<std::uint32_t>(mask);
    const PackedEvent e{ts, actor, stored};
    if (grouped_ && !events_.empty() && actor < events_.back().actor) {
        if (stragglers_.size() < events_.size() / 8 + 4096) {
            stragglers_.push_back(e);
            return;
        }
        grouped_ = false;
        events_.reserve(events_.size() + stragglers_.size() + 1);
        for (std::size_t i = 0; i < stragglers_.size(); ++i) events_.push_back(stragglers_[i]);
        stragglers_.clear();
    }
    events_.push_back(e);
}

void FunnelReportBuffer::add_integer(std::int64_t key, bool has_event, std::int64_t ts, std::uint64_t mask) {
    if (kind_ != ActorKeyKind::Integer) fail(ErrorKind::InvalidParameter, "funnel_report: actor key kind changed");
    std::uint32_t a;
    if (last_actor_ != kNoActor && key == last_int_key_) {
        a = last_actor_;
    } else {
        a = find_or_add_integer(key);
        last_actor_ = a;
        last_int_key_ = key;
    }
    push_event(a, has_event, ts, mask);
}

void FunnelReportBuffer::add_bytes(const void* key, std::size_t len, bool has_event, std::int64_t ts,
                                   std::uint64_t mask) {
    if (kind_ != ActorKeyKind::Bytes) fail(ErrorKind::InvalidParameter, "funnel_report: actor key kind changed");
    if (len > 0xffffffffu) fail(ErrorKind::LimitExceeded, "funnel_report: actor key too long");
    const auto* k = static_cast<const unsigned char*>(key);
    const auto n = static_cast<std::uint32_t>(len);
    std::uint32_t a;
    if (last_actor_ != kNoActor && key_length_[last_actor_] == n &&
        (n == 0 || std::memcmp(key_bytes_.data() + key_offset_[last_actor_], k, n) == 0)) {
        a = last_actor_;
    } else {
        a = find_or_add_bytes(k, n, hash_bytes(k, n));
        last_actor_ = a;
    }
    push_event(a, has_event, ts, mask);
}

void FunnelReportBuffer::add_null_actor(bool has_event, std::int64_t ts, std::uint64_t mask) {
    push_event(null_actor(), has_event, ts, mask);
}

void FunnelReportBuffer::merge(const FunnelReportBuffer& other) {
    if (&other == this) fail(ErrorKind::Internal, "funnel_report: a state merged into itself");
    if (other.kind_ != kind_ || other.spec_.window != spec_.window || other.spec_.n_steps != spec_.n_steps ||
        other.spec_.modes != spec_.modes)
        fail(ErrorKind::InvalidParameter,
             "cannot combine funnel_report states with different actor types, windows, steps or modes");
    if (n_actors_ == 0 && events() == 0) {
        copy_from(other);
        return;
    }
    reserve_actors(static_cast<std::size_t>(n_actors_) + other.n_actors_);
    PodArray<std::uint32_t> remap(hooks_);
    remap.resize(other.n_actors_);
    InterruptCheck check;
    for (std::uint32_t b = 0; b < other.n_actors_; ++b) {
        if (b == other.null_actor_) {
            remap[b] = null_actor();
        } else if (kind_ == ActorKeyKind::Integer) {
            remap[b] = find_or_add_integer(other.int_keys_[b]);
        } else {
            std::uint32_t len = 0;
            const unsigned char* k = other.key_bytes(b, &len);
            remap[b] = find_or_add_bytes(k, len, other.key_hash_[b]);
        }
        check.tick();
    }
    events_.reserve(events_.size() + other.events_.size());
    other.for_each_event([&](const PackedEvent& e) {
        push_event(remap[e.actor], true, e.ts, other.mask_of(e.mask));
        check.tick();
    });
    last_actor_ = kNoActor;
}

void FunnelReportBuffer::copy_from(const FunnelReportBuffer& other) {
    n_actors_ = other.n_actors_;
    null_actor_ = other.null_actor_;
    grouped_ = other.grouped_;
    slots_.assign(other.slots_);
    int_keys_.assign(other.int_keys_);
    key_offset_.assign(other.key_offset_);
    key_length_.assign(other.key_length_);
    key_hash_.assign(other.key_hash_);
    key_bytes_.assign(other.key_bytes_);
    masks_.assign(other.masks_);
    mask_slots_.assign(other.mask_slots_);
    events_.assign(other.events_);
    stragglers_.assign(other.stragglers_);
    last_actor_ = kNoActor;
}

// In-place bucket sort by actor (American flag sort): each event moves at most
// once to its bucket. Afterwards the buffer is grouped, ascending by actor.
void FunnelReportBuffer::group_by_actor() {
    if (grouped_) return;
    const std::size_t n = events_.size();
    PodArray<std::uint64_t> next(hooks_), end(hooks_);
    next.resize(n_actors_);
    end.resize(n_actors_);
    InterruptCheck check;
    for (std::size_t i = 0; i < n; ++i) ++end[events_[i].actor];
    std::uint64_t sum = 0;
    for (std::uint32_t a = 0; a < n_actors_; ++a) {
        next[a] = sum;
        sum += end[a];
        end[a] = sum;
    }
    PackedEvent* ev = events_.data();
    for (std::uint32_t a = 0; a < n_actors_; ++a) {
        for (std::size_t i = next[a]; i < end[a]; i = next[a]) {
            PackedEvent e = ev[i];
            while (e.actor != a) {
                const std::size_t dst = next[e.actor]++;
                const PackedEvent t = ev[dst];
                ev[dst] = e;
                e = t;
                check.tick();
            }
            ev[i] = e;
            ++next[a];
            check.tick();
        }
    }
    grouped_ = true;
}

std::vector<std::int64_t> FunnelReportBuffer::levels() {
    group_by_actor();
    // Stragglers by actor, then each actor's rows: its run in events_ plus its
    // stragglers (actors may have either or both).
    std::sort(stragglers_.data(), stragglers_.data() + stragglers_.size(),
              [](const PackedEvent& a, const PackedEvent& b) { return a.actor < b.actor; });
    std::vector<std::int64_t> at_level(static_cast<std::size_t>(spec_.n_steps) + 1, 0);
    PodArray<Event> scratch(hooks_);
    InterruptCheck check;
    std::int64_t with_events = 0;
    const std::size_t n = events_.size(), ns = stragglers_.size();
    const PackedEvent* ev = events_.data();
    const PackedEvent* st = stragglers_.data();
    std::size_t i = 0, k = 0;
    while (i < n || k < ns) {
        const std::uint32_t a = i < n && (k == ns || ev[i].actor <= st[k].actor) ? ev[i].actor : st[k].actor;
        scratch.clear();
        for (; i < n && ev[i].actor == a; ++i) {
            scratch.push_back(Event{ev[i].ts, mask_of(ev[i].mask)});
            check.tick();
        }
        for (; k < ns && st[k].actor == a; ++k) {
            scratch.push_back(Event{st[k].ts, mask_of(st[k].mask)});
            check.tick();
        }
        sort_events(scratch.data(), scratch.size());
        ++at_level[static_cast<std::size_t>(funnel_level(spec_, scratch.data(), scratch.size()))];
        ++with_events;
    }
    at_level[0] += static_cast<std::int64_t>(n_actors_) - with_events;
    return at_level;
}

// ---------------------------------------------------------------- codec

std::size_t FunnelReportBuffer::encoded_size(std::size_t max_size) const {
    // Every term is bounded by memory already held, so the sum cannot overflow.
    std::size_t size = kHeaderSize;
    size += kind_ == ActorKeyKind::Integer ? std::size_t{8} * n_actors_ : std::size_t{4} * n_actors_ + key_bytes_.size();
    if (wide_) size += 8 * masks_.size();
    size += 16 * events();
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
    try {
        check_funnel_spec(h.spec);
    } catch (const Error& e) {
        corrupt(e.what());
    }
    return h;
}

void FunnelReportBuffer::decode_into(const unsigned char* in, std::size_t len) {
    const Header h = decode_header(in, len);
    if (h.kind != kind_ || h.spec.n_steps != spec_.n_steps || h.spec.modes != spec_.modes ||
        h.spec.window != spec_.window)
        fail(ErrorKind::Internal, "funnel_report: decode into a buffer of another shape");
    if (n_actors_ != 0 || events() != 0) fail(ErrorKind::Internal, "funnel_report: decode into a used buffer");
    const std::uint32_t null_index = get_u32(in + 16);
    const std::uint32_t n_actors = get_u32(in + 20);
    const std::uint64_t n_events = get_u64(in + 24);
    const std::uint32_t n_masks = get_u32(in + 32);
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
    const std::uint64_t bits = step_bits(spec_.n_steps);
    need(std::size_t{8} * n_masks);
    for (std::uint32_t j = 0; j < n_masks; ++j, p += 8) {
        const std::uint64_t m = get_u64(p);
        if ((m & ~bits) || (m == 0 && !keep_unmatched_)) corrupt("step mask out of range");
        if (mask_id(m) != j) corrupt("duplicate step mask");
    }
    rest -= std::size_t{8} * n_masks;
    if (n_events > rest / 16 || rest != n_events * 16) corrupt("wrong length");
    events_.reserve(static_cast<std::size_t>(n_events));
    for (std::uint64_t i = 0; i < n_events; ++i, p += 16) {
        const auto ts = static_cast<std::int64_t>(get_u64(p));
        const std::uint32_t actor = get_u32(p + 8);
        const std::uint32_t stored = get_u32(p + 12);
        if (actor >= n_actors) corrupt("actor index out of range");
        std::uint64_t mask;
        if (wide_) {
            if (stored >= n_masks) corrupt("step mask index out of range");
            mask = masks_[stored];
        } else {
            mask = stored;
            if ((mask & ~bits) || (mask == 0 && !keep_unmatched_)) corrupt("step mask out of range");
        }
        push_event(actor, true, ts, mask);
        check.tick();
    }
}

}  // namespace pgf
