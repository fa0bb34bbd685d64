// Tests of the chunk arena (core/chunk_arena.hpp): chunks are aligned and never
// overlap, a released chunk is reused by its own class only, blocks grow from
// kFirstBlock to kMaxBlock, and bad classes and failing hooks are errors (run it
// under ASan/UBSan).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <random>
#include <vector>

#include "arena_blocks.hpp"
#include "core/chunk_arena.hpp"
#include "core/error.hpp"

namespace {

using pgf::ChunkArena;

TEST(ChunkArena, ChunksNeverOverlapAndAreReusedByTheirClass) {
    ArenaBlocks blocks;
    ChunkArena arena(blocks.hooks());
    std::mt19937_64 rng(5);
    struct Live {
        unsigned char* p;
        unsigned cls;
        std::size_t bytes;
        unsigned char fill;
    };
    std::vector<Live> live;
    auto bytes_of = [](unsigned cls) { return std::size_t{8} * (cls + 1) * (cls + 1); };  // 8 .. 8 kB
    for (int round = 0; round < 20000; ++round) {
        if (!live.empty() && rng() % 3 == 0) {
            const std::size_t i = rng() % live.size();
            for (std::size_t k = 0; k < live[i].bytes; ++k) ASSERT_EQ(live[i].p[k], live[i].fill);
            arena.release(live[i].p, live[i].cls);
            live[i] = live.back();
            live.pop_back();
            continue;
        }
        const unsigned cls = static_cast<unsigned>(rng() % 32);
        const std::size_t bytes = bytes_of(cls);
        auto* p = static_cast<unsigned char*>(arena.allocate(cls, bytes));
        ASSERT_EQ(reinterpret_cast<std::uintptr_t>(p) % 8, 0u);
        const auto fill = static_cast<unsigned char>(round);
        std::memset(p, fill, bytes);
        live.push_back({p, cls, bytes, fill});
    }
    for (const Live& l : live)
        for (std::size_t k = 0; k < l.bytes; ++k) ASSERT_EQ(l.p[k], l.fill);
    // Blocks double from kFirstBlock up to kMaxBlock, then stay there; a chunk
    // larger than the next block gets one of its own size.
    std::size_t expect = ChunkArena::kFirstBlock, total = 0;
    for (std::size_t s : blocks.sizes) {
        EXPECT_TRUE(s == expect || (s > expect && s <= ChunkArena::kMaxChunk)) << s << " instead of " << expect;
        total += s;
        if (expect < ChunkArena::kMaxBlock) expect *= 2;
    }
    EXPECT_EQ(expect, ChunkArena::kMaxBlock);
    EXPECT_EQ(arena.block_bytes(), total);
}

TEST(ChunkArena, ReleasedChunkGoesToItsClassOnly) {
    ArenaBlocks blocks;
    ChunkArena arena(blocks.hooks());
    void* a = arena.allocate(3, 64);
    void* b = arena.allocate(3, 64);
    EXPECT_EQ(static_cast<char*>(b) - static_cast<char*>(a), 64);
    arena.release(a, 3);
    void* c = arena.allocate(4, 64);  // another class: a new chunk
    EXPECT_NE(c, a);
    EXPECT_EQ(arena.allocate(3, 64), a);  // its own class: the released one
    EXPECT_EQ(static_cast<char*>(arena.allocate(3, 64)) - static_cast<char*>(c), 64);  // then the block again
    EXPECT_EQ(blocks.taken.size(), 1u);
}

TEST(ChunkArena, ABlocksRestIsSkippedForALargerChunk) {
    ArenaBlocks blocks;
    ChunkArena arena(blocks.hooks());
    arena.allocate(0, ChunkArena::kFirstBlock - 8);
    void* p = arena.allocate(1, 16);  // does not fit the 8 bytes left
    EXPECT_EQ(blocks.taken.size(), 2u);
    EXPECT_EQ(p, blocks.taken[1]);
    EXPECT_EQ(blocks.sizes[1], 2 * ChunkArena::kFirstBlock);
    // A chunk beyond the next block's size: a block of its own.
    void* big = arena.allocate(2, ChunkArena::kMaxChunk);
    EXPECT_EQ(big, blocks.taken.at(2));
    EXPECT_EQ(blocks.sizes[2], ChunkArena::kMaxChunk);
}

TEST(ChunkArena, BadRequestsAndFailingHooksAreErrors) {
    ArenaBlocks blocks;
    ChunkArena arena(blocks.hooks());
    for (auto [cls, bytes] : {std::pair<unsigned, std::size_t>{ChunkArena::kClasses, 64}, {0, 0}, {0, 12},
                              {0, ChunkArena::kMaxChunk + 8}}) {
        try {
            arena.allocate(cls, bytes);
            ADD_FAILURE() << "class " << cls << ", " << bytes << " bytes must throw";
        } catch (const pgf::Error& e) {
            EXPECT_EQ(e.kind(), pgf::ErrorKind::Internal);
        }
    }
    EXPECT_TRUE(blocks.taken.empty());
    blocks.fail = true;
    EXPECT_THROW(arena.allocate(0, 64), std::bad_alloc);
    EXPECT_EQ(arena.block_bytes(), 0u);
}

}  // namespace
