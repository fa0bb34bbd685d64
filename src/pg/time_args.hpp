// Decoding of the time argument and the window: every supported time type becomes
// an int64 in its own unit (microseconds for timestamps, days for date, raw for
// bigint), and the window is converted to the same unit.
#pragma once

#include "pg/postgres.hpp"

namespace pgf::pg {

enum class TimeKind : std::uint8_t { Timestamptz = 0, Timestamp = 1, Date = 2, Bigint = 3 };

// The kind of an argument's type; an unsupported type raises.
TimeKind time_kind_of(Oid type);
Oid time_type_oid(TimeKind kind);

inline std::int64_t time_value(TimeKind kind, Datum d) {
    return kind == TimeKind::Date ? static_cast<std::int64_t>(DatumGetDateADT(d)) : DatumGetInt64(d);
}
inline Datum time_datum(TimeKind kind, std::int64_t v) {
    return kind == TimeKind::Date ? DateADTGetDatum(static_cast<DateADT>(v)) : Int64GetDatum(v);
}

// The window in the time unit of `kind`: an interval for timestamps and date
// (months and years refused, the total must be positive), a positive bigint for
// bigint time. For date, a window of less than a day means the same day.
std::int64_t window_in_time_units(TimeKind kind, Datum window);

// A difference of two times as the SQL result type: interval, or bigint.
Datum time_difference_datum(TimeKind kind, std::int64_t from, std::int64_t to);

// An array of times of the given kind.
ArrayType* time_array(TimeKind kind, const std::int64_t* values, int n);

}  // namespace pgf::pg
