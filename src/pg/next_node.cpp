// SQL family: sequence_next_node(direction, base, ts, value, base_cond
// [, VARIADIC steps]) (ClickHouse sequenceNextNode).
//
// State, in the aggregate memory context: the parameters (time kind, direction,
// base, number of steps), one NodeEvent per row with a non-NULL time and value,
// and a value table: (offset, length) pairs into one byte buffer; a row's
// NodeEvent::value indexes the table.
//
// Memory bound. head / tail need only the first / last N + 1 rows in the sort
// order of sort_node_events (next_node_rows_needed), but rows arrive in any
// order, so the state is compacted: whenever it holds 2 (N + 1) + 64 rows it is
// sorted and cut to those N + 1 rows (their values copied into a fresh table).
// A head / tail state therefore never holds more than 2 (N + 1) + 64 rows
// (at most 194) and their values, whatever the size of the group; sorting is
// amortized O(log N) per row. first_match / last_match keep every row.
//
// Serialized form: core/next_node_codec.hpp (version, time kind, direction,
// base, step count, u64 row count, then per row time, step mask, base flag and
// the value); its decoder validates every field (the fuzzer runs the same code).
#include <cstring>
#include <limits>
#include <string>

#include "core/interrupt.hpp"
#include "core/next_node.hpp"
#include "core/next_node_codec.hpp"
#include "pg/condition_args.hpp"
#include "pg/context_allocator.hpp"
#include "pg/event_state.hpp"
#include "pg/guard.hpp"

using pgf::ErrorKind;
using pgf::fail;
using pgf::NextNodeBase;
using pgf::NextNodeDirection;
using pgf::NodeEvent;
using pgf::pg::ContextAllocator;
using pgf::pg::ContextVector;
using pgf::pg::TimeKind;

namespace {

struct ValueRef {
    std::uint64_t offset;
    std::uint32_t size;
};

struct NodeState {
    explicit NodeState(MemoryContext context)
        : rows(ContextAllocator<NodeEvent>(context)),
          values(ContextAllocator<ValueRef>(context)),
          bytes(ContextAllocator<char>(context)) {}

    TimeKind kind = TimeKind::Timestamptz;
    NextNodeDirection direction = NextNodeDirection::Forward;
    NextNodeBase base = NextNodeBase::Head;
    int n_steps = 0;
    ContextVector<NodeEvent> rows;
    ContextVector<ValueRef> values;
    ContextVector<char> bytes;

