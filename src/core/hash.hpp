// 64-bit hashing of integers and bytes: the actor tables of funnel_report and
// the fingerprint of a list of step names. Words are read little-endian, so a
// hash is the same on every host (fingerprints travel in serialized states).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/byte_order.hpp"

namespace pgf {

inline std::uint64_t fmix64(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

inline std::uint64_t hash_bytes(const unsigned char* p, std::size_t len, std::uint64_t seed = 0) {
    std::uint64_t h = (0x9e3779b97f4a7c15ULL + seed) ^ (len * 0xc6a4a7935bd1e995ULL);
    std::size_t i = 0;
    for (; i + 8 <= len; i += 8) h = (h ^ fmix64(get_u64(p + i))) * 0x9ddfea08eb382d69ULL;
    std::uint64_t tail = 0;
    for (std::size_t j = 0; i + j < len; ++j) tail |= static_cast<std::uint64_t>(p[i + j]) << (8 * j);
    return fmix64(h ^ tail);
}

}  // namespace pgf
