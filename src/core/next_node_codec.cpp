#include "core/next_node_codec.hpp"

#include <cstring>
#include <string>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "core/event.hpp"
#include "core/state_codec.hpp"
#include "core/state_time.hpp"

namespace pgf {

namespace {

[[noreturn]] void corrupt(const std::string& what) {
    fail(ErrorKind::CorruptState, "corrupt pg_funnel sequence_next_node state: " + what);
}

}  // namespace

unsigned char* encode_next_node_header(const NextNodeStateHeader& h, unsigned char* out) {
    out[0] = kNextNodeStateVersion;
    out[1] = h.time_kind;
    out[2] = static_cast<unsigned char>(h.direction);
    out[3] = static_cast<unsigned char>(h.base);
    out[4] = static_cast<unsigned char>(h.n_steps);
    out[5] = out[6] = out[7] = 0;
    put_u64(out + 8, h.count);
    return out + kNextNodeStateHeaderSize;
}

unsigned char* encode_next_node_row(const NextNodeRow& r, unsigned char* out) {
    put_u64(out, static_cast<std::uint64_t>(r.ts));
    put_u64(out + 8, r.mask);
    out[16] = r.can_be_base ? 1 : 0;
    put_u32(out + 17, static_cast<std::uint32_t>(r.value.size()));
    if (!r.value.empty()) std::memcpy(out + kNextNodeRowFixedSize, r.value.data(), r.value.size());
    return out + kNextNodeRowFixedSize + r.value.size();
}

NextNodeStateDecoder::NextNodeStateDecoder(const unsigned char* in, std::size_t len) : in_(in), len_(len) {
    if (len < kNextNodeStateHeaderSize) corrupt("too short");
    if (in[0] != kNextNodeStateVersion) corrupt("unknown version " + std::to_string(in[0]));
    if (in[1] >= kTimeKinds) corrupt("bad time type");
    if (in[2] > 1) corrupt("bad direction");
    if (in[3] > 3) corrupt("bad base");
    if (in[5] || in[6] || in[7]) corrupt("bad reserved bytes");
    header_.time_kind = in[1];
    header_.direction = static_cast<NextNodeDirection>(in[2]);
    header_.base = static_cast<NextNodeBase>(in[3]);
    header_.n_steps = in[4];
    try {
        check_next_node_spec(header_.direction, header_.base, header_.n_steps);
    } catch (const Error& e) {
        corrupt(e.what());
    }
    header_.count = get_u64(in + 8);
    if (header_.count > (len - kNextNodeStateHeaderSize) / kNextNodeRowFixedSize) corrupt("row count beyond the end");
    allowed_ = header_.n_steps == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << header_.n_steps) - 1;
}

NextNodeRow NextNodeStateDecoder::next() {
    if (read_ >= header_.count) corrupt("too many rows read");
    if (len_ - pos_ < kNextNodeRowFixedSize) corrupt("truncated row");
    const unsigned char* r = in_ + pos_;
    NextNodeRow row;
    row.ts = static_cast<std::int64_t>(get_u64(r));
    row.mask = get_u64(r + 8);
    if (row.mask & ~allowed_) corrupt("step bit beyond the step count");
    if (r[16] > 1) corrupt("bad base flag");
    row.can_be_base = r[16] == 1;
    if (!plausible_state_time(header_.time_kind, row.ts)) corrupt("date out of range");
    const std::uint32_t size = get_u32(r + 17);
    pos_ += kNextNodeRowFixedSize;
    if (size > len_ - pos_) corrupt("value beyond the end");
    row.value = std::string_view(reinterpret_cast<const char*>(in_ + pos_), size);
    pos_ += size;
    ++read_;
    return row;
}

void NextNodeStateDecoder::finish() const {
    if (read_ != header_.count) corrupt("rows left unread");
    if (pos_ != len_) corrupt("trailing bytes");
}

}  // namespace pgf
