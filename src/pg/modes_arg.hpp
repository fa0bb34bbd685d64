// The modes argument of the funnel aggregates (funnel_steps, funnel_times,
// funnel_report): parsed on a group's first row and kept as bytes, so later rows
// are checked with a byte comparison instead of a parse.
#pragma once

#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "core/funnel.hpp"
#include "pg/context_allocator.hpp"
#include "pg/postgres.hpp"

namespace pgf::pg {

struct ModesText {
    const char* data;
    std::size_t size;
};

inline ModesText modes_arg(FunctionCallInfo fcinfo, int arg) {
    if (PG_ARGISNULL(arg)) fail(ErrorKind::NullNotAllowed, "funnel modes must not be NULL (use '' for none)");
    text* t = PG_GETARG_TEXT_PP(arg);
    return {VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)};
}

// A copy of the first row's modes text in `context`.
inline const char* keep_modes_text(MemoryContext context, const ModesText& m) {
    return copy_to_context(context, m.data, m.size);
}

// Raises unless this row's modes equal the group's (`kept` is the first row's
// text, null if the state was not built by a transition function).
inline void check_same_modes(const ModesText& m, const char* kept, std::size_t kept_size, std::uint32_t modes) {
    const bool same_text = kept && m.size == kept_size && std::memcmp(m.data, kept, m.size) == 0;
    if (!same_text && parse_funnel_modes(std::string_view(m.data, m.size)) != modes)
        fail(ErrorKind::InvalidParameter, "funnel modes must be the same for every row of a group");
}

}  // namespace pgf::pg
