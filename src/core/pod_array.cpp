#include "core/pod_array.hpp"

#include <cstdlib>

namespace pgf {

namespace {
void* heap_allocate(void*, std::size_t bytes) { return std::malloc(bytes); }
void* heap_reallocate(void*, void* p, std::size_t bytes) { return std::realloc(p, bytes); }
void heap_release(void*, void* p) { std::free(p); }
}  // namespace

MemoryHooks heap_memory_hooks() {
    MemoryHooks h;
    h.allocate = heap_allocate;
    h.reallocate = heap_reallocate;
    h.release = heap_release;
    return h;
}

}  // namespace pgf
