// The micro-conversion family: micro_stats / micro_value (one 2x2 table plus the
// sum of macro values) and micro_correlations (one 2x2 table per event name,
// ranked). The counting states live at the PostgreSQL boundary; this file holds
// the ranking and the binary forms the parallel workers exchange.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/stats.hpp"

namespace pgf {

// ---- ranking ----------------------------------------------------------------

struct EventCount {
    std::string_view name;
    std::int64_t converted = 0;      // actors who did the event and converted (a)
    std::int64_t not_converted = 0;  // actors who did the event and did not convert (b)
};

struct CorrelationTotals {
    std::int64_t converted = 0;      // all actors who converted (a + c)
    std::int64_t not_converted = 0;  // all actors who did not (b + d)
};

struct CorrelationRow {
    std::string_view name;
    int rank = 0;  // 1-based
    Table2x2 table;
    TableStats stats;
    double q_value = 1.0;  // Benjamini-Hochberg over the reported rows
};

// PostHog's support rule: min(25, ceil(2% of the actors)).
std::int64_t default_min_support(std::int64_t actors);

// Validates min_support (>= 0, InvalidParameter).
void check_min_support(std::int64_t min_support);

// Rows for every event done by at least `min_support` actors, ranked by p-value
// (ascending), then |phi| (descending), then lift (descending), then name (byte
// order): rank 1 is the strongest evidence of an association, in either direction.
// Throws CorruptState when an event's counts exceed the totals.
std::vector<CorrelationRow> rank_correlations(const std::vector<EventCount>& events, const CorrelationTotals& totals,
                                              std::int64_t min_support);

// ---- binary forms -----------------------------------------------------------

// A sum of non-negative numeric values as PostgreSQL prints it: digits, optionally
// a point and digits, within the limits of PostgreSQL's numeric type (131072
// digits before the point, 16383 after), so that parsing it back cannot fail.
bool is_plain_decimal(std::string_view text);
constexpr std::size_t kMaxDecimalIntegerDigits = 131072;
constexpr std::size_t kMaxDecimalFractionDigits = 16383;
constexpr std::size_t kMaxDecimalText = kMaxDecimalIntegerDigits + 1 + kMaxDecimalFractionDigits;

// micro_stats / micro_value state: u8 version, u8 flags (0), u16 0, u64 a, b, c, d,
// u64 n_values, u32 sum length, sum text.
struct MicroState {
    Table2x2 table;
    std::int64_t n_values = 0;  // macro rows with a non-NULL value
    std::string_view sum;       // their sum, plain decimal; empty when n_values = 0
};
std::size_t micro_state_size(std::size_t sum_len);
void encode_micro_state(const MicroState& s, unsigned char* out);
// Throws CorruptState. The sum view points into `in`.
MicroState decode_micro_state(const unsigned char* in, std::size_t len);

// micro_correlations state: header, then one entry per event name.
//   u8 version, u8 flags (bit 0: values summed, bit 1: explicit min_support), u16 0,
//   u64 converted, u64 not_converted, u64 min_support, u64 n_values, u32 sum length,
//   sum text, u64 event count, then per event: u32 name length, name, u64 a, u64 b.
struct CorrelationHeader {
    bool with_value = false;
    bool explicit_min_support = false;
    std::int64_t min_support = 0;  // 0 unless explicit
    CorrelationTotals totals;
    std::int64_t n_values = 0;
    std::string_view sum;
    std::int64_t n_events = 0;
};
constexpr std::size_t kCorrelationEntryFixed = 4 + 8 + 8;
std::size_t correlation_header_size(std::size_t sum_len);
unsigned char* encode_correlation_header(const CorrelationHeader& h, unsigned char* out);
unsigned char* encode_correlation_entry(const EventCount& e, unsigned char* out);

// Reads and validates a correlations state entry by entry; every check throws
// CorruptState. Call next() exactly header().n_events times, then finish().
class CorrelationDecoder {
public:
    CorrelationDecoder(const unsigned char* in, std::size_t len);
    const CorrelationHeader& header() const { return header_; }
    EventCount next();
    void finish() const;

private:
    const unsigned char* in_;
    std::size_t len_;
    std::size_t pos_ = 0;
    std::int64_t read_ = 0;
    CorrelationHeader header_;
};

}  // namespace pgf
