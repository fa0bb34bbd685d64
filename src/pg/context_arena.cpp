#include "pg/context_arena.hpp"

#include "core/error.hpp"
#include "pg/context_allocator.hpp"

namespace pgf::pg {

namespace {

struct ContextArena {
    explicit ContextArena(MemoryContext c) : arena(context_hooks(c)), context(c) {}
    ChunkArena arena;
    MemoryContext context;
    MemoryContextCallback reset{};
};

// The live arenas of this backend: one per hash table context of the running
// queries' aggregates.
constexpr int kSlots = 16;
ContextArena* g_arenas[kSlots] = {};
int g_last = 0;

void forget_arena(void* arg) {
    for (ContextArena*& slot : g_arenas) {
        if (slot == arg) slot = nullptr;
    }
}

int slot_of(MemoryContext context) {
    if (g_arenas[g_last] && g_arenas[g_last]->context == context) return g_last;
    for (int i = 0; i < kSlots; ++i) {
        if (g_arenas[i] && g_arenas[i]->context == context) return g_last = i;
    }
    return -1;
}

}  // namespace

ChunkArena* hash_table_arena(FunctionCallInfo fcinfo, MemoryContext context) {
    if (!fcinfo->context || !IsA(fcinfo->context, AggState)) return nullptr;
    const ExprContext* hash = reinterpret_cast<const AggState*>(fcinfo->context)->hashcontext;
    if (!hash || hash->ecxt_per_tuple_memory != context) return nullptr;
    if (const int i = slot_of(context); i >= 0) return &g_arenas[i]->arena;
    int free_slot = 0;
    while (free_slot < kSlots && g_arenas[free_slot]) ++free_slot;
    if (free_slot == kSlots) return nullptr;
    ContextArena* a = make_in_context<ContextArena>(context, context);
    a->reset.func = forget_arena;
    a->reset.arg = a;
    MemoryContextRegisterResetCallback(context, &a->reset);
    g_arenas[free_slot] = a;
    g_last = free_slot;
    return &a->arena;
}

ChunkArena* context_arena(MemoryContext context) {
    const int i = slot_of(context);
    if (i < 0) fail(ErrorKind::Internal, "an aggregate state's arena is gone");
    return &g_arenas[i]->arena;
}

}  // namespace pgf::pg
