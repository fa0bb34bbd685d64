// A C++ allocator over a PostgreSQL memory context: aggregate state lives in the
// aggregate's context, so work_mem accounting sees it and an error frees it.
// Out of memory becomes std::bad_alloc instead of a longjmp.
#pragma once

#include <cstring>

#include <boost/container/small_vector.hpp>
#include <boost/container/vector.hpp>

#include "core/pod_array.hpp"
#include "pg/postgres.hpp"

namespace pgf::pg {

template <typename T>
class ContextAllocator {
public:
    using value_type = T;

    explicit ContextAllocator(MemoryContext context) noexcept : context_(context) {}
    template <typename U>
    ContextAllocator(const ContextAllocator<U>& other) noexcept : context_(other.context()) {}

    T* allocate(std::size_t n) {
        if (n > MaxAllocHugeSize / sizeof(T)) throw std::bad_alloc();
        void* p = MemoryContextAllocExtended(context_, n * sizeof(T), MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
        if (!p) throw std::bad_alloc();
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t) noexcept { pfree(p); }

    MemoryContext context() const noexcept { return context_; }
    template <typename U>
    bool operator==(const ContextAllocator<U>& o) const noexcept { return context_ == o.context(); }
    template <typename U>
    bool operator!=(const ContextAllocator<U>& o) const noexcept { return context_ != o.context(); }

private:
    MemoryContext context_;
};

template <typename T>
using ContextVector = boost::container::vector<T, ContextAllocator<T>>;

// Inline room for the first N elements: most actors have few events, and then
// their buffer needs no allocation beyond the state itself.
template <typename T, std::size_t N>
using ContextSmallVector = boost::container::small_vector<T, N, ContextAllocator<T>>;

// Builds a T in `context` with placement new. Such objects are never destroyed:
// everything they own is in the same context, which PostgreSQL resets.
template <typename T, typename... Args>
T* make_in_context(MemoryContext context, Args&&... args) {
    void* p = MemoryContextAllocExtended(context, sizeof(T), MCXT_ALLOC_NO_OOM);
    if (!p) throw std::bad_alloc();
    return new (p) T(std::forward<Args>(args)...);
}

// A NUL-terminated copy of `size` bytes in `context` (out of memory is
// std::bad_alloc, never a longjmp through C++ frames).
inline char* copy_to_context(MemoryContext context, const char* data, std::size_t size) {
    char* p = static_cast<char*>(MemoryContextAllocExtended(context, size + 1, MCXT_ALLOC_NO_OOM));
    if (!p) throw std::bad_alloc();
    if (size) std::memcpy(p, data, size);
    p[size] = '\0';
    return p;
}

// MemoryHooks over `context` for the core's PodArray buffers (out of memory:
// null from allocate, std::bad_alloc from reallocate, never a longjmp).
MemoryHooks context_hooks(MemoryContext context);

// The aggregate's memory context; raises when called outside an aggregate.
MemoryContext aggregate_context(FunctionCallInfo fcinfo);

// Argument `argno` of the transition function (1 = the aggregate's first) is a
// constant of the query, so its first row's value is every row's (false when
// unknown, as in window use).
bool argument_is_constant(FunctionCallInfo fcinfo, int argno);

}  // namespace pgf::pg
