// retention state: random bytes through the decoder (core/retention_codec.hpp).
// A decoded state re-encodes to the same bytes, combines as a bitwise OR, and its
// result follows the definition r[1] = any(c1), r[i] = any(c1) and any(ci).
#include <cstdint>
#include <vector>

#include "core/retention.hpp"
#include "core/retention_codec.hpp"
#include "fuzz_common.hpp"

using fuzz::guard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgf::RetentionStateData s;
    if (!guard(fuzz::bit(pgf::ErrorKind::CorruptState), [&] { s = pgf::decode_retention_state(data, size); }))
        return 0;
    const std::string what = "state " + fuzz::hex(data, size);
    FUZZ_CHECK(s.n_conditions >= 1 && s.n_conditions <= pgf::kMaxSteps, what);
    unsigned char again[pgf::kRetentionStateSize];
    pgf::encode_retention_state(s, again);
    FUZZ_CHECK(size == pgf::kRetentionStateSize && std::equal(again, again + size, data), what << " re-encoding differs");

    std::vector<bool> r;
    guard(0, [&] { r = pgf::retention_result(s.seen, s.n_conditions); });
    FUZZ_CHECK(r.size() == static_cast<std::size_t>(s.n_conditions), what);
    const bool first = s.seen & 1u;
    for (int i = 0; i < s.n_conditions; ++i)
        FUZZ_CHECK(r[static_cast<std::size_t>(i)] == (first && ((s.seen >> i) & 1u)), what << " r[" << i + 1 << "]");
    FUZZ_CHECK(pgf::retention_combine(s.seen, 0) == s.seen && pgf::retention_combine(s.seen, s.seen) == s.seen, what);
    return 0;
}
