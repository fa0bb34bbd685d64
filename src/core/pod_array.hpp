// Memory for the core's growable buffers: the host's allocator behind three
// hooks (PostgreSQL: an aggregate's memory context; tests: malloc), and PodArray,
// a vector of trivially copyable values in that memory.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <utility>

namespace pgf {

// Where the buffer gets its memory. The host passes functions over its own
// allocator (PostgreSQL: the aggregate's memory context). allocate and
// reallocate return null or throw on failure; release may be a no-op.
struct MemoryHooks {
    void* (*allocate)(void* ctx, std::size_t bytes) = nullptr;
    void* (*reallocate)(void* ctx, void* p, std::size_t bytes) = nullptr;
    void (*release)(void* ctx, void* p) = nullptr;
    void* ctx = nullptr;
};
// malloc / realloc / free (unit tests, benchmarks).
MemoryHooks heap_memory_hooks();

// A growable array of trivially copyable T in host memory.
template <typename T>
class PodArray {
public:
    PodArray() = default;
    explicit PodArray(const MemoryHooks& hooks) : hooks_(hooks) {}
    PodArray(const PodArray&) = delete;
    PodArray& operator=(const PodArray&) = delete;
    ~PodArray() {
        if (data_ && hooks_.release) hooks_.release(hooks_.ctx, data_);
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t capacity() const { return cap_; }
    T* data() { return data_; }
    const T* data() const { return data_; }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }
    T& back() { return data_[size_ - 1]; }

    void push_back(const T& v) {
        if (size_ == cap_) grow(size_ + 1);
        data_[size_++] = v;
    }
    void reserve(std::size_t n) {
        if (n > cap_) resize_storage(n);
    }
    // Sets the size; new elements are value-initialized.
    void assign(const PodArray& other) {
        reserve(other.size_);
        if (other.size_) std::memcpy(data_, other.data_, other.size_ * sizeof(T));
        size_ = other.size_;
    }
    void resize(std::size_t n) {
        reserve(n);
        for (std::size_t i = size_; i < n; ++i) data_[i] = T{};
        size_ = n;
    }
    void clear() { size_ = 0; }
    // Exchanges contents (both arrays must use the same hooks).
    void swap(PodArray& other) {
        std::swap(data_, other.data_);
        std::swap(size_, other.size_);
        std::swap(cap_, other.cap_);
    }
    // Sets the size without initializing new elements (the caller writes them).
    void resize_for_overwrite(std::size_t n) {
        reserve(n);
        size_ = n;
    }
    // Takes over the memory of `other` (same hooks), whose first n * sizeof(T)
    // bytes the caller has filled with T values; `other` is left empty.
    template <typename U>
    void adopt(PodArray<U>& other, std::size_t n) {
        static_assert(alignof(U) >= alignof(T), "adopted memory must be aligned for T");
        if (n > other.cap_ * sizeof(U) / sizeof(T)) throw std::bad_alloc();
        if (data_ && hooks_.release) hooks_.release(hooks_.ctx, data_);
        data_ = reinterpret_cast<T*>(other.data_);
        size_ = n;
        cap_ = other.cap_ * sizeof(U) / sizeof(T);
        other.data_ = nullptr;
        other.size_ = other.cap_ = 0;
    }

private:
    template <typename U>
    friend class PodArray;
    void grow(std::size_t need);
    void resize_storage(std::size_t n);

    MemoryHooks hooks_;
    T* data_ = nullptr;
    std::size_t size_ = 0, cap_ = 0;
};

template <typename T>
inline void PodArray<T>::grow(std::size_t need) {
    // 1.5x keeps the slack of a large buffer at a quarter on average.
    std::size_t n = cap_ < 8 ? 8 : cap_ + cap_ / 2;
    if (n < need) n = need;
    resize_storage(n);
}

template <typename T>
inline void PodArray<T>::resize_storage(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    void* p = data_ ? hooks_.reallocate(hooks_.ctx, data_, n * sizeof(T)) : hooks_.allocate(hooks_.ctx, n * sizeof(T));
    if (!p) throw std::bad_alloc();
    data_ = static_cast<T*>(p);
    cap_ = n;
}

}  // namespace pgf
