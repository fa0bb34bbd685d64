// funnel_report state: random bytes through the decoder (core/funnel_report.hpp).
// A state that decodes gives n_steps + 1 levels summing to its actor count, and
// survives re-encoding and merging into an empty buffer with the same levels.
#include <cstdint>
#include <numeric>
#include <vector>

#include "core/funnel_report.hpp"
#include "fuzz_common.hpp"

using fuzz::guard;
using pgf::FunnelReportBuffer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FunnelReportBuffer::Header h{};
    if (!guard(fuzz::bit(pgf::ErrorKind::CorruptState), [&] { h = FunnelReportBuffer::decode_header(data, size); }))
        return 0;
    const std::string what = "state " + fuzz::hex(data, size);
    FUZZ_CHECK(h.spec.n_steps >= 1 && h.spec.n_steps <= pgf::kMaxSteps, what);
    FunnelReportBuffer b(pgf::heap_memory_hooks(), h.kind, h.spec);
    if (!guard(fuzz::bit(pgf::ErrorKind::CorruptState), [&] { b.decode_into(data, size); })) return 0;

    const std::size_t actors = b.actors();
    std::vector<std::int64_t> levels;
    guard(0, [&] { levels = b.levels(); });
    FUZZ_CHECK(levels.size() == static_cast<std::size_t>(h.spec.n_steps) + 1, what);
    for (std::int64_t n : levels) FUZZ_CHECK(n >= 0, what);
    FUZZ_CHECK(static_cast<std::size_t>(std::accumulate(levels.begin(), levels.end(), std::int64_t{0})) == actors,
               what << " levels do not sum to the actor count " << actors);

    std::vector<unsigned char> again;
    guard(0, [&] {
        again.resize(b.encoded_size(std::size_t{1} << 30));
        b.encode(h.host_tag, again.data());
    });
    FunnelReportBuffer c(pgf::heap_memory_hooks(), h.kind, h.spec);
    guard(0, [&] { c.decode_into(again.data(), again.size()); });
    std::vector<std::int64_t> levels_again;
    guard(0, [&] { levels_again = c.levels(); });
    FUZZ_CHECK(levels_again == levels, what << " re-encoded state gives other levels");

    FunnelReportBuffer m(pgf::heap_memory_hooks(), h.kind, h.spec);
    guard(0, [&] { m.merge(b); });
    std::vector<std::int64_t> levels_merged;
    guard(0, [&] { levels_merged = m.levels(); });
    FUZZ_CHECK(levels_merged == levels, what << " merged into an empty buffer gives other levels");
    return 0;
}
