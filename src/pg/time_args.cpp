#include "pg/time_args.hpp"

#include "core/error.hpp"

namespace pgf::pg {

TimeKind time_kind_of(Oid type) {
    switch (type) {
        case TIMESTAMPTZOID: return TimeKind::Timestamptz;
        case TIMESTAMPOID: return TimeKind::Timestamp;
        case DATEOID: return TimeKind::Date;
        case INT8OID: return TimeKind::Bigint;
        default:
            fail(ErrorKind::InvalidParameter,
                 "time must be timestamptz, timestamp, date or bigint (got type oid " + std::to_string(type) + ")");
    }
}

Oid time_type_oid(TimeKind kind) {
    switch (kind) {
        case TimeKind::Timestamptz: return TIMESTAMPTZOID;
        case TimeKind::Timestamp: return TIMESTAMPOID;
        case TimeKind::Date: return DATEOID;
        case TimeKind::Bigint: return INT8OID;
    }
    return INT8OID;
}

std::int64_t window_in_time_units(TimeKind kind, Datum window) {
    if (kind == TimeKind::Bigint) {
        const std::int64_t w = DatumGetInt64(window);
        if (w <= 0) fail(ErrorKind::InvalidParameter, "window must be positive, got " + std::to_string(w));
        return w;
    }
    const Interval* iv = DatumGetIntervalP(window);
    if (iv->month != 0)
        fail(ErrorKind::InvalidParameter,
             "window must not contain months or years, whose length varies; use days (e.g. '30 days')");
    std::int64_t day_us = 0, total = 0;
    if (__builtin_mul_overflow(static_cast<std::int64_t>(iv->day), USECS_PER_DAY, &day_us) ||
        __builtin_add_overflow(day_us, iv->time, &total))
        fail(ErrorKind::InvalidParameter, "window is out of range");
    if (total <= 0) fail(ErrorKind::InvalidParameter, "window must be a positive interval");
    return kind == TimeKind::Date ? total / USECS_PER_DAY : total;
}

Datum time_difference_datum(TimeKind kind, std::int64_t from, std::int64_t to) {
    if (kind == TimeKind::Timestamp || kind == TimeKind::Timestamptz) {
        if (TIMESTAMP_NOT_FINITE(from) || TIMESTAMP_NOT_FINITE(to))
            fail(ErrorKind::OutOfRange, "time difference with an infinite timestamp is out of range");
    }
    std::int64_t diff = 0;
    if (__builtin_sub_overflow(to, from, &diff))
        fail(ErrorKind::OutOfRange, "time difference is out of range");
    if (kind == TimeKind::Bigint) return Int64GetDatum(diff);
    if (kind == TimeKind::Date) {
        if (DATE_NOT_FINITE(static_cast<DateADT>(from)) || DATE_NOT_FINITE(static_cast<DateADT>(to)))
            fail(ErrorKind::OutOfRange, "time difference with an infinite date is out of range");
        if (__builtin_mul_overflow(diff, USECS_PER_DAY, &diff))
            fail(ErrorKind::OutOfRange, "time difference is out of range");
    }
    Interval* iv = static_cast<Interval*>(palloc(sizeof(Interval)));
    iv->month = 0;
    iv->day = static_cast<int32>(diff / USECS_PER_DAY);
    iv->time = diff % USECS_PER_DAY;
    return IntervalPGetDatum(iv);
}

ArrayType* time_array(TimeKind kind, const std::int64_t* values, int n) {
    Datum* datums = static_cast<Datum*>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
    for (int i = 0; i < n; ++i) datums[i] = time_datum(kind, values[i]);
    const Oid type = time_type_oid(kind);
    int16 len;
    bool byval;
    char align;
    get_typlenbyvalalign(type, &len, &byval, &align);
    return construct_array(datums, n, type, len, byval, align);
}

}  // namespace pgf::pg
