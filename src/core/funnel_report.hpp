// funnel_report: the whole funnel report (actors per level) in one aggregate over
// the raw events, without a per-actor GROUP BY. The buffer keeps its own table of
// actors (open addressing over exact keys: 64-bit integers or byte strings, never
// a hash alone) and every buffered event as 16 bytes; at the end it groups the
// events by actor in place and runs the same scan as funnel_steps
// (funnel_level) on each actor, so the answer is exactly that of
//   SELECT level, count(*) FROM (SELECT funnel_steps(...) AS level ... GROUP BY actor) GROUP BY level.
// Semantics and formulas: docs/funnel.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "core/event.hpp"
#include "core/funnel.hpp"
#include "core/pod_array.hpp"

namespace pgf {

// One buffered event: 16 bytes. `mask` is the step mask itself when the funnel
// has at most 32 steps, else an index into the buffer's table of distinct masks.
struct PackedEvent {
    std::int64_t ts;
    std::uint32_t actor;
    std::uint32_t mask;
};
static_assert(sizeof(PackedEvent) == 16, "a buffered event is 16 bytes");

enum class ActorKeyKind : std::uint8_t { Integer = 0, Bytes = 1 };

// A slot of the actor table: the integer key itself (or a byte key's hash and
// length) next to the actor, so a probe reads one cache line, not the slot and
// then the key.
struct ActorSlot {
    std::uint64_t tag;
    std::uint32_t ref;         // actor + 1; 0 = empty
    std::uint32_t key_length;  // byte keys; 0 for integer keys
};

// An integer-key row waiting for its actor (FunnelReportBuffer::flush).
struct PendingRow {
    std::int64_t key;
    std::int64_t ts;
    std::uint64_t mask;
    bool has_event;
};

// An integer-key row staged while keys arrive out of order (materialize_staged),
// with its mask as stored (a wide funnel's mask index). A row that only makes
// its actor count (no time, or no step matched) is staged as its key alone.
struct StagedRow {
    std::int64_t key;
    std::int64_t ts;
    std::uint32_t mask;
    std::uint32_t unused;
};
static_assert(sizeof(StagedRow) == 24, "a staged row is 24 bytes");

// A byte-key row waiting for its actor: its key is a copy in the batch's own
// bytes (the host's value does not outlive the call).
struct PendingBytesRow {
    std::uint64_t hash;
    std::uint64_t offset;  // into the batch's key bytes
    std::uint32_t len;
    bool has_event;
    std::int64_t ts;
    std::uint64_t mask;
};

class FunnelReportBuffer {
public:
    FunnelReportBuffer(const MemoryHooks& hooks, ActorKeyKind kind, const FunnelSpec& spec);

    ActorKeyKind key_kind() const { return kind_; }
    const FunnelSpec& spec() const { return spec_; }
    std::size_t actors() const { return n_actors_; }
    std::size_t events() const { return events_.size() + stragglers_.size(); }
    // Bytes held: events, actor table and keys (for the docs and tests).
    std::size_t bytes_used() const;

    // One input row. `has_event` false (a NULL time, or a row matching no step
    // when it cannot matter): the actor still counts, at level 0 unless its other
    // rows take it further. A row with mask 0 is buffered only under strict_order.
    // Integer keys out of order wait in a small batch for their actor (flush).
    void add_integer(std::int64_t key, bool has_event, std::int64_t ts, std::uint64_t mask);
    void add_bytes(const void* key, std::size_t len, bool has_event, std::int64_t ts, std::uint64_t mask);
    void add_null_actor(bool has_event, std::int64_t ts, std::uint64_t mask);

    // Finds the actors of the rows waiting in the batch and buffers them. With
    // keys in random order each lookup is a cache miss (a byte key: three, the
    // slot, the key's place, the key); a batch issues its misses together
    // (prefetch) instead of one after another. Every reader below calls it
    // first; actors(), events() and bytes_used() count what was there at the
    // last call.
    void flush();

    // Adds every actor and event of `other` (same key kind and spec, else
    // InvalidParameter). Into an empty buffer it is a plain copy. Flushes both.
    void merge(FunnelReportBuffer& other);
    // InvalidParameter unless `other` has the same key kind and spec (merge and
    // levels_of_union check it too).
    void check_mergeable(const FunnelReportBuffer& other) const;
    // Room for this many actors in all without growing the table.
    void reserve_actors(std::size_t n);

    // Actors per level: result[L] = actors whose deepest level is exactly L,
    // L = 0..n_steps. Groups the events by actor in place (the multiset of events
    // is unchanged, so rows may still be added afterwards).
    std::vector<std::int64_t> levels();

