#include "core/state_codec.hpp"

#include <cstring>
#include <string>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "core/funnel.hpp"

namespace pgf {

namespace {

[[noreturn]] void corrupt(const std::string& what) {
    fail(ErrorKind::CorruptState, "corrupt pg_funnel aggregate state: " + what);
}

}  // namespace

std::size_t encoded_state_size(std::size_t count) {
    return kEventStateHeaderSize + count * kEncodedEventSize;
}

void encode_state(const EventStateHeader& h, const Event* ev, std::size_t n, unsigned char* out) {
    out[0] = kEventStateVersion;
    out[1] = h.time_kind;
    out[2] = h.n_steps;
    out[3] = h.sorted;
    put_u32(out + 4, h.modes);
    put_u64(out + 8, static_cast<std::uint64_t>(h.window));
    put_u64(out + 16, n);
    put_u64(out + 24, h.steps_id);
    unsigned char* p = out + kEventStateHeaderSize;
    for (std::size_t i = 0; i < n; ++i, p += kEncodedEventSize) {
        put_u64(p, static_cast<std::uint64_t>(ev[i].ts));
        put_u64(p + 8, ev[i].mask);
    }
}

EventStateHeader decode_state_header(const unsigned char* in, std::size_t len) {
    if (len < kEventStateHeaderSize) corrupt("too short");
    if (in[0] != kEventStateVersion) corrupt("unknown version " + std::to_string(in[0]));
    EventStateHeader h;
    h.time_kind = in[1];
    h.n_steps = in[2];
    h.sorted = in[3];
    h.modes = get_u32(in + 4);
    h.window = static_cast<std::int64_t>(get_u64(in + 8));
    h.count = get_u64(in + 16);
    h.steps_id = get_u64(in + 24);
    if (h.time_kind >= kTimeKinds) corrupt("bad time type");
    if (h.n_steps < 1 || h.n_steps > kMaxSteps) corrupt("bad step count");
    if (h.sorted > 1) corrupt("bad flags");
    if (h.modes & ~kAllFunnelModes) corrupt("bad modes");
    if (h.window < 0) corrupt("negative window");
    if (h.count > (len - kEventStateHeaderSize) / kEncodedEventSize ||
        len != encoded_state_size(static_cast<std::size_t>(h.count)))
        corrupt("length does not match the event count");
    return h;
}

Event decode_state_event(const EventStateHeader& h, const unsigned char* in, std::size_t i) {
    const unsigned char* p = in + kEventStateHeaderSize + i * kEncodedEventSize;
    Event e{static_cast<std::int64_t>(get_u64(p)), get_u64(p + 8)};
    const std::uint64_t allowed = h.n_steps == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << h.n_steps) - 1;
    if (e.mask & ~allowed) corrupt("step bit beyond the step count");
    return e;
}

}  // namespace pgf
