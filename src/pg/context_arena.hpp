// The ChunkArena of an aggregate's memory context: per-actor event buffers are
// chunks of it instead of palloc chunks of their own (core/chunk_arena.hpp).
// The arena's blocks and the arena itself live in the context, so a reset or an
// error frees them with the states, and work_mem accounting sees them.
#pragma once

#include "core/chunk_arena.hpp"
#include "pg/postgres.hpp"

namespace pgf::pg {

// The arena of the aggregate context `context` when it holds the groups of a
// hash table (HashAggregate, or the hashed sets of MixedAggregate), made on
// first use. Null for other contexts, which keep one group at a time (a sorted
// GroupAggregate resets its context for every group), and when 16 contexts
// already have one: the caller then allocates from the context itself.
ChunkArena* hash_table_arena(FunctionCallInfo fcinfo, MemoryContext context);
// The arena of `context`, the one hash_table_arena made. A context reset or
// deleted forgets its arena (a reset callback). A buffer from the arena must
// only grow through the arena of the context it was made in: the aggregate
// context of the transition or combine function that grows it. Internal error
// when the context has no arena.
ChunkArena* context_arena(MemoryContext context);

}  // namespace pgf::pg