    // A parallel worker's share of the final step, before its state is sent:
    // when the actor keys arrived in increasing order (a table clustered by
    // actor, where an actor is rarely split between workers), computes every
    // actor's level from its own rows. The levels travel with the state; after
    // the states are merged, an actor found in one state only keeps its level
    // and levels() scans just the actors found in several. Otherwise (keys in no
    // order: most actors are in every worker's share) no level is settled, but
    // integer keys are put in order (actors renumbered, events grouped) so that
    // the leader merges the states in one pass all the same.
    void settle_levels();
    // levels() of the merge of `parts`, without building it: one pass over all
    // their key lists at once, each actor's rows gathered from every part that
    // has it (an actor in one part only keeps its settled level). For a
    // parallel plan's leader, which would otherwise copy every worker's rows
    // into a merged buffer (merge) only to scan them once. Every part must have
    // its keys in order (keys_in_order(), as settle_levels leaves integer keys;
    // Internal otherwise) and the same spec (InvalidParameter otherwise). Groups
    // each part's events in place, like levels().
    static std::vector<std::int64_t> levels_of_union(FunnelReportBuffer* const* parts, std::size_t n);
    // Actors whose level is already known (tests, docs).
    std::size_t settled_actors() const;
    // True while actor keys are in increasing order (no hash table). False
    // while rows are staged (flush puts them in order, or into the table).
    bool keys_in_order() const { return ordered_; }

    // Visits every buffered time (for host-side range checks after decoding).
    template <typename F>
    void for_each_time(F&& f) const {
        for (std::size_t i = 0; i < events_.size(); ++i) f(events_[i].ts);
        for (std::size_t i = 0; i < stragglers_.size(); ++i) f(stragglers_[i].ts);
    }

    // Binary state for parallel workers (little endian, version 4):
    //   u8 version, u8 key kind, u8 n_steps, u8 host tag, u32 modes, i64 window,
    //   u32 null actor index (0xffffffff: none), u32 actors, u64 events, u32 masks,
    //   u32 flags (bit 0: per-actor levels follow the events; bit 1: keys as a
    //   bitmap), u64 steps id,
    //   keys: bitmap (flag bit 1, integer keys in increasing order, no NULL
    //   actor): i64 first key, u64 span, (span / 8 + 1) bytes whose bit k says
    //   whether first + k is an actor, bit 0 and bit span set, nothing beyond;
    //   else Integer: i64 each; Bytes: u32 length + bytes each,
    //   masks (only when n_steps > 32): u64 each,
    //   counts: per actor, how many events it has (LEB128 varint),
    //   events, by actor: i64 ts, then the stored mask in 1 byte (n_steps <= 8),
    //   2 bytes (<= 16) or 4 bytes (more, or an index into the masks),
    //   levels (flag bit 0): u8 per actor, its final level or 0xff (not known).
    // `host_tag` is an opaque byte of the host's (its time type); it is returned
    // by decode. encoded_size flushes and groups the events by actor, and throws
    // LimitExceeded above `max_size`; encode needs it called first (Internal
    // otherwise).
    std::size_t encoded_size(std::size_t max_size);
    void encode(std::uint8_t host_tag, unsigned char* out) const;
    // The header of an encoded state (CorruptState when it is not one), then the
    // rest into an empty buffer built from that header. decode_into validates
    // every byte: lengths, distinct keys and masks, indexes in range, masks within
    // the steps, unmatched rows only under strict_order.
    struct Header {
        ActorKeyKind kind;
        FunnelSpec spec;
        std::uint8_t host_tag;
    };
    static Header decode_header(const unsigned char* in, std::size_t len);
    void decode_into(const unsigned char* in, std::size_t len);

private:
    std::size_t mask_bytes() const;
    bool keys_as_bitmap() const;
    template <typename F>
    void for_each_actor_events(F&& f) const;
    template <std::size_t kMaskBytes>
    unsigned char* put_events(unsigned char* counts, unsigned char* out) const;
    template <std::size_t kMaskBytes>
    const unsigned char* get_events(const unsigned char* counts, const unsigned char* in, std::uint32_t n_actors,
                                    std::uint32_t n_masks);
    std::size_t counts_size_ = 0;  // bytes of the encoded counts (encoded_size)
    static constexpr std::uint8_t kUnknownLevel = 0xff;
    static constexpr std::uint32_t kMaxActors = 0xfffffffeu;
    [[noreturn]] static void too_many_actors();

