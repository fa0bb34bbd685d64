// Memory for a ChunkArena in the unit tests and core_bench: malloc'd blocks, remembered with
// their sizes and freed with the test (so ASan's leak check stays quiet), and a
// switch that makes the host allocator fail.
#pragma once

#include <cstdlib>
#include <vector>

#include "core/pod_array.hpp"

struct ArenaBlocks {
    std::vector<void*> taken;
    std::vector<std::size_t> sizes;
    bool fail = false;

    ArenaBlocks() = default;
    ArenaBlocks(const ArenaBlocks&) = delete;
    ArenaBlocks& operator=(const ArenaBlocks&) = delete;
    ~ArenaBlocks() {
        for (void* b : taken) std::free(b);
    }
    pgf::MemoryHooks hooks() {
        pgf::MemoryHooks h;
        h.allocate = [](void* ctx, std::size_t bytes) -> void* {
            auto* self = static_cast<ArenaBlocks*>(ctx);
            if (self->fail) return nullptr;
            self->taken.push_back(std::malloc(bytes));
            self->sizes.push_back(bytes);
            return self->taken.back();
        };
        h.reallocate = [](void* ctx, void* p, std::size_t bytes) -> void* {
            auto* self = static_cast<ArenaBlocks*>(ctx);
            void* q = std::realloc(p, bytes);
            for (void*& b : self->taken) {
                if (b == p) b = q;
            }
            return q;
        };
        h.ctx = this;
        return h;
    }
};
