// SQL family: sessionize(ts [, gap]) OVER (PARTITION BY actor ORDER BY ts), a true
// window function: one pass over the partition, O(1) per row.
#include <new>

#include "core/error.hpp"
#include "core/sessionize.hpp"
#include "pg/guard.hpp"
#include "pg/time_args.hpp"

using pgf::ErrorKind;
using pgf::fail;

namespace {

// Lives in partition-local memory (zeroed at the start of each partition; no
// destructor ever runs there), so it holds only trivially destructible data.
struct SessionWindow {
    bool started;
    pgf::pg::TimeKind kind;
    std::int64_t next_position;
    alignas(pgf::Sessionizer) unsigned char sessionizer[sizeof(pgf::Sessionizer)];
};
static_assert(std::is_trivially_destructible_v<pgf::Sessionizer>);

constexpr std::int64_t kDefaultGapMicros = 30 * 60 * std::int64_t{1000000};

}  // namespace

PGF_FUNCTION(sessionize_window) {
    WindowObject win = PG_WINDOW_OBJECT();
    auto* w = static_cast<SessionWindow*>(WinGetPartitionLocalMemory(win, sizeof(SessionWindow)));
    if (!w->started) {
        w->kind = pgf::pg::time_kind_of(get_fn_expr_argtype(fcinfo->flinfo, 0));
        std::int64_t gap = kDefaultGapMicros;
        if (PG_NARGS() == 1) {
            if (w->kind == pgf::pg::TimeKind::Bigint || w->kind == pgf::pg::TimeKind::Date)
                fail(ErrorKind::InvalidParameter, "sessionize needs an explicit gap for date or bigint time");
        } else {
            bool gap_null = false;
            Datum gap_datum = WinGetFuncArgCurrent(win, 1, &gap_null);
            if (gap_null) fail(ErrorKind::NullNotAllowed, "session gap must not be NULL");
            gap = pgf::pg::window_in_time_units(w->kind, gap_datum);
        }
        new (w->sessionizer) pgf::Sessionizer(gap);
        w->started = true;
        w->next_position = 0;
    }
    if (WinGetCurrentPosition(win) != w->next_position)
        fail(ErrorKind::Internal, "sessionize: rows were not visited in order");
    ++w->next_position;

    bool ts_null = false;
    const Datum ts = WinGetFuncArgCurrent(win, 0, &ts_null);
    if (ts_null) PG_RETURN_NULL();  // a row without a time belongs to no session
    auto* sessions = std::launder(reinterpret_cast<pgf::Sessionizer*>(w->sessionizer));
    PG_RETURN_INT64(sessions->next(pgf::pg::time_value(w->kind, ts)));
}