    std::uint32_t find_or_add_integer(std::int64_t key);
    std::uint32_t find_or_add_in_table(std::int64_t key, std::size_t slot);
    std::uint32_t append_or_find_ordered(std::int64_t key);
    void leave_order();
    void renumber_in_key_order();
    void merge_ordered(const FunnelReportBuffer& other);
    template <typename F>
    void scan_unsettled(F&& f);
    std::uint32_t find_or_add_bytes(const unsigned char* key, std::uint32_t len, std::uint64_t hash);
    std::uint32_t null_actor();
    std::uint32_t new_actor();
    void grow_slots();
    void rebuild_slots(std::size_t cap);
    void copy_from(const FunnelReportBuffer& other);
    std::uint32_t mask_id(std::uint64_t mask);
    std::uint64_t mask_of(std::uint32_t stored) const { return wide_ ? masks_[stored] : stored; }
    void push_event(std::uint32_t actor, bool has_event, std::int64_t ts, std::uint64_t mask);
    std::uint32_t stored_mask(std::uint64_t mask);
    void push_stored(std::uint32_t actor, std::int64_t ts, std::uint32_t stored);
    template <typename KeyAt>
    void find_batch(std::size_t k, KeyAt key_at, std::uint32_t* actor);
    void stage(std::int64_t key, bool has_event, std::int64_t ts, std::uint64_t mask);
    void push_staged(const StagedRow& r);
    void push_staged_key(std::int64_t key);
    void unstage_actors();
    void materialize_staged();
    std::size_t materialize_by_key_range(PodArray<StagedRow>& staged, const PodArray<std::int64_t>& keys);
    void add_staged_through_table(const StagedRow* rows, std::size_t n, const std::int64_t* keys, std::size_t n_keys);
    void group_by_actor();
    const unsigned char* key_bytes(std::uint32_t actor, std::uint32_t* len) const;
    std::uint64_t actor_hash(std::uint32_t actor) const;
    std::uint64_t actor_tag(std::uint32_t actor) const;

    MemoryHooks hooks_;
    ActorKeyKind kind_;
    FunnelSpec spec_;
    bool wide_;               // n_steps > 32: masks go through masks_
    bool keep_unmatched_;     // strict_order: rows matching no step are buffered
    bool grouped_ = true;     // events_ are in nondecreasing actor order
    // Integer keys only: actors are numbered in increasing key order and there
    // is no NULL actor, so a new key above the last one needs no hash table
    // (slots_ stays empty) and two such buffers merge in one pass.
    bool ordered_;

    std::uint32_t n_actors_ = 0;
    std::uint32_t null_actor_ = kNoActor;
    static constexpr std::uint32_t kNoActor = 0xffffffffu;

    // Open addressing, linear probing: slot = actor + 1, 0 = empty.
    PodArray<ActorSlot> slots_;
    PodArray<std::int64_t> int_keys_;      // Integer: per actor
    PodArray<std::uint64_t> key_offset_;   // Bytes: per actor, into key_bytes_
    PodArray<std::uint32_t> key_length_;
    PodArray<std::uint64_t> key_hash_;
    PodArray<unsigned char> key_bytes_;

    PodArray<std::uint64_t> masks_;        // wide: distinct masks
    PodArray<std::uint32_t> mask_slots_;   // wide: open addressing over masks_

    // Empty (no level known), or per actor its final level or kUnknownLevel.
    // An actor that gets a row afterwards becomes unknown again.
    PodArray<std::uint8_t> known_level_;

    PodArray<PackedEvent> events_;
    // While events_ is grouped, the few rows that arrive out of actor order (an
    // actor seen again later, as at the edges of a parallel worker's blocks) wait
    // here and are merged in per actor at the end; when they grow beyond a small
    // share, they join events_, which is then bucket-sorted at the end.
    PodArray<PackedEvent> stragglers_;

    // Integer keys that leave increasing order (a table in random actor order)
    // are not looked up row by row, a cache miss each in a table of millions of
    // actors: the rows are staged, and flush sorts them by key range in cache-
    // sized buckets, numbering the actors in key order (funnel_report_staging.cpp).
    bool staging_ = false;
    // Keys arrived out of order at least once (settle_levels settles nothing then).
    bool shuffled_ = false;
    PodArray<StagedRow> staged_;
    // Actors staged without an event: most rows of a funnel over a few of many
    // event names, at 8 bytes each, and they need no grouping (a bit per key).
    PodArray<std::int64_t> staged_keys_;
    std::int64_t staged_min_ = INT64_MAX, staged_max_ = INT64_MIN;
    static constexpr std::size_t kStagedBucketRows = 8192;
    static constexpr std::size_t kDenseKeys = 8;  // key span per staged row at most, else the table

    static constexpr std::size_t kBatch = 64;
    PodArray<PendingRow> pending_;  // at most kBatch rows, only while !ordered_
    PodArray<PendingBytesRow> pending_bytes_;   // at most kBatch rows
    PodArray<unsigned char> pending_key_bytes_;  // their keys
    static constexpr std::size_t kBatchKeyBytes = std::size_t{1} << 16;  // flushed beyond
    void flush_bytes();

    // group_by_actor: events that fit in cache are sorted in one pass; more go
    // to at most kMaxBuckets buckets first, of about kCacheEvents / 4 or more.
    static constexpr std::size_t kCacheEvents = std::size_t{1} << 16;
    static constexpr std::size_t kMaxBuckets = 1024;
    template <typename F>
    void for_each_event(F&& f) const {
        for (std::size_t i = 0; i < events_.size(); ++i) f(events_[i]);
        for (std::size_t i = 0; i < stragglers_.size(); ++i) f(stragglers_[i]);
    }

    // The last actor seen: consecutive rows of one actor skip the table.
    std::uint32_t last_actor_ = kNoActor;
    std::int64_t last_int_key_ = 0;
};

}  // namespace pgf
