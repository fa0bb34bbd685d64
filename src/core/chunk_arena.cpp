#include "core/chunk_arena.hpp"

#include <new>

#include "core/error.hpp"

namespace pgf {

void* ChunkArena::allocate(unsigned cls, std::size_t bytes) {
    if (cls >= kClasses || bytes < 8 || bytes > kMaxChunk || bytes % 8 != 0)
        fail(ErrorKind::Internal, "a chunk of an unknown size class");
    if (void* p = free_[cls]) {
        // The next chunk of the list is anywhere in the blocks: fetch it now, so
        // that the state moving there later does not wait for memory.
        free_[cls] = *static_cast<void**>(p);
        if (free_[cls]) __builtin_prefetch(free_[cls], 1);
        return p;
    }
    if (static_cast<std::size_t>(end_ - next_) < bytes) {
        // The rest of the old block is left unused: less than one chunk, and
        // blocks double up to kMaxBlock. A chunk larger than the next block
        // gets a block of its own size.
        const std::size_t size = bytes > next_block_ ? bytes : next_block_;
        void* block = hooks_.allocate(hooks_.ctx, size);
        if (!block) throw std::bad_alloc();
        next_ = static_cast<unsigned char*>(block);
        end_ = next_ + size;
        block_bytes_ += size;
        if (next_block_ < kMaxBlock) next_block_ *= 2;
    }
    void* p = next_;
    next_ += bytes;
    return p;
}

}  // namespace pgf
