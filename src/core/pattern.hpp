// sequence_match / sequence_count / sequence_match_times: ClickHouse's
// sequenceMatch pattern language over an actor's events, evaluated in time
// linear in the number of events. Semantics, complexity and every divergence
// from ClickHouse: docs/journeys.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace pgf {

enum class PatternOp : std::uint8_t {
    Step,     // (?N): the next event satisfies condition N
    Any,      // .   : the next event, whatever it is
    AnyStar,  // .*  : any number of events
    TimeLE,   // (?t<=S) ... the comparisons are between the time of the next
    TimeLT,   // (?t<S)      matched event and the time of the event the element
    TimeGE,   // (?t>=S)     before the time condition matched (for `.*`, the
    TimeGT,   // (?t>S)      first event after the events `.*` passed over)
    TimeEQ,   // (?t==S)
};

struct PatternElement {
    PatternOp op = PatternOp::Any;
    int step = 0;            // Step: the 0-based condition index (bit of Event::mask)
    std::uint64_t span = 0;  // Time*: S x units_per_second, in the unit of Event::ts
    int position = 0;        // 1-based character position in the pattern text
};

// A parsed pattern. `elements` is the pattern as written; the matcher adds the
// implicit leading `.*` itself.
struct Pattern {
    std::vector<PatternElement> elements;
    int n_conditions = 0;         // conditions the caller passes (1..kMaxSteps)
    int n_step_elements = 0;      // number of (?N) elements = size of a full match_times
    std::uint64_t used_steps = 0;  // bit i: (?i+1) occurs in the pattern
    bool has_time = false;
};

// Longest pattern accepted, in elements ((?N), ., .*, (?t..) each count one).
// The matchers run in O(events x elements).
constexpr int kMaxPatternElements = 256;

// Parses `text`. n_conditions: the number of conditions (1..kMaxSteps);
// units_per_second: what one unit of S is worth in the unit of Event::ts
// (1000000 for microsecond timestamps, 1 for bigint time, where S is raw; for
// date, convert days to microseconds or seconds first so S stays in seconds).
// Throws InvalidParameter for a malformed pattern, naming the problem and its
// 1-based character position; LimitExceeded past kMaxPatternElements or
// kMaxSteps conditions.
Pattern parse_pattern(std::string_view text, int n_conditions, std::int64_t units_per_second);

// The canonical text of a parsed pattern (time spans in units of Event::ts).
std::string pattern_to_string(const Pattern& pattern);

// All three take the actor's events sorted by (ts, mask) (sort_events). Events
// whose mask is 0 are ignored: as in ClickHouse only rows that satisfy at least
// one of the conditions take part ("stored" events), so an unmatched row never
// breaks an adjacency such as (?1)(?2).

// sequenceMatch: does the pattern occur? O(n x m) time, O(m) memory (plus the
// pending times of (?t==S) conditions), m = elements.
bool sequence_match(const Pattern& pattern, const Event* ev, std::size_t n);

// The first occurrence is the one ClickHouse's backtracking finds first: the
// earliest start, then the earliest choice at every .* and time condition (it
// also has the earliest end).

// sequenceCount: the number of non-overlapping occurrences, taken greedily from
// the left (each search starts where the previous occurrence ended, one event
// further if it consumed none). O(n x m) time.
std::uint64_t sequence_count(const Pattern& pattern, const Event* ev, std::size_t n);

// sequenceMatchEvents: the times of the events matched by the (?N) elements of
// the first occurrence (n_step_elements values). Without an occurrence: the
// times of the longest prefix of (?N) elements that some partial match reaches
// (the first such partial match), possibly empty. O(n x m) time, O(L x m) bits
// of memory where L is the number of events up to the end of the result.
std::vector<std::int64_t> sequence_match_times(const Pattern& pattern, const Event* ev, std::size_t n);

// The three above for many actors in a row with one pattern (a final function
// over a million groups): the compiled pattern and the matcher's working memory
// are built once, instead of a dozen allocations per actor. Same results.
class SequenceMatcher {
public:
    explicit SequenceMatcher(Pattern pattern);
    ~SequenceMatcher();
    SequenceMatcher(SequenceMatcher&&) noexcept;
    SequenceMatcher& operator=(SequenceMatcher&&) noexcept;

    const Pattern& pattern() const;
    bool match(const Event* ev, std::size_t n);
    std::uint64_t count(const Event* ev, std::size_t n);
    std::vector<std::int64_t> match_times(const Event* ev, std::size_t n);

private:
    struct Compiled;
    std::unique_ptr<Compiled> compiled_;
};

}  // namespace pgf
