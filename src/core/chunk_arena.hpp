// Chunks of a few fixed sizes carved from large blocks, without a header per
// chunk: the memory of a million small per-actor states. PostgreSQL's allocator
// puts a 16-byte header before every chunk and rounds it up to a power of two,
// which is most of a state of a few events. A released chunk goes to its size
// class's free list, where the next state growing into that class takes it.
// Chunks are never merged: when actors arrive in random order, chunks of the
// smallest classes stay on their lists once new actors stop arriving.
#pragma once

#include <cstddef>

#include "core/pod_array.hpp"

namespace pgf {

class ChunkArena {
public:
    static constexpr unsigned kClasses = 40;
    static constexpr std::size_t kMaxChunk = 8192;
    // Small first: a hash table of a few groups, or one rebuilt for every rescan,
    // needs little.
    static constexpr std::size_t kFirstBlock = 1024;
    static constexpr std::size_t kMaxBlock = std::size_t{1} << 20;

    // Blocks come from `hooks` and are never given back: the host frees them all
    // at once (PostgreSQL: the aggregate's memory context is reset).
    explicit ChunkArena(const MemoryHooks& hooks) : hooks_(hooks) {}
    ChunkArena(const ChunkArena&) = delete;
    ChunkArena& operator=(const ChunkArena&) = delete;

    // A chunk of `bytes` (a multiple of 8, at most kMaxChunk, at least 8) for
    // size class `cls` (< kClasses), aligned to 8. A class must always be asked
    // with the same size. Throws std::bad_alloc when the hooks fail.
    void* allocate(unsigned cls, std::size_t bytes);
    // Grows the chunk p of `bytes` to `new_bytes` where it is, when it is the
    // last one carved from the current block and the block has the room: a
    // table in actor order grows each actor's state there, without a copy.
    bool grow_in_place(void* p, std::size_t bytes, std::size_t new_bytes) noexcept {
        auto* c = static_cast<unsigned char*>(p);
        if (c + bytes != next_ || static_cast<std::size_t>(end_ - c) < new_bytes) return false;
        next_ = c + new_bytes;
        return true;
    }
    // Gives back a chunk of class `cls` from allocate.
    void release(void* p, unsigned cls) noexcept {
        *static_cast<void**>(p) = free_[cls];
        free_[cls] = p;
    }
    // The hooks the blocks come from (for states too large for a chunk).
    const MemoryHooks& hooks() const { return hooks_; }
    // Bytes of all blocks taken from the hooks.
    std::size_t block_bytes() const { return block_bytes_; }

private:
    MemoryHooks hooks_;
    unsigned char* next_ = nullptr;
    unsigned char* end_ = nullptr;
    std::size_t next_block_ = kFirstBlock;
    std::size_t block_bytes_ = 0;
    void* free_[kClasses] = {};
};

}  // namespace pgf
