// Module entry: the magic block, the cancellation hook and the shared helpers of
// the boundary.
#include "core/interrupt.hpp"
#include "pg/context_allocator.hpp"
#include "pg/guard.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

namespace {

// Called from core loops: a pending cancel becomes a PgError, the core unwinds,
// and the guard re-raises PostgreSQL's own "canceling statement" error.
void poll_interrupts() {
    if (InterruptPending) pgf::pg::pg_call([] { CHECK_FOR_INTERRUPTS(); });
}

}  // namespace

void _PG_init(void) { pgf::set_interrupt_poll(poll_interrupts); }

namespace pgf::pg {

int sqlstate_for(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::InvalidParameter: return ERRCODE_INVALID_PARAMETER_VALUE;
        case ErrorKind::NullNotAllowed: return ERRCODE_NULL_VALUE_NOT_ALLOWED;
        case ErrorKind::LimitExceeded: return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
        case ErrorKind::CorruptState: return ERRCODE_DATA_CORRUPTED;
        case ErrorKind::OutOfRange: return ERRCODE_DATETIME_VALUE_OUT_OF_RANGE;
        case ErrorKind::CountOutOfRange: return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
        case ErrorKind::Cancelled: return ERRCODE_QUERY_CANCELED;
        case ErrorKind::Internal: return ERRCODE_INTERNAL_ERROR;
    }
    return ERRCODE_INTERNAL_ERROR;
}

namespace {
void* context_allocate(void* ctx, std::size_t bytes) {
    return MemoryContextAllocExtended(static_cast<MemoryContext>(ctx), bytes, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}
void* context_reallocate(void*, void* p, std::size_t bytes) {
    void* out = nullptr;
    pg_call([&] { out = repalloc_huge(p, bytes); });
    return out;
}
void context_release(void*, void* p) { pfree(p); }
}  // namespace

MemoryHooks context_hooks(MemoryContext context) {
    MemoryHooks h;
    h.allocate = context_allocate;
    h.reallocate = context_reallocate;
    h.release = context_release;
    h.ctx = context;
    return h;
}

MemoryContext aggregate_context(FunctionCallInfo fcinfo) {
    MemoryContext context = nullptr;
    if (!AggCheckCallContext(fcinfo, &context))
        fail(ErrorKind::Internal, "aggregate support function called in a non-aggregate context");
    return context;
}

bool argument_is_constant(FunctionCallInfo fcinfo, int argno) {
    Aggref* aggref = AggGetAggref(fcinfo);
    if (aggref == nullptr || argno < 1 || argno > list_length(aggref->args)) return false;
    const auto* entry = static_cast<const TargetEntry*>(list_nth(aggref->args, argno - 1));
    return entry != nullptr && IsA(entry->expr, Const);
}

}  // namespace pgf::pg
