#include "core/step_names.hpp"

#include <cstring>
#include <string>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/hash.hpp"

namespace pgf {

StepNames::StepNames(const MemoryHooks& hooks)
    : bytes_(hooks), offset_(hooks), length_(hooks), prefix_(hooks), suffix_(hooks), mask_(hooks) {}

namespace {

// The first 8 bytes of a name (zero-padded): one load for the common names of
// 8 bytes or more, instead of a memcpy call of variable length per row.
inline std::uint64_t prefix(const unsigned char* p, std::size_t len) {
    std::uint64_t w = 0;
    if (len >= 8) {
        std::memcpy(&w, p, 8);
    } else {
        for (std::size_t i = 0; i < len; ++i) w |= static_cast<std::uint64_t>(p[i]) << (8 * i);
    }
    return w;
}

// The last 8 bytes of a name of 8 bytes or more (else 0): with the prefix, a
// name of up to 16 bytes is compared in two loads, without a memcmp call.
inline std::uint64_t suffix(const unsigned char* p, std::size_t len) {
    std::uint64_t w = 0;
    if (len >= 8) std::memcpy(&w, p + len - 8, 8);
    return w;
}

}  // namespace

void StepNames::add_step(const void* name, std::size_t len) {
    if (n_steps_ >= kMaxSteps)
        fail(ErrorKind::LimitExceeded, "at most " + std::to_string(kMaxSteps) + " funnel steps are supported");
    const auto* p = static_cast<const unsigned char*>(name);
    fingerprint_ = hash_bytes(p, len, fingerprint_);  // chained: the order of the steps counts
    const std::uint64_t bit = std::uint64_t{1} << n_steps_++;
    for (std::size_t i = 0; i < mask_.size(); ++i)
        if (length_[i] == len && (len == 0 || std::memcmp(bytes_.data() + offset_[i], p, len) == 0)) {
            mask_[i] |= bit;
            return;
        }
    const std::size_t at = bytes_.size();
    bytes_.resize(at + len);
    if (len) std::memcpy(bytes_.data() + at, p, len);
    offset_.push_back(at);
    length_.push_back(len);
    prefix_.push_back(prefix(p, len));
    suffix_.push_back(suffix(p, len));
    mask_.push_back(bit);
}

std::uint64_t StepNames::mask_of(const void* event, std::size_t len) const {
    const auto* p = static_cast<const unsigned char*>(event);
    const std::uint64_t head = prefix(p, len), tail = suffix(p, len);
    for (std::size_t i = 0; i < mask_.size(); ++i)
        if (prefix_[i] == head && suffix_[i] == tail && length_[i] == len &&
            (len <= 16 || std::memcmp(bytes_.data() + offset_[i] + 8, p + 8, len - 16) == 0))
            return mask_[i];
    return 0;
}

}  // namespace pgf
