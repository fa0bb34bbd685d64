// One pass of an in-place bucket sort (American flag sort), shared by the
// funnel_report buffer's grouping of events by actor and of staged rows by key.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/interrupt.hpp"

namespace pgf {

// Group g owns the slots [head[g], stop[g]) of v; every element in the slots of
// the groups [first, last) moves, along its cycle of swaps, to a free slot of
// its own group. head[g] ends at stop[g].
template <typename T, typename GroupOf>
void place_in_groups(T* v, std::size_t n, std::uint64_t* head, const std::uint64_t* stop, std::size_t first,
                     std::size_t last, GroupOf group_of, InterruptCheck& check) {
    for (std::size_t g = first; g < last; ++g) {
        for (std::size_t i = head[g]; i < stop[g]; i = head[g]) {
            T e = v[i];
            while (group_of(e) != g) {
                const std::size_t dst = head[group_of(e)]++;
                __builtin_prefetch(v + std::min(dst + 8, n - 1), 1);  // that group's next lines
                const T t = v[dst];
                v[dst] = e;
                e = t;
                check.tick();
            }
            v[i] = e;
            ++head[g];
            check.tick();
        }
    }
}

}  // namespace pgf
