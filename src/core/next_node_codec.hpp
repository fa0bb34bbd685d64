// Binary form of the sequence_next_node aggregate state, as parallel workers ship
// it to the leader. Decoding validates every byte, so it runs on untrusted input
// (test/fuzz/fuzz_next_node_state.cpp feeds it random bytes).
//
// Layout, little endian: u8 version (1), u8 time kind (< kTimeKinds),
// u8 direction (0 forward, 1 backward), u8 base (0 head, 1 tail, 2 first_match,
// 3 last_match), u8 step count, three zero bytes, u64 row count; then per row
// i64 time, u64 step mask (no bit at or past the step count), u8 base flag (0/1),
// u32 value length, the value bytes. For date time, every time is an int32 day.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/next_node.hpp"

namespace pgf {

constexpr std::uint8_t kNextNodeStateVersion = 1;
constexpr std::size_t kNextNodeStateHeaderSize = 8 + 8;
constexpr std::size_t kNextNodeRowFixedSize = 8 + 8 + 1 + 4;

struct NextNodeStateHeader {
    std::uint8_t time_kind = 0;
    NextNodeDirection direction = NextNodeDirection::Forward;
    NextNodeBase base = NextNodeBase::Head;
    int n_steps = 0;
    std::uint64_t count = 0;  // rows that follow
};

struct NextNodeRow {
    std::int64_t ts = 0;
    std::uint64_t mask = 0;
    bool can_be_base = false;
    std::string_view value;  // points into the encoded state when decoded
};

// Encoded sizes; the caller checks its own allocation limit.
inline std::size_t next_node_row_size(std::size_t value_size) { return kNextNodeRowFixedSize + value_size; }

// Each returns the position after what it wrote.
unsigned char* encode_next_node_header(const NextNodeStateHeader& h, unsigned char* out);
unsigned char* encode_next_node_row(const NextNodeRow& r, unsigned char* out);

// Reads and validates a state row by row; every check throws CorruptState.
// The constructor validates the header (and that the spec is one
// check_next_node_spec accepts); call next() exactly header().count times, then
// finish().
class NextNodeStateDecoder {
public:
    NextNodeStateDecoder(const unsigned char* in, std::size_t len);
    const NextNodeStateHeader& header() const { return header_; }
    NextNodeRow next();
    void finish() const;

private:
    const unsigned char* in_;
    std::size_t len_;
    std::size_t pos_ = kNextNodeStateHeaderSize;
    std::uint64_t read_ = 0;
    std::uint64_t allowed_ = 0;  // step bits a row may carry
    NextNodeStateHeader header_;
};

}  // namespace pgf
