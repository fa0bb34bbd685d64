#include "core/sessionize.hpp"

#include "core/error.hpp"
#include "core/event.hpp"

namespace pgf {

void check_session_gap(std::int64_t gap) {
    if (gap < 0) fail(ErrorKind::InvalidParameter, "sessionize gap must not be negative");
}

Sessionizer::Sessionizer(std::int64_t gap) : gap_(gap) { check_session_gap(gap); }

std::int64_t Sessionizer::next(std::int64_t ts) {
    if (session_ == 0) {
        session_ = 1;
    } else {
        if (ts < last_)
            fail(ErrorKind::InvalidParameter,
                 "sessionize needs the rows in time order: use OVER (PARTITION BY ... ORDER BY <time>)");
        if (!within(last_, ts, gap_)) ++session_;
    }
    last_ = ts;
    return session_;
}

std::vector<std::int64_t> sessionize(const std::int64_t* ts, std::size_t n, std::int64_t gap) {
    Sessionizer s(gap);
    std::vector<std::int64_t> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.push_back(s.next(ts[i]));
    return out;
}

}  // namespace pgf
