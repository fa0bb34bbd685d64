// dropoff_by_stage state: random bytes through decode_dropoff and its duration
// reads, as the deserializer does (src/pg/reports.cpp). A decoded
// state re-encodes to the same bytes; the final function's stage statistics and
// duration summaries are consistent (actors never grow with the stage, rates in
// [0, 1], the median within the range of the durations).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/dropoff.hpp"
#include "core/state_time.hpp"
#include "fuzz_common.hpp"

using fuzz::guard;

namespace {

constexpr std::int64_t kUsecsPerDay = 86400000000LL;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgf::DropoffDecoded d;
    std::vector<std::vector<std::int64_t>> durations;  // [k - 2]
    const bool ok = guard(fuzz::bit(pgf::ErrorKind::CorruptState), [&] {
        d = pgf::decode_dropoff(data, size);
        if (d.form() != 0)
            for (int k = 2; k <= d.n_steps(); ++k) {
                std::vector<std::int64_t> v;
                for (std::int64_t i = 0; i < d.durations(k); ++i) v.push_back(d.duration(k, i));
                durations.push_back(std::move(v));
            }
    });
    if (!ok) return 0;
    const std::string what = "state " + fuzz::hex(data, std::min<std::size_t>(size, 256));
    const int n = d.n_steps();
    FUZZ_CHECK(n >= 1 && n <= pgf::kMaxSteps && d.form() <= pgf::kDropoffMaxForm, what);
    if (d.form() != 0 && d.form() - 1 == pgf::kStateTimeDate)
        for (const auto& v : durations)
            for (std::int64_t x : v)
                FUZZ_CHECK(x >= -(std::int64_t{1} << 32) && x < (std::int64_t{1} << 32),
                           what << " date duration " << x << " accepted");

    // Round trip.
    std::vector<const std::int64_t*> ptrs;
    for (const auto& v : durations) ptrs.push_back(v.data());
    pgf::DropoffStateView view;
    view.form = d.form();
    view.n_steps = n;
    view.at_level = d.at_level();
    view.durations = ptrs.data();
    std::size_t encoded = 0;
    guard(0, [&] { encoded = pgf::dropoff_encoded_size(view, SIZE_MAX); });
    FUZZ_CHECK(encoded == size, what << " encoded size " << encoded);
    std::vector<unsigned char> again(size);
    pgf::encode_dropoff(view, again.data());
    FUZZ_CHECK(std::equal(again.begin(), again.end(), data), what << " re-encoding differs");

    // The final function.
    std::vector<pgf::StageStats> stages;
    guard(0, [&] { stages = pgf::dropoff_stages(d.at_level(), n); });
    FUZZ_CHECK(stages.size() == static_cast<std::size_t>(n), what);
    std::int64_t dropped = 0;
    for (int k = 1; k <= n; ++k) {
        const pgf::StageStats& s = stages[static_cast<std::size_t>(k - 1)];
        FUZZ_CHECK(s.stage == k, what);
        FUZZ_CHECK(s.actors == pgf::actors_reaching(d.at_level(), n, k), what << " stage " << k);
        if (k > 1) FUZZ_CHECK(s.actors <= stages[static_cast<std::size_t>(k - 2)].actors, what << " actors grow at " << k);
        FUZZ_CHECK(s.dropped >= 0 && s.dropped <= s.actors, what << " dropped at " << k);
        dropped += s.dropped;
        for (const auto* r : {&s.conversion_from_start, &s.conversion_from_previous, &s.dropoff_rate})
            if (r->has_value()) FUZZ_CHECK(std::isfinite(**r) && **r >= 0.0 && **r <= 1.0, what << " rate at " << k);
    }
    FUZZ_CHECK(dropped + stages.back().actors == stages.front().actors, what << " dropped do not add up");
    const std::int64_t scale = d.form() != 0 && d.form() - 1 == pgf::kStateTimeDate ? kUsecsPerDay : 1;
    for (std::size_t k = 0; k < durations.size(); ++k) {
        const std::vector<std::int64_t>& v = durations[k];
        std::optional<pgf::DurationSummary> sum;
        if (!guard(fuzz::bit(pgf::ErrorKind::OutOfRange), [&] { sum = pgf::summarize_durations(v, scale); })) continue;
        FUZZ_CHECK(sum.has_value() == !v.empty(), what);
        if (!sum) continue;
        const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
        FUZZ_CHECK(sum->count == static_cast<std::int64_t>(v.size()), what);
        FUZZ_CHECK(std::isfinite(sum->mean) && std::isfinite(sum->median), what);
        FUZZ_CHECK(sum->median >= static_cast<double>(*lo) && sum->median <= static_cast<double>(*hi),
                   what << " median " << sum->median << " outside [" << *lo << ", " << *hi << "]");
        FUZZ_CHECK(sum->mean >= static_cast<double>(*lo) * (1 + (*lo < 0 ? 1e-12 : -1e-12)) - 1 &&
                       sum->mean <= static_cast<double>(*hi) * (1 + (*hi > 0 ? 1e-12 : -1e-12)) + 1,
                   what << " mean " << sum->mean << " outside [" << *lo << ", " << *hi << "]");
    }
    return 0;
}
