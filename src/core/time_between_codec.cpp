#include "core/time_between_codec.hpp"

#include <string>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "core/state_codec.hpp"
#include "core/state_time.hpp"

namespace pgf {

namespace {

[[noreturn]] void corrupt(const std::string& what) {
    fail(ErrorKind::CorruptState, "corrupt time_between state: " + what);
}

constexpr unsigned char kHasFrom = 1;
constexpr unsigned char kHasBest = 2;

}  // namespace

std::size_t time_between_state_size(std::size_t count, std::size_t max_size) {
    if (max_size < kTimeBetweenStateHeaderSize || count > (max_size - kTimeBetweenStateHeaderSize) / 8)
        fail(ErrorKind::LimitExceeded, "time_between state is too large");
    return kTimeBetweenStateHeaderSize + 8 * count;
}

void encode_time_between_state(const TimeBetweenStateHeader& h, const std::int64_t* early, unsigned char* out) {
    out[0] = kTimeBetweenStateVersion;
    out[1] = h.time_kind;
    out[2] = static_cast<unsigned char>((h.has_from ? kHasFrom : 0) | (h.has_best ? kHasBest : 0));
    put_u64(out + 3, static_cast<std::uint64_t>(h.has_from ? h.first_from : 0));
    put_u64(out + 11, static_cast<std::uint64_t>(h.has_best ? h.best_to : 0));
    put_u64(out + 19, h.count);
    unsigned char* p = out + kTimeBetweenStateHeaderSize;
    for (std::uint64_t i = 0; i < h.count; ++i, p += 8) put_u64(p, static_cast<std::uint64_t>(early[i]));
}

TimeBetweenStateHeader decode_time_between_header(const unsigned char* in, std::size_t len) {
    if (len < kTimeBetweenStateHeaderSize) corrupt("too short");
    if (in[0] != kTimeBetweenStateVersion) corrupt("unknown version " + std::to_string(in[0]));
    TimeBetweenStateHeader h;
    h.time_kind = in[1];
    if (h.time_kind >= kTimeKinds) corrupt("bad time type");
    if (in[2] & ~(kHasFrom | kHasBest)) corrupt("bad flags");
    h.has_from = (in[2] & kHasFrom) != 0;
    h.has_best = (in[2] & kHasBest) != 0;
    h.first_from = static_cast<std::int64_t>(get_u64(in + 3));
    h.best_to = static_cast<std::int64_t>(get_u64(in + 11));
    h.count = get_u64(in + 19);
    if (h.count > (len - kTimeBetweenStateHeaderSize) / 8 || len != kTimeBetweenStateHeaderSize + 8 * h.count)
        corrupt("length does not match the count");
    if (h.has_best && !h.has_from) corrupt("a best time without a from time");
    if (!h.has_from && h.first_from != 0) corrupt("a from time without its flag");
    if (!h.has_best && h.best_to != 0) corrupt("a best time without its flag");
    if (!plausible_state_time(h.time_kind, h.first_from) || !plausible_state_time(h.time_kind, h.best_to))
        corrupt("time out of range for its type");
    return h;
}

std::int64_t decode_time_between_early(const TimeBetweenStateHeader& h, const unsigned char* in, std::size_t i) {
    const auto t = static_cast<std::int64_t>(get_u64(in + kTimeBetweenStateHeaderSize + 8 * i));
    if (!plausible_state_time(h.time_kind, t)) corrupt("time out of range for its type");
    return t;
}

}  // namespace pgf
