// micro_correlations state: random bytes through CorrelationDecoder, with the
// duplicate-name check the deserializer adds (src/pg/micro.cpp). A decoded state
// re-encodes to the same bytes, and the final function's ranking runs on it:
// ranks 1..k, q-values in [0, 1], every row an event of the state, the order as
// documented, and every statistic in range.
#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/micro_correlations.hpp"
#include "core/stats.hpp"
#include "fuzz_common.hpp"
#include "stats_checks.hpp"

using fuzz::guard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgf::CorrelationHeader h;
    std::vector<pgf::EventCount> events;
    const bool ok = guard(fuzz::bit(pgf::ErrorKind::CorruptState), [&] {
        pgf::CorrelationDecoder dec(data, size);
        h = dec.header();
        std::unordered_set<std::string_view> names;
        for (std::int64_t i = 0; i < h.n_events; ++i) {
            const pgf::EventCount e = dec.next();
            if (!names.insert(e.name).second)
                pgf::fail(pgf::ErrorKind::CorruptState, "corrupt micro_correlations aggregate state: duplicate event name");
            events.push_back(e);
        }
        dec.finish();
    });
    if (!ok) return 0;
    const std::string what = "state " + fuzz::hex(data, std::min<std::size_t>(size, 256));

    // Round trip.
    std::size_t n = pgf::correlation_header_size(h.sum.size());
    for (const auto& e : events) n += pgf::kCorrelationEntryFixed + e.name.size();
    FUZZ_CHECK(n == size, what << " size " << n);
    std::vector<unsigned char> again(size);
    unsigned char* p = pgf::encode_correlation_header(h, again.data());
    for (const auto& e : events) p = pgf::encode_correlation_entry(e, p);
    FUZZ_CHECK(p == again.data() + size && std::equal(again.begin(), again.end(), data), what << " re-encoding differs");

    // The final function.
    const std::int64_t actors = h.totals.converted + h.totals.not_converted;
    const std::int64_t min_support = h.explicit_min_support ? h.min_support : pgf::default_min_support(actors);
    guard(0, [&] { pgf::check_min_support(min_support); });
    std::vector<pgf::CorrelationRow> rows;
    guard(0, [&] { rows = pgf::rank_correlations(events, h.totals, min_support); });
    FUZZ_CHECK(rows.size() <= events.size(), what);
    std::unordered_set<std::string_view> seen;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const pgf::CorrelationRow& r = rows[i];
        FUZZ_CHECK(r.rank == static_cast<int>(i) + 1, what << " rank " << r.rank << " at " << i);
        FUZZ_CHECK(seen.insert(r.name).second, what << " event listed twice");
        FUZZ_CHECK(r.q_value >= 0.0 && r.q_value <= 1.0, what << " q " << r.q_value);
        FUZZ_CHECK(r.table.a + r.table.b >= min_support, what << " below min_support");
        FUZZ_CHECK(r.table.a + r.table.c == h.totals.converted && r.table.b + r.table.d == h.totals.not_converted,
                   what << " table does not add up to the totals");
        fuzz::check_stats(r.table, r.stats, what);
        if (i > 0) {
            const auto& q = rows[i - 1];
            const double p0 = q.stats.p_value.value_or(1.0), p1 = r.stats.p_value.value_or(1.0);
            FUZZ_CHECK(p0 <= p1, what << " not ranked by p-value: " << p0 << " then " << p1);
        }
    }
    std::size_t supported = 0;
    for (const auto& e : events) supported += e.converted + e.not_converted >= min_support;
    FUZZ_CHECK(rows.size() == supported, what << " rows " << rows.size() << " supported " << supported);
    return 0;
}
