#include "core/retention_codec.hpp"

#include "core/error.hpp"
#include "core/event.hpp"

namespace pgf {

void encode_retention_state(const RetentionStateData& s, unsigned char* out) {
    out[0] = kRetentionStateVersion;
    out[1] = static_cast<unsigned char>(s.n_conditions);
    for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<unsigned char>(s.seen >> (8 * i));
}

RetentionStateData decode_retention_state(const unsigned char* in, std::size_t len) {
    if (len != kRetentionStateSize || in[0] != kRetentionStateVersion || in[1] < 1 || in[1] > kMaxSteps)
        fail(ErrorKind::CorruptState, "corrupt retention state");
    RetentionStateData s;
    s.n_conditions = in[1];
    for (int i = 0; i < 8; ++i) s.seen |= static_cast<std::uint64_t>(in[2 + i]) << (8 * i);
    if (s.n_conditions < 64 && (s.seen >> s.n_conditions) != 0)
        fail(ErrorKind::CorruptState, "corrupt retention state: condition bit beyond the count");
    return s;
}

}  // namespace pgf
