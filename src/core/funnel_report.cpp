// FunnelReportBuffer: the table of actors, rows added (keys out of order looked up
// in batches) and states merged. Integer keys out of order: staged and grouped by
// key range, funnel_report_staging.cpp; the final step: funnel_report_levels.cpp;
// the binary state: funnel_report_codec.cpp.
#include "core/funnel_report.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/interrupt.hpp"

namespace pgf {

// ---------------------------------------------------------------- the buffer

FunnelReportBuffer::FunnelReportBuffer(const MemoryHooks& hooks, ActorKeyKind kind, const FunnelSpec& spec)
    : hooks_(hooks),
      kind_(kind),
      spec_(spec),
      wide_(spec.n_steps > 32),
      keep_unmatched_(funnel_keeps_unmatched_rows(spec.modes)),
      ordered_(kind == ActorKeyKind::Integer),
      slots_(hooks),
      int_keys_(hooks),
      key_offset_(hooks),
      key_length_(hooks),
      key_hash_(hooks),
      key_bytes_(hooks),
      masks_(hooks),
      mask_slots_(hooks),
      known_level_(hooks),
      events_(hooks),
      stragglers_(hooks),
      staged_(hooks),
      staged_keys_(hooks),
      pending_(hooks),
      pending_bytes_(hooks),
      pending_key_bytes_(hooks) {
    check_funnel_spec(spec);
    if (kind != ActorKeyKind::Integer && kind != ActorKeyKind::Bytes)
        fail(ErrorKind::InvalidParameter, "unknown actor key kind");
}

std::size_t FunnelReportBuffer::bytes_used() const {
    return (events_.capacity() + stragglers_.capacity()) * sizeof(PackedEvent) + slots_.capacity() * sizeof(ActorSlot) +
           staged_.capacity() * sizeof(StagedRow) + staged_keys_.capacity() * 8 + int_keys_.capacity() * 8 +
           key_offset_.capacity() * 8 + key_length_.capacity() * 4 + key_hash_.capacity() * 8 +
           key_bytes_.capacity() + masks_.capacity() * 8 + mask_slots_.capacity() * 4 + known_level_.capacity();
}

void FunnelReportBuffer::too_many_actors() {
    fail(ErrorKind::LimitExceeded, "funnel_report supports at most " + std::to_string(kMaxActors) + " actors per group");
}

std::uint32_t FunnelReportBuffer::new_actor() {
    if (n_actors_ >= kMaxActors) too_many_actors();
    if (!known_level_.empty()) known_level_.push_back(kUnknownLevel);
    if (kind_ == ActorKeyKind::Integer) {
        int_keys_.push_back(0);
    } else {
        key_offset_.push_back(key_bytes_.size());
        key_length_.push_back(0);
        key_hash_.push_back(0);
    }
    return n_actors_++;
}

std::uint64_t FunnelReportBuffer::actor_tag(std::uint32_t actor) const {
    return kind_ == ActorKeyKind::Integer ? static_cast<std::uint64_t>(int_keys_[actor]) : key_hash_[actor];
}

std::uint64_t FunnelReportBuffer::actor_hash(std::uint32_t actor) const {
    return kind_ == ActorKeyKind::Integer ? fmix64(static_cast<std::uint64_t>(int_keys_[actor])) : key_hash_[actor];
}

void FunnelReportBuffer::grow_slots() { rebuild_slots(slots_.size() == 0 ? 64 : slots_.size() * 2); }

void FunnelReportBuffer::reserve_actors(std::size_t n) {
    if (!ordered_) {
        std::size_t cap = slots_.size() == 0 ? 64 : slots_.size();
        while (cap < 2 * (n + 1)) cap *= 2;
        if (cap != slots_.size()) rebuild_slots(cap);
    }
    if (kind_ == ActorKeyKind::Integer) {
        int_keys_.reserve(n);
    } else {
        key_offset_.reserve(n);
        key_length_.reserve(n);
        key_hash_.reserve(n);
    }
}

void FunnelReportBuffer::rebuild_slots(std::size_t cap) {
    PodArray<ActorSlot> old(hooks_);
    old.swap(slots_);
    slots_.resize(cap);
    const std::size_t m = cap - 1;
    const auto place = [&](const ActorSlot& s, std::uint64_t hash) {
        std::size_t i = static_cast<std::size_t>(hash) & m;
        while (slots_[i].ref) i = (i + 1) & m;
        slots_[i] = s;
    };
    if (old.size() != 0) {
        // Every actor but the NULL one has a slot. Taken in the old table's
        // order, the new places advance with it (a doubling sends slot i to
        // about i or i + old size), where taking the actors in their order
        // would cost a cache miss each.
        for (std::size_t i = 0; i < old.size(); ++i)
            if (old[i].ref)
                place(old[i], kind_ == ActorKeyKind::Integer ? fmix64(old[i].tag) : old[i].tag);
        return;
    }
    for (std::uint32_t a = 0; a < n_actors_; ++a)
        if (a != null_actor_)
            place(ActorSlot{actor_tag(a), a + 1, kind_ == ActorKeyKind::Bytes ? key_length_[a] : 0}, actor_hash(a));
}

void FunnelReportBuffer::leave_order() {
    ordered_ = false;
    std::size_t cap = 64;
    while (cap < 2 * (static_cast<std::size_t>(n_actors_) + 1)) cap *= 2;
    rebuild_slots(cap);
}

// Ordered keys: a key above the last is a new actor; one at or below it is found
// by binary search; a new key below the last is kNoActor (the order ends).
std::uint32_t FunnelReportBuffer::append_or_find_ordered(std::int64_t key) {
    const std::int64_t* keys = int_keys_.data();
    if (n_actors_ == 0 || key > keys[n_actors_ - 1]) {
        const std::uint32_t a = new_actor();
        int_keys_[a] = key;
        return a;
    }
    const std::int64_t* at = std::lower_bound(keys, keys + n_actors_, key);
    return *at == key ? static_cast<std::uint32_t>(at - keys) : kNoActor;
}

std::uint32_t FunnelReportBuffer::find_or_add_integer(std::int64_t key) {
    if (ordered_) {
        const std::uint32_t a = append_or_find_ordered(key);
        if (a != kNoActor) return a;
        leave_order();
    }
    if ((static_cast<std::size_t>(n_actors_) + 1) * 2 > slots_.size()) grow_slots();
    return find_or_add_in_table(key, static_cast<std::size_t>(fmix64(static_cast<std::uint64_t>(key))));
}

// The table has room for one more actor; `slot` is the key's hash (any bits
// above the table's size are ignored).
std::uint32_t FunnelReportBuffer::find_or_add_in_table(std::int64_t key, std::size_t slot) {
    const std::size_t m = slots_.size() - 1;
    const auto tag = static_cast<std::uint64_t>(key);
    std::size_t i = slot & m;
    for (;;) {
        const ActorSlot& s = slots_[i];
        if (s.ref == 0) break;
        if (s.tag == tag) return s.ref - 1;  // the NULL actor has no slot
        i = (i + 1) & m;
    }
    const std::uint32_t a = new_actor();
    int_keys_[a] = key;
    slots_[i] = ActorSlot{tag, a + 1, 0};
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
        const ActorSlot& s = slots_[i];
        if (s.ref == 0) break;
        const std::uint32_t a = s.ref - 1;
        if (s.tag == hash && s.key_length == len &&
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
    slots_[i] = ActorSlot{hash, a + 1, len};
    return a;
}

std::uint32_t FunnelReportBuffer::null_actor() {
    if (ordered_) leave_order();
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

std::uint32_t FunnelReportBuffer::stored_mask(std::uint64_t mask) {
    if (mask & ~all_steps_mask(spec_.n_steps))
        fail(ErrorKind::InvalidParameter, "a row matches a step beyond the funnel's " +
                                              std::to_string(spec_.n_steps) + " steps");
    return wide_ ? mask_id(mask) : static_cast<std::uint32_t>(mask);
}

void FunnelReportBuffer::push_event(std::uint32_t actor, bool has_event, std::int64_t ts, std::uint64_t mask) {
    if (!has_event || (mask == 0 && !keep_unmatched_)) return;
    push_stored(actor, ts, stored_mask(mask));
}

void FunnelReportBuffer::push_stored(std::uint32_t actor, std::int64_t ts, std::uint32_t stored) {
    if (!known_level_.empty()) known_level_[actor] = kUnknownLevel;
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
    if (staging_) {
        stage(key, has_event, ts, mask);
        return;
    }
    if (!ordered_) {  // keys out of order and a table of actors: looked up a batch at a time (flush)
        if (pending_.capacity() == 0) pending_.reserve(kBatch);
        pending_.push_back(PendingRow{key, ts, mask, has_event});
        if (pending_.size() == kBatch) flush();
        return;
    }
    std::uint32_t a;
    if (last_actor_ != kNoActor && key == last_int_key_) {
        a = last_actor_;
    } else {
        a = append_or_find_ordered(key);
        if (a == kNoActor) {
            // Known levels would be lost by staging (an actor staged anew is
            // scanned again); they come only from a worker's settled state.
            if (known_level_.empty()) {
                staging_ = true;
                ordered_ = false;
                shuffled_ = true;
                last_actor_ = kNoActor;
                stage(key, has_event, ts, mask);
                return;
            }
            leave_order();
            a = find_or_add_integer(key);
        }
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
    if (pending_bytes_.capacity() == 0) pending_bytes_.reserve(kBatch);
    // The same actor as the row before (a table clustered by actor): its key
    // is already in the batch.
    if (!pending_bytes_.empty()) {
        const PendingBytesRow& last = pending_bytes_.back();
        if (last.len == n && (n == 0 || std::memcmp(pending_key_bytes_.data() + last.offset, k, n) == 0)) {
            pending_bytes_.push_back(PendingBytesRow{last.hash, last.offset, n, has_event, ts, mask});
            if (pending_bytes_.size() == kBatch) flush();
            return;
        }
    }
    const std::size_t at = pending_key_bytes_.size();
    pending_key_bytes_.resize_for_overwrite(at + n);
    if (n) std::memcpy(pending_key_bytes_.data() + at, k, n);
    pending_bytes_.push_back(PendingBytesRow{hash_bytes(k, n), at, n, has_event, ts, mask});
    if (pending_bytes_.size() == kBatch || pending_key_bytes_.size() > kBatchKeyBytes) flush();
}

void FunnelReportBuffer::add_null_actor(bool has_event, std::int64_t ts, std::uint64_t mask) {
    flush();
    push_event(null_actor(), has_event, ts, mask);
}

// Finds (or adds) the actors of k <= kBatch integer keys in the table, their
// slots fetched together.
template <typename KeyAt>
void FunnelReportBuffer::find_batch(std::size_t k, KeyAt key_at, std::uint32_t* actor) {
    while ((static_cast<std::size_t>(n_actors_) + k + 1) * 2 > slots_.size()) grow_slots();
    std::size_t slot[kBatch];
    for (std::size_t j = 0; j < k; ++j) {
        slot[j] = static_cast<std::size_t>(fmix64(static_cast<std::uint64_t>(key_at(j))));
        __builtin_prefetch(slots_.data() + (slot[j] & (slots_.size() - 1)));
    }
    for (std::size_t j = 0; j < k; ++j) {
        const std::int64_t key = key_at(j);
        if (last_actor_ == kNoActor || key != last_int_key_) {
            last_actor_ = find_or_add_in_table(key, slot[j]);
            last_int_key_ = key;
        }
        actor[j] = last_actor_;
    }
}

// Staged rows whose keys are too sparse to be grouped by key range: through
// the table, a batch at a time, as if they had never been staged.
void FunnelReportBuffer::add_staged_through_table(const StagedRow* rows, std::size_t n, const std::int64_t* keys,
                                                  std::size_t n_keys) {
    std::uint32_t actor[kBatch];
    InterruptCheck check;
    for (std::size_t i = 0; i < n; i += kBatch) {
        const std::size_t k = std::min(kBatch, n - i);
        find_batch(k, [rows, i](std::size_t j) { return rows[i + j].key; }, actor);
        for (std::size_t j = 0; j < k; ++j) push_stored(actor[j], rows[i + j].ts, rows[i + j].mask);
        check.tick();
    }
    for (std::size_t i = 0; i < n_keys; i += kBatch) {
        const std::size_t k = std::min(kBatch, n_keys - i);
        find_batch(k, [keys, i](std::size_t j) { return keys[i + j]; }, actor);
        check.tick();
    }
}

void FunnelReportBuffer::flush() {
    flush_bytes();
    if (staging_) materialize_staged();
    const std::size_t n = pending_.size();
    if (n == 0) return;
    std::uint32_t actor[kBatch];
    find_batch(n, [this](std::size_t j) { return pending_[j].key; }, actor);
    for (std::size_t j = 0; j < n; ++j) push_event(actor[j], pending_[j].has_event, pending_[j].ts, pending_[j].mask);
    pending_.clear();
}

// Three rounds of prefetches, each reading what the one before brought in:
// the rows' slots, then the places of the keys those slots name, then the
// keys; the lookups that follow then find their lines in cache.
void FunnelReportBuffer::flush_bytes() {
    const std::size_t n = pending_bytes_.size();
    if (n == 0) return;
    while ((static_cast<std::size_t>(n_actors_) + n + 1) * 2 > slots_.size()) grow_slots();
    const std::size_t m = slots_.size() - 1;
    const PendingBytesRow* rows = pending_bytes_.data();
    const auto candidate = [&](const PendingBytesRow& r) {
        const ActorSlot& s = slots_[static_cast<std::size_t>(r.hash) & m];
        return s.ref != 0 && s.tag == r.hash ? s.ref - 1 : kNoActor;
    };
    for (std::size_t j = 0; j < n; ++j)
        __builtin_prefetch(slots_.data() + (static_cast<std::size_t>(rows[j].hash) & m));
    for (std::size_t j = 0; j < n; ++j) {
        const std::uint32_t a = candidate(rows[j]);
        if (a != kNoActor) __builtin_prefetch(key_offset_.data() + a);
    }
    for (std::size_t j = 0; j < n; ++j) {
        const std::uint32_t a = candidate(rows[j]);
        if (a != kNoActor) __builtin_prefetch(key_bytes_.data() + key_offset_[a]);
    }
    const unsigned char* keys = pending_key_bytes_.data();
    for (std::size_t j = 0; j < n; ++j) {
        const PendingBytesRow& r = rows[j];
        // Rows of one actor share their key's bytes in the batch (add_bytes).
        if (j == 0 || r.offset != rows[j - 1].offset || r.len != rows[j - 1].len || last_actor_ == kNoActor)
            last_actor_ = find_or_add_bytes(keys + r.offset, r.len, r.hash);
        push_event(last_actor_, r.has_event, r.ts, r.mask);
    }
    pending_bytes_.clear();
    pending_key_bytes_.clear();
}

void FunnelReportBuffer::check_mergeable(const FunnelReportBuffer& other) const {
    if (other.kind_ != kind_ || other.spec_ != spec_)
        fail(ErrorKind::InvalidParameter,
             "cannot combine funnel_report states with different actor types, windows, steps, step names or modes");
}

void FunnelReportBuffer::merge(FunnelReportBuffer& other) {
    if (&other == this) fail(ErrorKind::Internal, "funnel_report: a state merged into itself");
    flush();
    other.flush();
    check_mergeable(other);
    if (n_actors_ == 0 && events() == 0) {
        copy_from(other);
        return;
    }
    if (ordered_ && other.ordered_) {
        merge_ordered(other);
        return;
    }
    reserve_actors(static_cast<std::size_t>(n_actors_) + other.n_actors_);
    PodArray<std::uint32_t> remap(hooks_);
    remap.resize(other.n_actors_);
    InterruptCheck check;
    // The table does not grow in this loop (reserved above): fetch the slots a
    // few keys ahead, as flush does for a batch.
    constexpr std::uint32_t kAhead = 16;
    const bool prefetch = !ordered_ && slots_.size() != 0;
    for (std::uint32_t b = 0; b < other.n_actors_; ++b) {
        if (prefetch && b + kAhead < other.n_actors_)
            __builtin_prefetch(slots_.data() + (other.actor_hash(b + kAhead) & (slots_.size() - 1)));
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
    ordered_ = other.ordered_;
    shuffled_ = other.shuffled_;
    known_level_.assign(other.known_level_);
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

// Both buffers have increasing integer keys: one pass over both key lists gives
// the merged actors, still in key order, and one pass over both event lists
// keeps the events grouped. An actor found in one buffer keeps its known level;
// one found in both must be scanned again.
void FunnelReportBuffer::merge_ordered(const FunnelReportBuffer& other) {
    const std::uint32_t n = n_actors_, m = other.n_actors_;
    PodArray<std::uint32_t> mine(hooks_), theirs(hooks_);
    mine.resize_for_overwrite(n);
    theirs.resize_for_overwrite(m);
    PodArray<std::int64_t> keys(hooks_);
    keys.resize_for_overwrite(static_cast<std::size_t>(n) + m);
    const bool any_known = !known_level_.empty() || !other.known_level_.empty();
    PodArray<std::uint8_t> level(hooks_);
    if (any_known) level.resize_for_overwrite(static_cast<std::size_t>(n) + m);
    const std::int64_t* ka = int_keys_.data();
    const std::int64_t* kb = other.int_keys_.data();
    const std::uint8_t* la = known_level_.empty() ? nullptr : known_level_.data();
    const std::uint8_t* lb = other.known_level_.empty() ? nullptr : other.known_level_.data();
    std::int64_t* k = keys.data();
    std::uint8_t* l = level.data();
    std::uint32_t i = 0, j = 0, id = 0;
    while (i < n && j < m) {
        std::uint8_t lvl;
        if (ka[i] < kb[j]) {
            k[id] = ka[i];
            lvl = la ? la[i] : kUnknownLevel;
            mine[i++] = id;
        } else if (kb[j] < ka[i]) {
            k[id] = kb[j];
            lvl = lb ? lb[j] : kUnknownLevel;
            theirs[j++] = id;
        } else {
            k[id] = ka[i];
            lvl = kUnknownLevel;
            mine[i++] = id;
            theirs[j++] = id;
        }
        if (l) l[id] = lvl;
        ++id;
    }
    for (; i < n; ++i, ++id) {
        k[id] = ka[i];
        if (l) l[id] = la ? la[i] : kUnknownLevel;
        mine[i] = id;
    }
    for (; j < m; ++j, ++id) {
        k[id] = kb[j];
        if (l) l[id] = lb ? lb[j] : kUnknownLevel;
        theirs[j] = id;
    }
    if (id > kMaxActors) too_many_actors();
    keys.resize_for_overwrite(id);
    if (any_known) level.resize_for_overwrite(id);

    PodArray<PackedEvent> merged(hooks_);
    merged.resize_for_overwrite(events() + other.events());
    PackedEvent* out = merged.data();
    const auto stored = [&](const PackedEvent& e) { return wide_ ? mask_id(other.mask_of(e.mask)) : e.mask; };
    InterruptCheck check;
    if (grouped_ && other.grouped_ && stragglers_.empty() && other.stragglers_.empty()) {
        // Both grouped by actor in key order: interleave the runs.
        const PackedEvent* a = events_.data();
        const PackedEvent* b = other.events_.data();
        const PackedEvent* a_end = a + events_.size();
        const PackedEvent* b_end = b + other.events_.size();
        while (a != a_end || b != b_end) {
            if (b == b_end || (a != a_end && mine[a->actor] <= theirs[b->actor])) {
                const std::uint32_t from = a->actor, to = mine[from];
                for (; a != a_end && a->actor == from; ++a) *out++ = PackedEvent{a->ts, to, a->mask};
            } else {
                const std::uint32_t from = b->actor, to = theirs[from];
                for (; b != b_end && b->actor == from; ++b) *out++ = PackedEvent{b->ts, to, stored(*b)};
            }
            check.tick();
        }
    } else {
        for_each_event([&](const PackedEvent& e) { *out++ = PackedEvent{e.ts, mine[e.actor], e.mask}; });
        other.for_each_event([&](const PackedEvent& e) { *out++ = PackedEvent{e.ts, theirs[e.actor], stored(e)}; });
        stragglers_.clear();
        grouped_ = merged.size() == 0;
    }
    shuffled_ = shuffled_ || other.shuffled_;
    n_actors_ = id;
    int_keys_.swap(keys);
    known_level_.swap(level);
    events_.swap(merged);
    last_actor_ = kNoActor;
}

}  // namespace pgf