    std::string_view value(std::uint32_t i) const {
        const ValueRef& r = values[i];
        return std::string_view(bytes.data() + r.offset, r.size);
    }
    bool bounded() const { return base == NextNodeBase::Head || base == NextNodeBase::Tail; }
    // Rows a bounded state may hold before it is compacted.
    std::size_t compact_at() const { return 2 * (static_cast<std::size_t>(n_steps) + 1) + 64; }
};

int compare_values(const void* context, std::uint32_t a, std::uint32_t b) {
    const auto* s = static_cast<const NodeState*>(context);
    return pgf::value_bytes_compare(s->value(a), s->value(b));
}

void sort_rows(NodeState& s) {
    pgf::sort_node_events(s.rows.data(), s.rows.size(), compare_values, &s);
}

void append_row(NodeState& s, std::int64_t ts, std::uint64_t mask, bool can_be_base, const char* data,
                std::size_t size) {
    if (s.values.size() >= std::numeric_limits<std::uint32_t>::max())
        fail(ErrorKind::LimitExceeded, "sequence_next_node: too many rows in one group");
    if (size > std::numeric_limits<std::uint32_t>::max())
        fail(ErrorKind::LimitExceeded, "sequence_next_node: value too long");
    const auto index = static_cast<std::uint32_t>(s.values.size());
    s.values.push_back(ValueRef{s.bytes.size(), static_cast<std::uint32_t>(size)});
    s.bytes.insert(s.bytes.end(), data, data + size);
    s.rows.push_back(NodeEvent{ts, mask, index, can_be_base});
}

// head / tail: sort and keep the rows that can still matter, with a fresh value
// table holding only their values.
void compact(NodeState& s) {
    if (!s.bounded()) return;
    sort_rows(s);
    const std::size_t n = s.rows.size();
    const std::size_t keep = pgf::next_node_rows_needed(s.base, s.n_steps, n);
    const std::size_t first = s.base == NextNodeBase::Head ? 0 : n - keep;
    const ContextAllocator<char> alloc(s.bytes.get_allocator());
    ContextVector<ValueRef> values{ContextAllocator<ValueRef>(alloc)};
    ContextVector<char> bytes{alloc};
    values.reserve(keep);
    for (std::size_t i = 0; i < keep; ++i) {
        NodeEvent r = s.rows[first + i];
        const std::string_view v = s.value(r.value);
        r.value = static_cast<std::uint32_t>(values.size());
        values.push_back(ValueRef{bytes.size(), static_cast<std::uint32_t>(v.size())});
        bytes.insert(bytes.end(), v.begin(), v.end());
        s.rows[i] = r;
    }
    s.rows.resize(keep);
    s.values.swap(values);
    s.bytes.swap(bytes);
}

void maybe_compact(NodeState& s) {
    if (s.bounded() && s.rows.size() >= s.compact_at()) compact(s);
}

NodeState* new_state(MemoryContext context, TimeKind kind, NextNodeDirection direction, NextNodeBase base,
                     int n_steps) {
    NodeState* s = pgf::pg::make_in_context<NodeState>(context, context);
    s->kind = kind;
    s->direction = direction;
    s->base = base;
    s->n_steps = n_steps;
    return s;
}

// Appends every row of `from` to `to` (same parameters).
void append_state(NodeState& to, const NodeState& from) {
    pgf::InterruptCheck interrupt;
    for (const NodeEvent& r : from.rows) {
        const std::string_view v = from.value(r.value);
        append_row(to, r.ts, r.mask, r.can_be_base, v.data(), v.size());
        maybe_compact(to);
        interrupt.tick();
    }
}

void check_step_count(int n) {
    if (n > pgf::kMaxSteps)
        fail(ErrorKind::LimitExceeded,
             "sequence_next_node takes at most " + std::to_string(pgf::kMaxSteps) + " steps, got " + std::to_string(n));
}

// The steps given as one boolean[]; an empty array means no steps.
std::uint64_t steps_or_none(ArrayType* steps, int* n_steps) {
    if (ARR_NDIM(steps) == 0) {
        *n_steps = 0;
        return 0;
    }
    if (ARR_NDIM(steps) == 1) check_step_count(ARR_DIMS(steps)[0]);
    return pgf::pg::steps_mask(steps, n_steps);
}

std::string_view text_arg(FunctionCallInfo fcinfo, int arg, const char* what) {
    if (PG_ARGISNULL(arg)) fail(ErrorKind::NullNotAllowed, std::string("sequence_next_node ") + what + " must not be NULL");
    text* t = PG_GETARG_TEXT_PP(arg);
    return std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

}  // namespace

// next_node_sfunc(state, direction, base, ts, value, base_cond [, VARIADIC steps])
PGF_FUNCTION(next_node_sfunc) {
    auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<NodeState*>(PG_GETARG_POINTER(0));
    const NextNodeDirection direction = pgf::parse_next_node_direction(text_arg(fcinfo, 1, "direction"));
    const NextNodeBase base = pgf::parse_next_node_base(text_arg(fcinfo, 2, "base"));
    int n_steps = 0;
    std::uint64_t mask = 0;
    if (PG_NARGS() > 6) {
        const pgf::pg::ConditionArgs& c =
            pgf::pg::condition_args(fcinfo, &fcinfo->flinfo->fn_extra, 6, "sequence_next_node", check_step_count);
        mask = c.row_mask(fcinfo, &n_steps, "sequence_next_node steps must not be NULL", steps_or_none);
    }

    if (!state) {
        pgf::check_next_node_spec(direction, base, n_steps);
        const TimeKind kind = pgf::pg::time_kind_of(get_fn_expr_argtype(fcinfo->flinfo, 3));
        state = new_state(pgf::pg::aggregate_context(fcinfo), kind, direction, base, n_steps);  // first row only
    } else {
        if (direction != state->direction || base != state->base)
            fail(ErrorKind::InvalidParameter,
                 "sequence_next_node direction and base must be the same for every row of a group");
        if (n_steps != state->n_steps)
            fail(ErrorKind::InvalidParameter,
                 "the number of sequence_next_node steps must be the same for every row of a group");
    }
    // A NULL time or value drops the row (ClickHouse drops NULL values too).
    if (PG_ARGISNULL(3) || PG_ARGISNULL(4)) PG_RETURN_POINTER(state);
    const bool can_be_base = !PG_ARGISNULL(5) && PG_GETARG_BOOL(5);
    text* value = PG_GETARG_TEXT_PP(4);
    append_row(*state, pgf::pg::time_value(state->kind, PG_GETARG_DATUM(3)), mask, can_be_base, VARDATA_ANY(value),
               VARSIZE_ANY_EXHDR(value));
    maybe_compact(*state);
    PG_RETURN_POINTER(state);
}

PGF_FUNCTION(next_node_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    auto* state = reinterpret_cast<NodeState*>(PG_GETARG_POINTER(0));
    sort_rows(*state);
    const std::ptrdiff_t i =
        pgf::sequence_next_node(state->direction, state->base, state->n_steps, state->rows.data(), state->rows.size());
    if (i < 0) PG_RETURN_NULL();
    const std::string_view v = state->value(state->rows[static_cast<std::size_t>(i)].value);
    text* result = nullptr;
    pgf::pg::pg_call([&] { result = cstring_to_text_with_len(v.data(), static_cast<int>(v.size())); });
    PG_RETURN_TEXT_P(result);
}

PGF_FUNCTION(next_node_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    auto* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<NodeState*>(PG_GETARG_POINTER(0));
    auto* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<NodeState*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) {
        a = new_state(context, b->kind, b->direction, b->base, b->n_steps);
    } else if (a->kind != b->kind || a->direction != b->direction || a->base != b->base || a->n_steps != b->n_steps) {
        fail(ErrorKind::InvalidParameter,
             "cannot combine sequence_next_node states with different time types, directions, bases or steps");
    }
    append_state(*a, *b);
    PG_RETURN_POINTER(a);
}

