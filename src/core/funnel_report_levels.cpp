// The final step of FunnelReportBuffer: its events grouped by actor in place,
// each actor's level, the union of several workers' states, and a worker's share
// of that step before its state is sent (settled levels, actors renumbered in key
// order). Adding rows and merging: funnel_report.cpp.
#include <algorithm>
#include <cstring>

#include "core/bucket_sort.hpp"
#include "core/error.hpp"
#include "core/funnel_report.hpp"
#include "core/interrupt.hpp"

namespace pgf {

// In-place bucket sort by actor (in two passes for many events). Afterwards
// the buffer is grouped, ascending by actor.
void FunnelReportBuffer::group_by_actor() {
    if (grouped_) return;
    const std::size_t n = events_.size();
    if (n == 0 || n_actors_ == 0) {
        grouped_ = true;
        return;
    }
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
    // Moving each event straight to its actor's place is a chain of dependent
    // cache misses when the events are many (about 100 ns an event at 10M
    // events). So the events first go to buckets of consecutive actors, few
    // enough that their write heads stay in cache, and then to their actor's
    // place within the bucket, which fits in cache. Both passes are in place.
    unsigned shift = 0;
    if (n > kCacheEvents) {
        while ((static_cast<std::size_t>(n_actors_ - 1) >> shift) >= kMaxBuckets ||
               n / ((static_cast<std::size_t>(n_actors_ - 1) >> shift) + 1) < kCacheEvents / 4)
            ++shift;
    }
    const std::size_t n_buckets = (static_cast<std::size_t>(n_actors_ - 1) >> shift) + 1;
    const auto bucket_actors = [&](std::size_t b, std::uint32_t* first, std::uint32_t* last) {
        *first = static_cast<std::uint32_t>(b << shift);
        *last = static_cast<std::uint32_t>(std::min((b + 1) << shift, static_cast<std::size_t>(n_actors_)));
    };
    if (shift > 0) {
        PodArray<std::uint64_t> head(hooks_), stop(hooks_);
        head.resize(n_buckets);
        stop.resize(n_buckets);
        for (std::size_t b = 0; b < n_buckets; ++b) {
            std::uint32_t first, last;
            bucket_actors(b, &first, &last);
            head[b] = next[first];
            stop[b] = end[last - 1];
        }
        place_in_groups(ev, n, head.data(), stop.data(), 0, n_buckets,
                        [shift](const PackedEvent& e) { return std::size_t{e.actor} >> shift; }, check);
    }
    for (std::size_t b = 0; b < n_buckets; ++b) {
        std::uint32_t first, last;
        bucket_actors(b, &first, &last);
        if (shift > 0)  // written long ago by the first pass: read in ahead of the random moves
            for (std::size_t i = next[first]; i < end[last - 1]; i += 4) __builtin_prefetch(ev + i, 1);
        place_in_groups(ev, n, next.data(), end.data(), first, last,
                        [](const PackedEvent& e) { return std::size_t{e.actor}; }, check);
    }
    grouped_ = true;
}

// Calls f(actor, level) for every actor with buffered rows whose level is not
// known, in actor order.
template <typename F>
void FunnelReportBuffer::scan_unsettled(F&& f) {
    group_by_actor();
    // Stragglers by actor, then each actor's rows: its run in events_ plus its
    // stragglers (actors may have either or both).
    std::sort(stragglers_.data(), stragglers_.data() + stragglers_.size(),
              [](const PackedEvent& a, const PackedEvent& b) { return a.actor < b.actor; });
    PodArray<Event> scratch(hooks_);
    InterruptCheck check;
    const bool some_known = !known_level_.empty();
    const std::size_t n = events_.size(), ns = stragglers_.size();
    const PackedEvent* ev = events_.data();
    const PackedEvent* st = stragglers_.data();
    std::size_t i = 0, k = 0;
    while (i < n || k < ns) {
        const std::uint32_t a = i < n && (k == ns || ev[i].actor <= st[k].actor) ? ev[i].actor : st[k].actor;
        if (some_known && known_level_[a] != kUnknownLevel) {
            while (i < n && ev[i].actor == a) ++i;
            while (k < ns && st[k].actor == a) ++k;
            check.tick();
            continue;
        }
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
        f(a, funnel_level(spec_, scratch.data(), scratch.size()));
    }
}

std::vector<std::int64_t> FunnelReportBuffer::levels() {
    flush();
    std::vector<std::int64_t> at_level(static_cast<std::size_t>(spec_.n_steps) + 1, 0);
    std::int64_t scanned = 0;
    scan_unsettled([&](std::uint32_t, int level) {
        ++at_level[static_cast<std::size_t>(level)];
        ++scanned;
    });
    std::int64_t unsettled = n_actors_;
    if (!known_level_.empty()) {
        for (std::uint32_t a = 0; a < n_actors_; ++a)
            if (known_level_[a] != kUnknownLevel) {
                ++at_level[known_level_[a]];
                --unsettled;
            }
    }
    // Actors without buffered rows (NULL times, rows matching no step).
    at_level[0] += unsettled - scanned;
    return at_level;
}

std::vector<std::int64_t> FunnelReportBuffer::levels_of_union(FunnelReportBuffer* const* parts, std::size_t n) {
    if (n == 0) fail(ErrorKind::Internal, "funnel_report: no state to report");
    const FunnelSpec& spec = parts[0]->spec_;
    struct Cursor {
        const FunnelReportBuffer* part;
        const std::int64_t* key;  // the part's next actor's key; actors are numbered in key order
        std::uint32_t actor, n_actors;
        const PackedEvent *ev, *ev_end, *st, *st_end;  // events and stragglers, both by actor
    };
    PodArray<Cursor> cursors(parts[0]->hooks_);
    for (std::size_t p = 0; p < n; ++p) {
        FunnelReportBuffer& b = *parts[p];
        b.flush();
        if (!b.ordered_) fail(ErrorKind::Internal, "funnel_report: a state without its keys in order");
        parts[0]->check_mergeable(b);
        b.group_by_actor();
        std::sort(b.stragglers_.data(), b.stragglers_.data() + b.stragglers_.size(),
                  [](const PackedEvent& x, const PackedEvent& y) { return x.actor < y.actor; });
        cursors.push_back(Cursor{&b, b.int_keys_.data(), 0, b.n_actors_, b.events_.data(),
                                 b.events_.data() + b.events_.size(), b.stragglers_.data(),
                                 b.stragglers_.data() + b.stragglers_.size()});
    }
    std::vector<std::int64_t> at_level(static_cast<std::size_t>(spec.n_steps) + 1, 0);
    PodArray<Event> scratch(parts[0]->hooks_);
    InterruptCheck check;
    for (;;) {
        // The smallest next key, and how many parts have it.
        const Cursor* first = nullptr;
        std::size_t holders = 0;
        for (std::size_t p = 0; p < n; ++p) {
            const Cursor& c = cursors[p];
            if (c.actor == c.n_actors) continue;
            if (!first || *c.key < *first->key) {
                first = &c;
                holders = 1;
            } else if (*c.key == *first->key) {
                ++holders;
            }
        }
        if (!first) break;
        const std::int64_t key = *first->key;
        const std::uint8_t known = holders == 1 && !first->part->known_level_.empty()
                                       ? first->part->known_level_[first->actor]
                                       : kUnknownLevel;
        scratch.clear();
        for (std::size_t p = 0; p < n; ++p) {
            Cursor& c = cursors[p];
            if (c.actor == c.n_actors || *c.key != key) continue;
            const std::uint32_t a = c.actor;
            if (known != kUnknownLevel) {
                while (c.ev != c.ev_end && c.ev->actor == a) ++c.ev;
                while (c.st != c.st_end && c.st->actor == a) ++c.st;
            } else {
                for (; c.ev != c.ev_end && c.ev->actor == a; ++c.ev)
                    scratch.push_back(Event{c.ev->ts, c.part->mask_of(c.ev->mask)});
                for (; c.st != c.st_end && c.st->actor == a; ++c.st)
                    scratch.push_back(Event{c.st->ts, c.part->mask_of(c.st->mask)});
            }
            ++c.actor;
            ++c.key;
        }
        int level = known;
        if (known == kUnknownLevel) {
            sort_events(scratch.data(), scratch.size());
            level = scratch.empty() ? 0 : funnel_level(spec, scratch.data(), scratch.size());
        }
        ++at_level[static_cast<std::size_t>(level)];
        check.tick();
    }
    return at_level;
}

void FunnelReportBuffer::settle_levels() {
    flush();
    if (!ordered_) {
        if (kind_ == ActorKeyKind::Integer && null_actor_ == kNoActor) renumber_in_key_order();
        return;
    }
    // Keys that came in random order (now in order, staged): most actors are
    // in every worker's share, so settling here would be work done twice.
    if (shuffled_) return;
    if (known_level_.empty()) {
        known_level_.reserve(n_actors_);
        for (std::uint32_t a = 0; a < n_actors_; ++a) known_level_.push_back(kUnknownLevel);
    }
    PodArray<std::uint8_t> settled(hooks_);
    settled.assign(known_level_);
    scan_unsettled([&](std::uint32_t a, int level) { settled[a] = static_cast<std::uint8_t>(level); });
    // Actors without buffered rows are at level 0.
    for (std::uint32_t a = 0; a < n_actors_; ++a)
        if (settled[a] == kUnknownLevel) settled[a] = 0;
    known_level_.assign(settled);
}

namespace {

struct KeyActor {
    std::int64_t key;
    std::uint32_t actor;
};

// Least significant digit first radix sort by key, a byte at a time, skipping
// the bytes all keys share (a million keys below 2^20 take three passes): the
// comparison sort of a worker's million actors was 7% of a parallel report's CPU time.
void sort_by_key(const MemoryHooks& hooks, KeyActor* a, std::size_t n) {
    if (n < 2) return;
    PodArray<KeyActor> other(hooks);
    other.resize_for_overwrite(n);
    KeyActor* scratch = other.data();
    std::size_t count[8][256] = {};
    const auto digits = [](const KeyActor& x) { return static_cast<std::uint64_t>(x.key) ^ (std::uint64_t{1} << 63); };
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = digits(a[i]);
        for (unsigned d = 0; d < 8; ++d) ++count[d][(k >> (8 * d)) & 0xff];
    }
    KeyActor* from = a;
    KeyActor* to = scratch;
    const std::uint64_t first = digits(a[0]);
    for (unsigned d = 0; d < 8; ++d) {
        std::size_t* c = count[d];
        if (c[(first >> (8 * d)) & 0xff] == n) continue;
        std::size_t sum = 0;
        for (std::size_t b = 0; b < 256; ++b) {
            const std::size_t here = c[b];
            c[b] = sum;
            sum += here;
        }
        for (std::size_t i = 0; i < n; ++i) to[c[(digits(from[i]) >> (8 * d)) & 0xff]++] = from[i];
        std::swap(from, to);
    }
    if (from != a) std::memcpy(a, from, n * sizeof(KeyActor));
}

}  // namespace

