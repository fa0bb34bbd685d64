// micro_stats / micro_value state: random bytes through decode_micro_state. A
// decoded state re-encodes to the same bytes, its sum is plain decimal text that
// PostgreSQL's numeric input accepts, and the statistics of its table are all in
// range (core/stats.hpp, docs/reports.md).
#include <cstdint>
#include <vector>

#include "core/micro_correlations.hpp"
#include "core/stats.hpp"
#include "fuzz_common.hpp"
#include "stats_checks.hpp"

using fuzz::guard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgf::MicroState m;
    if (!guard(fuzz::bit(pgf::ErrorKind::CorruptState), [&] { m = pgf::decode_micro_state(data, size); })) return 0;
    const std::string what = "state " + fuzz::hex(data, std::min<std::size_t>(size, 256));
    FUZZ_CHECK(pgf::micro_state_size(m.sum.size()) == size, what);
    std::vector<unsigned char> again(size);
    pgf::encode_micro_state(m, again.data());
    FUZZ_CHECK(std::equal(again.begin(), again.end(), data), what << " re-encoding differs");
    FUZZ_CHECK(m.n_values == 0 ? m.sum.empty() : pgf::is_plain_decimal(m.sum), what << " sum");
    FUZZ_CHECK(m.n_values >= 0 && m.n_values <= m.table.a + m.table.c, what << " n_values");

    // The final function's work.
    guard(0, [&] { pgf::check_table(m.table); });
    pgf::TableStats s;
    guard(0, [&] { s = pgf::table_stats(m.table); });
    fuzz::check_stats(m.table, s, what);
    return 0;
}
