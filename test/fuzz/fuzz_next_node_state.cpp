// sequence_next_node state: random bytes through NextNodeStateDecoder
// (core/next_node_codec.hpp). A decoded state re-encodes to the same bytes; the
// final function (sort, then sequence_next_node) runs on it, and the answer is
// the same on the rows a head / tail state keeps (next_node_rows_needed), which
// is what the transition and combine functions compact the state to.
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/next_node.hpp"
#include "core/next_node_codec.hpp"
#include "core/state_time.hpp"
#include "fuzz_common.hpp"

using fuzz::guard;

namespace {

struct Values {
    std::vector<std::string_view> v;
};

int compare(const void* context, std::uint32_t a, std::uint32_t b) {
    const auto* vals = static_cast<const Values*>(context);
    return pgf::value_bytes_compare(vals->v[a], vals->v[b]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgf::NextNodeStateHeader h;
    std::vector<pgf::NextNodeRow> rows;
    const bool ok = guard(fuzz::bit(pgf::ErrorKind::CorruptState), [&] {
        pgf::NextNodeStateDecoder dec(data, size);
        h = dec.header();
        for (std::uint64_t i = 0; i < h.count; ++i) rows.push_back(dec.next());
        dec.finish();
    });
    if (!ok) return 0;
    const std::string what = "state " + fuzz::hex(data, std::min<std::size_t>(size, 256));
    guard(0, [&] { pgf::check_next_node_spec(h.direction, h.base, h.n_steps); });

    // Round trip.
    std::size_t n = pgf::kNextNodeStateHeaderSize;
    for (const auto& r : rows) n += pgf::next_node_row_size(r.value.size());
    FUZZ_CHECK(n == size, what << " size " << n);
    std::vector<unsigned char> again(size);
    unsigned char* p = pgf::encode_next_node_header(h, again.data());
    for (const auto& r : rows) p = pgf::encode_next_node_row(r, p);
    FUZZ_CHECK(p == again.data() + size && std::equal(again.begin(), again.end(), data), what << " re-encoding differs");

    // The final function, on every row and on the rows a compacted state keeps.
    Values vals;
    std::vector<pgf::NodeEvent> ev;
    for (const auto& r : rows) {
        FUZZ_CHECK(pgf::plausible_state_time(h.time_kind, r.ts), what);
        ev.push_back(pgf::NodeEvent{r.ts, r.mask, static_cast<std::uint32_t>(vals.v.size()), r.can_be_base});
        vals.v.push_back(r.value);
    }
    pgf::sort_node_events(ev.data(), ev.size(), compare, &vals);
    std::ptrdiff_t got = -2;
    guard(0, [&] { got = pgf::sequence_next_node(h.direction, h.base, h.n_steps, ev.data(), ev.size()); });
    FUZZ_CHECK(got >= -1 && got < static_cast<std::ptrdiff_t>(ev.size()), what << " answer " << got);
    const std::size_t keep = pgf::next_node_rows_needed(h.base, h.n_steps, ev.size());
    if (keep < ev.size()) {
        const std::size_t from = h.base == pgf::NextNodeBase::Head ? 0 : ev.size() - keep;
        std::ptrdiff_t pruned = -2;
        guard(0, [&] { pruned = pgf::sequence_next_node(h.direction, h.base, h.n_steps, ev.data() + from, keep); });
        const std::ptrdiff_t mapped = pruned < 0 ? -1 : pruned + static_cast<std::ptrdiff_t>(from);
        FUZZ_CHECK(mapped == got, what << " compacted answer " << mapped << " instead of " << got);
    }
    return 0;
}
