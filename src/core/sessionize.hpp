// sessionize(ts, gap) OVER (PARTITION BY actor ORDER BY ts): 1-based session
// numbers; a new session starts when more than `gap` passed since the previous
// row (equal to `gap` stays in the session). docs/journeys.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pgf {

// gap >= 0, in the unit of the times; throws InvalidParameter for a negative gap.
void check_session_gap(std::int64_t gap);

// Row-at-a-time form for the window function: feed the partition's times in
// order; each call returns the session number of that row. A time earlier than
// the previous one (the window is not ordered by time) throws InvalidParameter.
class Sessionizer {
public:
    explicit Sessionizer(std::int64_t gap);
    std::int64_t next(std::int64_t ts);
    std::int64_t session() const { return session_; }  // 0 before the first row

private:
    std::int64_t gap_;
    std::int64_t last_ = 0;
    std::int64_t session_ = 0;
};

// Whole-partition form: session numbers of times sorted ascending.
std::vector<std::int64_t> sessionize(const std::int64_t* ts, std::size_t n, std::int64_t gap);

}  // namespace pgf
