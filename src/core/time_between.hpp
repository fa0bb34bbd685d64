// time_between: from an actor's first `from` event to the first `to` event at or
// after it. Order-insensitive and mergeable, so it works as a parallel aggregate
// and as a running window aggregate.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>

namespace pgf {

// Vec is any vector of int64 (std::vector in tests, a memory-context vector in
// PostgreSQL). Memory stays small: only `to` times earlier than the earliest
// `from` seen so far are kept (a max-heap), because an earlier `from` may still
// arrive and make them relevant; every later `to` folds into `best_to`.
template <typename Vec>
struct TimeBetween {
    explicit TimeBetween(Vec early) : early_to(std::move(early)) {}

    bool has_from = false;
    std::int64_t first_from = 0;
    bool has_best = false;
    std::int64_t best_to = 0;  // min `to` >= first_from
    Vec early_to;              // `to` times < first_from (or all, before any `from`), max-heap

    void add_from(std::int64_t t) {
        if (has_from && t >= first_from) return;
        has_from = true;
        first_from = t;
        while (!early_to.empty() && early_to.front() >= t) {
            fold(early_to.front());
            std::pop_heap(early_to.begin(), early_to.end());
            early_to.pop_back();
        }
    }

    void add_to(std::int64_t t) {
        if (has_from && t >= first_from) {
            fold(t);
            return;
        }
        early_to.push_back(t);
        std::push_heap(early_to.begin(), early_to.end());
    }

    template <typename OtherVec>
    void merge(const TimeBetween<OtherVec>& other) {
        if (other.has_from) add_from(other.first_from);
        if (other.has_best) add_to(other.best_to);
        for (std::int64_t t : other.early_to) add_to(t);
    }

    // The pair (first from, first to at or after it), if both exist.
    std::optional<std::pair<std::int64_t, std::int64_t>> result() const {
        if (!has_from || !has_best) return std::nullopt;
        return std::make_pair(first_from, best_to);
    }

private:
    void fold(std::int64_t t) {
        if (!has_best || t < best_to) {
            has_best = true;
            best_to = t;
        }
    }
};

}  // namespace pgf
