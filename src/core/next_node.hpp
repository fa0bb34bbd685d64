// sequence_next_node(direction, base, ts, value, base_cond, VARIADIC steps):
// ClickHouse's sequenceNextNode, "what did the actor do right after (or before)
// this sequence". The values themselves stay with the caller: the core sees each
// row as (time, step mask, base flag, index of its value) plus a way to compare
// two values. Semantics and divergences: docs/journeys.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pgf {

enum class NextNodeDirection : std::uint8_t { Forward, Backward };
enum class NextNodeBase : std::uint8_t { Head, Tail, FirstMatch, LastMatch };

// "forward" / "backward" and "head" / "tail" / "first_match" / "last_match"
// (ASCII case-insensitive, surrounding spaces ignored); anything else throws
// InvalidParameter naming the valid values.
NextNodeDirection parse_next_node_direction(std::string_view text);
NextNodeBase parse_next_node_base(std::string_view text);

// Throws InvalidParameter for head + backward, tail + forward, first_match /
// last_match without a step, and LimitExceeded past kMaxSteps steps.
// n_steps may be 0 (then the answer is the base row's own value).
void check_next_node_spec(NextNodeDirection direction, NextNodeBase base, int n_steps);

struct NodeEvent {
    std::int64_t ts;
    std::uint64_t mask;   // bit i: the row satisfies step i + 1
    std::uint32_t value;  // the caller's index of the row's value (rows with a NULL value are not passed)
    bool can_be_base;     // base_cond
};

// Compares values by index: negative, 0 or positive as value a sorts before,
// equal to or after value b. ClickHouse orders the byte strings (memcmp, then
// length); value_bytes_compare does that for string_views (-1, 0 or 1).
using NodeValueCompare = int (*)(const void* context, std::uint32_t a, std::uint32_t b);
int value_bytes_compare(std::string_view a, std::string_view b);

// Sorts rows in the total order (ts, value, mask, can_be_base); ClickHouse sorts
// by (ts, value) and keeps arrival order among the remaining ties.
void sort_node_events(NodeEvent* ev, std::size_t n, NodeValueCompare compare, const void* context);

// The index (into ev) of the answer row, or -1 for NULL. `ev` must be sorted by
// sort_node_events. O(n) for first_match / last_match, O(n_steps) otherwise.
std::ptrdiff_t sequence_next_node(NextNodeDirection direction, NextNodeBase base, int n_steps,
                                  const NodeEvent* ev, std::size_t n);

// Rows that can still matter for head (the first n_steps + 1) or tail (the last
// n_steps + 1) once sorted: a state may keep only these. first_match and
// last_match need every row (returns n).
std::size_t next_node_rows_needed(NextNodeBase base, int n_steps, std::size_t n);

}  // namespace pgf
