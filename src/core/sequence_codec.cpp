#include "core/sequence_codec.hpp"

#include <cstring>

#include "core/state_time.hpp"

namespace pgf {

void corrupt_sequence_state(const std::string& what) {
    fail(ErrorKind::CorruptState, "corrupt pg_funnel sequence state: " + what);
}

std::size_t sequence_state_size(std::size_t pattern_size, std::size_t count, std::size_t max_size) {
    if (max_size < 4 + kEventStateHeaderSize || pattern_size > UINT32_MAX ||
        pattern_size > max_size - 4 - kEventStateHeaderSize ||
        count > (max_size - 4 - kEventStateHeaderSize - pattern_size) / kEncodedEventSize)
        fail(ErrorKind::LimitExceeded, "aggregate state is too large to send to a parallel worker");
    return 4 + pattern_size + encoded_state_size(count);
}

void encode_sequence_state(std::string_view pattern, const EventStateHeader& h, const Event* ev, std::size_t n,
                           unsigned char* out) {
    const auto size = static_cast<std::uint32_t>(pattern.size());
    for (int i = 0; i < 4; ++i) out[i] = static_cast<unsigned char>(size >> (8 * i));
    if (!pattern.empty()) std::memcpy(out + 4, pattern.data(), pattern.size());
    encode_state(h, ev, n, out + 4 + pattern.size());
}

SequenceStateLayout decode_sequence_layout(const unsigned char* in, std::size_t len) {
    if (len < 4) corrupt_sequence_state("too short");
    std::size_t psize = 0;
    for (int i = 0; i < 4; ++i) psize |= static_cast<std::size_t>(in[i]) << (8 * i);
    if (psize > len - 4) corrupt_sequence_state("pattern length beyond the end");
    SequenceStateLayout layout;
    layout.pattern = std::string_view(reinterpret_cast<const char*>(in + 4), psize);
    layout.events = in + 4 + psize;
    layout.header = decode_state_header(layout.events, len - 4 - psize);
    if (layout.header.modes != 0 || layout.header.window != 0 || layout.header.steps_id != 0)
        corrupt_sequence_state("funnel parameters in a sequence state");
    return layout;
}

Event decode_sequence_event(const SequenceStateLayout& layout, std::size_t i) {
    const Event e = decode_state_event(layout.header, layout.events, i);
    if (e.mask == 0) corrupt_sequence_state("row without a condition");
    if (!plausible_state_time(layout.header.time_kind, e.ts)) corrupt_sequence_state("date out of range");
    return e;
}

}  // namespace pgf
