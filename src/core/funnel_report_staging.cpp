// FunnelReportBuffer's rows with integer keys out of order (a table stored in
// random actor order). Looking each row's actor up in a table of a million
// actors is a cache miss per row, and grouping the rows by actor at the end is
// another. Instead the rows are staged as they come, and flush groups them by
// key: one in-place pass sends them to buckets of consecutive keys (about
// kStagedBucketRows rows each), then each bucket, which fits in cache, is
// counting-sorted by key. The actors come out numbered in key order and their
// events grouped, the form a clustered table gives (ordered_), so the final
// step needs no regrouping and a parallel leader merges states in one pass.
// A row without an event (no step matched) only says its actor exists: its key
// alone is staged and becomes a bit, so it costs neither a place in the buckets
// nor an event. Keys too sparse for counters per key (span above kDenseKeys
// per row) go through the table instead.
#include <algorithm>
#include <cstring>

#include "core/bucket_sort.hpp"
#include "core/error.hpp"
#include "core/funnel_report.hpp"
#include "core/interrupt.hpp"

namespace pgf {

void FunnelReportBuffer::push_staged(const StagedRow& r) {
    staged_min_ = std::min(staged_min_, r.key);
    staged_max_ = std::max(staged_max_, r.key);
    staged_.push_back(r);
}

void FunnelReportBuffer::push_staged_key(std::int64_t key) {
    staged_min_ = std::min(staged_min_, key);
    staged_max_ = std::max(staged_max_, key);
    staged_keys_.push_back(key);
}

void FunnelReportBuffer::stage(std::int64_t key, bool has_event, std::int64_t ts, std::uint64_t mask) {
    if (has_event && (mask != 0 || keep_unmatched_))
        push_staged(StagedRow{key, ts, stored_mask(mask), 0});
    else
        push_staged_key(key);
}

// The actors buffered before staging began (their keys in order) are staged
// again, so that every key is grouped in one place.
void FunnelReportBuffer::unstage_actors() {
    if (!known_level_.empty() || null_actor_ != kNoActor)
        fail(ErrorKind::Internal, "funnel_report: staged rows with known levels or a NULL actor");
    staged_.reserve(staged_.size() + events());
    staged_keys_.reserve(staged_keys_.size() + n_actors_);
    for (std::uint32_t a = 0; a < n_actors_; ++a) push_staged_key(int_keys_[a]);
    for_each_event([this](const PackedEvent& e) { push_staged(StagedRow{int_keys_[e.actor], e.ts, e.mask, 0}); });
    n_actors_ = 0;
    int_keys_.clear();
    events_.clear();
    stragglers_.clear();
}

void FunnelReportBuffer::materialize_staged() {
    staging_ = false;
    if (n_actors_ != 0) unstage_actors();
    grouped_ = true;
    PodArray<StagedRow> rows(hooks_);
    rows.swap(staged_);
    PodArray<std::int64_t> keys(hooks_);
    keys.swap(staged_keys_);
    last_actor_ = kNoActor;
    const std::uint64_t span = static_cast<std::uint64_t>(staged_max_) - static_cast<std::uint64_t>(staged_min_);
    const std::size_t n = rows.size() + keys.size();
    if (span / kDenseKeys > n) {
        events_.reserve(events_.size() + rows.size());
        add_staged_through_table(rows.data(), rows.size(), keys.data(), keys.size());
    } else {
        ordered_ = true;
        // The events are written over the staged rows (16 bytes over 24, never
        // ahead of the rows still to read), so they need no memory of their own.
        const std::size_t n_events = materialize_by_key_range(rows, keys);
        events_.adopt(rows, n_events);
    }
    staged_min_ = INT64_MAX;
    staged_max_ = INT64_MIN;
}

// Keys in [staged_min_, staged_min_ + span], span <= kDenseKeys * (rows +
// keys): buckets of 2^shift consecutive keys, then a counter per key within
// each bucket. The events go over the rows' own memory, grouped by actor in key
// order; returns how many. The buffer has no actors or events before.
std::size_t FunnelReportBuffer::materialize_by_key_range(PodArray<StagedRow>& staged,
                                                         const PodArray<std::int64_t>& keys) {
    StagedRow* rows = staged.data();
    const std::size_t n = staged.size();
    const std::uint64_t base = static_cast<std::uint64_t>(staged_min_);
    const std::uint64_t span = static_cast<std::uint64_t>(staged_max_) - base;
    const std::size_t want =
        std::min<std::size_t>(kMaxBuckets, std::max<std::size_t>(1, (n + keys.size()) / kStagedBucketRows));
    unsigned shift = 0;
    while (shift < 63 && (span >> shift) >= want) ++shift;
    const std::size_t n_buckets = static_cast<std::size_t>(span >> shift) + 1;
    const auto offset = [base](const StagedRow& r) { return static_cast<std::uint64_t>(r.key) - base; };
    InterruptCheck check;
    // The actors without an event, a bit per key of the span (at most a byte per staged row).
    PodArray<std::uint64_t> seen(hooks_);
    seen.resize(static_cast<std::size_t>(span / 64) + 1);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::uint64_t k = static_cast<std::uint64_t>(keys[i]) - base;
        seen[static_cast<std::size_t>(k / 64)] |= std::uint64_t{1} << (k % 64);
    }
    PodArray<std::uint64_t> head(hooks_), stop(hooks_);
    head.resize(n_buckets);
    stop.resize_for_overwrite(n_buckets);
    for (std::size_t i = 0; i < n; ++i) ++head[static_cast<std::size_t>(offset(rows[i]) >> shift)];
    std::uint64_t sum = 0;
    for (std::size_t b = 0; b < n_buckets; ++b) {
        const std::uint64_t here = head[b];
        head[b] = sum;
        sum += here;
        stop[b] = sum;
    }
    if (n_buckets > 1) {
        // head[b] ends at stop[b]: the bucket's rows are [stop[b - 1], stop[b]).
        place_in_groups(rows, n, head.data(), stop.data(), 0, n_buckets,
                        [&](const StagedRow& r) { return static_cast<std::size_t>(offset(r) >> shift); }, check);
    }
    const std::uint64_t bucket_span = std::min<std::uint64_t>(span, (std::uint64_t{1} << shift) - 1);
    const std::size_t keys_per_bucket = static_cast<std::size_t>(bucket_span) + 1;
    PodArray<std::uint32_t> count(hooks_);
    count.resize_for_overwrite(keys_per_bucket);
    PodArray<StagedRow> sorted(hooks_);
    // Bytes, not PackedEvent*: the memory holds rows until each event is copied in.
    auto* out = reinterpret_cast<unsigned char*>(rows);
    std::size_t n_out = 0;
    std::uint64_t lo = 0;
    for (std::size_t b = 0; b < n_buckets; ++b) {
        const std::uint64_t hi = stop[b];
        // Positions within a bucket are 32-bit (the counters stay in cache).
        if (hi - lo > 0xffffffffu)
            fail(ErrorKind::LimitExceeded,
                 "funnel_report supports at most 4294967295 rows of nearby actor keys per group");
        const std::uint64_t first_key = static_cast<std::uint64_t>(b) << shift;
        const std::size_t n_keys =
            static_cast<std::size_t>(std::min<std::uint64_t>(span - first_key, bucket_span)) + 1;
        std::memset(count.data(), 0, n_keys * sizeof(std::uint32_t));
        for (std::uint64_t i = lo; i < hi; ++i) ++count[static_cast<std::size_t>(offset(rows[i]) - first_key)];
        std::uint32_t at = 0;
        for (std::size_t k = 0; k < n_keys; ++k) {
            const std::uint32_t here = count[k];
            count[k] = at;
            at += here;
        }
        sorted.resize_for_overwrite(static_cast<std::size_t>(hi - lo));
        for (std::uint64_t i = lo; i < hi; ++i)
            sorted[count[static_cast<std::size_t>(offset(rows[i]) - first_key)]++] = rows[i];
        // count[k] is now the end of key k's rows in `sorted`.
        std::uint32_t from = 0;
        for (std::size_t k = 0; k < n_keys; ++k) {
            const std::uint32_t to = count[k];
            const std::uint64_t key = first_key + k;
            if (to == from && !(seen[static_cast<std::size_t>(key / 64)] >> (key % 64) & 1)) continue;
            const std::uint32_t a = new_actor();
            int_keys_[a] = static_cast<std::int64_t>(base + key);
            for (std::uint32_t i = from; i < to; ++i) {
                const PackedEvent e{sorted[i].ts, a, sorted[i].mask};
                std::memcpy(out + sizeof(PackedEvent) * n_out++, &e, sizeof e);
            }
            from = to;
            check.tick();
        }
        lo = hi;
    }
    return n_out;
}

}  // namespace pgf