PGF_FUNCTION(next_node_serialize) {
    auto* s = reinterpret_cast<NodeState*>(PG_GETARG_POINTER(0));
    if (s->bounded() && s->rows.size() > static_cast<std::size_t>(s->n_steps) + 1) compact(*s);
    std::size_t size = pgf::kNextNodeStateHeaderSize;
    for (const NodeEvent& r : s->rows) {
        size += pgf::next_node_row_size(s->values[r.value].size);
        if (size > MaxAllocSize - VARHDRSZ)
            fail(ErrorKind::LimitExceeded, "aggregate state is too large to send to a parallel worker");
    }
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(out, VARHDRSZ + size);
    pgf::NextNodeStateHeader h;
    h.time_kind = static_cast<std::uint8_t>(s->kind);
    h.direction = s->direction;
    h.base = s->base;
    h.n_steps = s->n_steps;
    h.count = s->rows.size();
    unsigned char* p = pgf::encode_next_node_header(h, reinterpret_cast<unsigned char*>(VARDATA(out)));
    for (const NodeEvent& r : s->rows)
        p = pgf::encode_next_node_row(pgf::NextNodeRow{r.ts, r.mask, r.can_be_base, s->value(r.value)}, p);
    PG_RETURN_BYTEA_P(out);
}

PGF_FUNCTION(next_node_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    pgf::NextNodeStateDecoder decoder(reinterpret_cast<const unsigned char*>(VARDATA_ANY(in)), VARSIZE_ANY_EXHDR(in));
    const pgf::NextNodeStateHeader& h = decoder.header();
    NodeState* s = new_state(CurrentMemoryContext, static_cast<TimeKind>(h.time_kind), h.direction, h.base, h.n_steps);
    pgf::InterruptCheck interrupt;
    for (std::uint64_t i = 0; i < h.count; ++i) {
        const pgf::NextNodeRow r = decoder.next();
        append_row(*s, r.ts, r.mask, r.can_be_base, r.value.data(), r.value.size());
        maybe_compact(*s);
        interrupt.tick();
    }
    decoder.finish();
    PG_RETURN_POINTER(s);
}
