// FunnelReportBuffer's rows with integer keys out of order (a table stored in
// random actor order). Looking each row's actor up in a table of a million
// actors is a cache miss per row, and grouping the rows by actor at the end is
// another. Instead the rows are staged as they come, and flush groups them by
// key: one in-place pass sends them to buckets of consecutive keys (about
// kStagedBucketRows rows each), then each bucket, which fits in cache, is
// counting-sorted by key. The actors come out numbered in key order and their
// events grouped, the form a clustered table gives (ordered_), so the final
// step needs no regrouping and a parallel leader merges states in one pass.
// Keys too sparse for counters per key (span above kDenseKeys per row) go
// through the table instead.
#include <algorithm>
#include <cstring>

#include "core/bucket_sort.hpp"
#include "core/error.hpp"
#include "core/funnel_report.hpp"
#include "core/interrupt.hpp"

namespace pgf {

void FunnelReportBuffer::push_staged(const StagedRow& r) {
    if (staged_.empty()) {
        staged_min_ = staged_max_ = r.key;
    } else {
        staged_min_ = std::min(staged_min_, r.key);
        staged_max_ = std::max(staged_max_, r.key);
    }
    staged_kept_ += r.keep;
    staged_.push_back(r);
}

void FunnelReportBuffer::stage(std::int64_t key, bool has_event, std::int64_t ts, std::uint64_t mask) {
    const bool keep = has_event && (mask != 0 || keep_unmatched_);
    push_staged(StagedRow{key, ts, keep ? stored_mask(mask) : 0, keep ? 1u : 0u});
}

// The actors buffered before staging began (their keys in order) are staged
// again, so that every key is grouped in one place.
void FunnelReportBuffer::unstage_actors() {
    if (!known_level_.empty() || null_actor_ != kNoActor)
        fail(ErrorKind::Internal, "funnel_report: staged rows with known levels or a NULL actor");
    staged_.reserve(staged_.size() + n_actors_ + events());
    for (std::uint32_t a = 0; a < n_actors_; ++a) push_staged(StagedRow{int_keys_[a], 0, 0, 0});
    for_each_event([this](const PackedEvent& e) { push_staged(StagedRow{int_keys_[e.actor], e.ts, e.mask, 1}); });
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
    const std::size_t kept = staged_kept_;
    staged_kept_ = 0;
    last_actor_ = kNoActor;
    const std::size_t n = rows.size();
    const std::uint64_t span = static_cast<std::uint64_t>(staged_max_) - static_cast<std::uint64_t>(staged_min_);
    if (span / kDenseKeys > n) {
        events_.reserve(events_.size() + kept);
        add_staged_through_table(rows.data(), n);
        return;
    }
    ordered_ = true;
    // The events are written over the staged rows (16 bytes over 24, never
    // ahead of the rows still to read), so they need no memory of their own.
    events_.adopt(rows, materialize_by_key_range(rows, n));
}

// Keys in [staged_min_, staged_min_ + span], span <= kDenseKeys * n: buckets of
// 2^shift consecutive keys, then a counter per key within each bucket. The
// events (of rows with keep = 1) go over the rows' own memory, grouped by actor
// in key order; returns how many. The buffer has no actors or events before.
std::size_t FunnelReportBuffer::materialize_by_key_range(PodArray<StagedRow>& staged, std::size_t n) {
    StagedRow* rows = staged.data();
    const std::uint64_t base = static_cast<std::uint64_t>(staged_min_);
    const std::uint64_t span = static_cast<std::uint64_t>(staged_max_) - base;
    const std::size_t want = std::min<std::size_t>(kMaxBuckets, std::max<std::size_t>(1, n / kStagedBucketRows));
    unsigned shift = 0;
    while (shift < 63 && (span >> shift) >= want) ++shift;
    const std::size_t n_buckets = static_cast<std::size_t>(span >> shift) + 1;
    const auto offset = [base](const StagedRow& r) { return static_cast<std::uint64_t>(r.key) - base; };
    InterruptCheck check;
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
        const std::size_t keys = static_cast<std::size_t>(std::min<std::uint64_t>(span - first_key, bucket_span)) + 1;
        std::memset(count.data(), 0, keys * sizeof(std::uint32_t));
        for (std::uint64_t i = lo; i < hi; ++i) ++count[static_cast<std::size_t>(offset(rows[i]) - first_key)];
        std::uint32_t at = 0;
        for (std::size_t k = 0; k < keys; ++k) {
            const std::uint32_t here = count[k];
            count[k] = at;
            at += here;
        }
        sorted.resize_for_overwrite(static_cast<std::size_t>(hi - lo));
        for (std::uint64_t i = lo; i < hi; ++i)
            sorted[count[static_cast<std::size_t>(offset(rows[i]) - first_key)]++] = rows[i];
        // count[k] is now the end of key k's rows in `sorted`.
        std::uint32_t from = 0;
        for (std::size_t k = 0; k < keys; ++k) {
            const std::uint32_t to = count[k];
            if (to == from) continue;
            const std::uint32_t a = new_actor();
            int_keys_[a] = static_cast<std::int64_t>(base + first_key + k);
            for (std::uint32_t i = from; i < to; ++i)
                if (sorted[i].keep) {
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
