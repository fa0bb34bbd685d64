// Step conditions of the aggregates declared VARIADIC "any" (funnel_steps,
// funnel_times, funnel_report, retention, the sequence functions): PostgreSQL
// then passes each boolean as its own argument instead of building an array for
// every row (about a fifth of a funnel_steps query's time with boolean steps).
// A call with VARIADIC, or one boolean[] as the only condition, still passes one
// array: the family's own array code reads it.
#pragma once

#include <cstdint>

#include "pg/postgres.hpp"

namespace pgf::pg {

class ConditionArgs {
public:
    // The row's conditions as a bit mask (bit i: condition i + 1 is true; NULL is
    // false) and their number in *n. One boolean[] goes to the family's
    // `array_mask`; a NULL array is an error (22004, `null_message`).
    std::uint64_t row_mask(FunctionCallInfo fcinfo, int* n, const char* null_message,
                           std::uint64_t (*array_mask)(ArrayType*, int*)) const {
        if (count_ == 0) return array_row_mask(fcinfo, n, null_message, array_mask);
        *n = count_;
        std::uint64_t m = 0;
        const NullableDatum* a = fcinfo->args + first_;
        for (int i = 0; i < count_; ++i) m |= std::uint64_t{!a[i].isnull && DatumGetBool(a[i].value)} << i;
        return untyped_ ? with_untyped(fcinfo, m) : m;
    }

    // Reads the types of the arguments from `first` on; they are fixed for a call
    // site, so this runs once per call site (condition_args). A condition that is
    // not boolean is an error (42804); `check_count` gets the number of separate
    // conditions.
    static ConditionArgs bind(FunctionCallInfo fcinfo, int first, const char* function, void (*check_count)(int));

private:
    std::uint64_t with_untyped(FunctionCallInfo fcinfo, std::uint64_t m) const;
    std::uint64_t array_row_mask(FunctionCallInfo fcinfo, int* n, const char* null_message,
                                 std::uint64_t (*array_mask)(ArrayType*, int*)) const;

    int first_ = 0;
    int count_ = 0;  // separate conditions; 0: one boolean[] at first_
    std::uint64_t untyped_ = 0;  // conditions given as quoted literals: parsed as boolean input
};

// The call site's ConditionArgs, bound on its first row and kept in *slot (in the
// FmgrInfo's fn_extra, or a struct there) for the query.
const ConditionArgs& condition_args(FunctionCallInfo fcinfo, void** slot, int first, const char* function,
                                    void (*check_count)(int));

}  // namespace pgf::pg