// Keys that came in random order: the actors are renumbered in key order and
// the events grouped by actor, the form a clustered table's rows give, so that
// the leader merges the workers' states in one pass over both (merge_ordered)
// instead of looking up every actor and regrouping every event alone. No level
// is settled: with keys in random order most actors are in every worker's share.
void FunnelReportBuffer::renumber_in_key_order() {
    const std::uint32_t n = n_actors_;
    PodArray<KeyActor> order(hooks_);
    order.resize_for_overwrite(n);
    for (std::uint32_t a = 0; a < n; ++a) order[a] = KeyActor{int_keys_[a], a};
    sort_by_key(hooks_, order.data(), n);
    PodArray<std::uint32_t> rank(hooks_);
    rank.resize_for_overwrite(n);
    for (std::uint32_t r = 0; r < n; ++r) {
        rank[order[r].actor] = r;
        int_keys_[r] = order[r].key;
    }
    if (!known_level_.empty()) {
        PodArray<std::uint8_t> level(hooks_);
        level.resize_for_overwrite(n);
        for (std::uint32_t r = 0; r < n; ++r) level[r] = known_level_[order[r].actor];
        known_level_.swap(level);
    }
    for (std::size_t i = 0; i < stragglers_.size(); ++i) events_.push_back(stragglers_[i]);
    stragglers_.clear();
    for (std::size_t i = 0; i < events_.size(); ++i) events_[i].actor = rank[events_[i].actor];
    grouped_ = false;
    group_by_actor();
    PodArray<ActorSlot> no_slots(hooks_);
    slots_.swap(no_slots);
    ordered_ = true;
    shuffled_ = true;
    last_actor_ = kNoActor;
}

std::size_t FunnelReportBuffer::settled_actors() const {
    std::size_t n = 0;
    for (std::size_t a = 0; a < known_level_.size(); ++a) n += known_level_[a] != kUnknownLevel;
    return n;
}

}  // namespace pgf
