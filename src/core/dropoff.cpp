#include "core/dropoff.hpp"

#include <algorithm>
#include <string>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/state_time.hpp"

namespace pgf {

namespace {

__extension__ typedef __int128 int128;

[[noreturn]] void corrupt(const std::string& what) {
    fail(ErrorKind::CorruptState, "corrupt dropoff_by_stage aggregate state: " + what);
}

// Rounds num * scale / den (den > 0, scale >= 1) to the nearest integer, halves
// away from zero; OutOfRange when it does not fit in int64.
std::int64_t round_div(int128 num, std::int64_t scale, int128 den) {
    int128 scaled = 0;
    if (__builtin_mul_overflow(num, static_cast<int128>(scale), &scaled))
        fail(ErrorKind::OutOfRange, "dropoff_by_stage: duration is out of range");
    int128 q = scaled / den;
    const int128 r = scaled % den;
    const int128 twice = (r < 0 ? -r : r) * 2;
    if (twice >= den) q += scaled < 0 ? -1 : 1;
    if (q > INT64_MAX || q < INT64_MIN) fail(ErrorKind::OutOfRange, "dropoff_by_stage: duration is out of range");
    return static_cast<std::int64_t>(q);
}

constexpr std::size_t kHeaderSize = 4;

}  // namespace

void check_dropoff_steps(std::int64_t n_steps) {
    if (n_steps < 1)
        fail(ErrorKind::InvalidParameter, "n_steps must be at least 1, got " + std::to_string(n_steps));
    if (n_steps > kMaxSteps)
        fail(ErrorKind::LimitExceeded,
             "n_steps must be at most " + std::to_string(kMaxSteps) + ", got " + std::to_string(n_steps));
}

void check_dropoff_level(std::int64_t level, int n_steps) {
    if (level < 0 || level > n_steps)
        fail(ErrorKind::InvalidParameter, "funnel level " + std::to_string(level) + " is outside 0.." +
                                              std::to_string(n_steps) + " (n_steps)");
}

std::int64_t actors_reaching(const std::int64_t* at_level, int n_steps, int stage) {
    std::int64_t sum = 0;
    for (int level = std::max(stage, 0); level <= n_steps; ++level)
        if (at_level[level] < 0 || __builtin_add_overflow(sum, at_level[level], &sum))
            fail(ErrorKind::CountOutOfRange, "dropoff_by_stage: actor count is out of range");
    return sum;
}

std::vector<StageStats> dropoff_stages(const std::int64_t* at_level, int n_steps) {
    check_dropoff_steps(n_steps);
    actors_reaching(at_level, n_steps, 0);  // validates every count and the total
    std::vector<StageStats> out(static_cast<std::size_t>(n_steps));
    std::int64_t reach[kMaxSteps + 2] = {};
    for (int k = n_steps; k >= 1; --k) reach[k] = reach[k + 1] + at_level[k];
    for (int k = 1; k <= n_steps; ++k) {
        StageStats& s = out[static_cast<std::size_t>(k - 1)];
        s.stage = k;
        s.actors = reach[k];
        s.dropped = k < n_steps ? reach[k] - reach[k + 1] : 0;
        if (reach[1] > 0) s.conversion_from_start = static_cast<double>(reach[k]) / static_cast<double>(reach[1]);
        if (k == 1) {
            if (reach[1] > 0) s.conversion_from_previous = 1.0;
        } else if (reach[k - 1] > 0) {
            s.conversion_from_previous = static_cast<double>(reach[k]) / static_cast<double>(reach[k - 1]);
        }
        if (reach[k] > 0) s.dropoff_rate = static_cast<double>(s.dropped) / static_cast<double>(reach[k]);
    }
    return out;
}

std::optional<DurationSummary> summarize_durations(std::vector<std::int64_t> values, std::int64_t scale) {
    if (values.empty()) return std::nullopt;
    if (scale < 1) fail(ErrorKind::Internal, "summarize_durations: bad scale");
    DurationSummary s;
    s.count = static_cast<std::int64_t>(values.size());
    int128 sum = 0;
    InterruptCheck interrupt;
    for (std::int64_t v : values) {
        sum += v;  // |sum| < 2^63 * 2^63: no overflow
        interrupt.tick();
    }
    s.mean = static_cast<double>(static_cast<long double>(sum) / static_cast<long double>(s.count));
    s.mean_rounded = round_div(sum, scale, s.count);

    const std::size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
    const std::int64_t upper = values[mid];
    if (values.size() % 2 == 1) {
        s.median = static_cast<double>(upper);
        s.median_rounded = round_div(upper, scale, 1);
    } else {
        const std::int64_t lower =
            *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
        const int128 pair = static_cast<int128>(lower) + upper;
        s.median = static_cast<double>(static_cast<long double>(pair) / 2);
        s.median_rounded = round_div(pair, scale, 2);
    }
    return s;
}

std::size_t dropoff_encoded_size(const DropoffStateView& view, std::size_t max_size) {
    std::size_t values = static_cast<std::size_t>(view.n_steps) + 1;
    if (view.form != 0)
        for (int k = 2; k <= view.n_steps; ++k) {
            const auto n = static_cast<std::uint64_t>(actors_reaching(view.at_level, view.n_steps, k));
            if (__builtin_add_overflow(values, n, &values)) fail(ErrorKind::LimitExceeded, "dropoff_by_stage state is too large");
        }
    if (values > (max_size - kHeaderSize) / 8) fail(ErrorKind::LimitExceeded, "dropoff_by_stage state is too large");
    return kHeaderSize + values * 8;
}

void encode_dropoff(const DropoffStateView& view, unsigned char* out) {
    out[0] = kDropoffStateVersion;
    out[1] = view.form;
    out[2] = static_cast<unsigned char>(view.n_steps);
    out[3] = 0;
    unsigned char* p = out + kHeaderSize;
    for (int level = 0; level <= view.n_steps; ++level, p += 8)
        put_u64(p, static_cast<std::uint64_t>(view.at_level[level]));
    if (view.form == 0) return;
    InterruptCheck interrupt;
    for (int k = 2; k <= view.n_steps; ++k) {
        const std::int64_t n = actors_reaching(view.at_level, view.n_steps, k);
        const std::int64_t* values = view.durations[k - 2];
        for (std::int64_t i = 0; i < n; ++i, p += 8) {
            put_u64(p, static_cast<std::uint64_t>(values[i]));
            interrupt.tick();
        }
    }
}

std::int64_t DropoffDecoded::duration(int stage, std::int64_t i) const {
    const auto v = static_cast<std::int64_t>(get_u64(stage_data_[stage] + static_cast<std::size_t>(i) * 8));
    // Date durations are differences of int32 day numbers, so they are bounded;
    // differences of timestamps and of bigints are any int64.
    if (form_ - 1 == kStateTimeDate) {
        constexpr std::int64_t bound = static_cast<std::int64_t>(INT32_MAX) - INT32_MIN;
        if (v > bound || v < -bound) corrupt("duration out of range");
    }
    return v;
}

DropoffDecoded decode_dropoff(const unsigned char* in, std::size_t len) {
    if (len < kHeaderSize) corrupt("too short");
    if (in[0] != kDropoffStateVersion) corrupt("unknown version " + std::to_string(in[0]));
    DropoffDecoded s;
    s.form_ = in[1];
    s.n_steps_ = in[2];
    if (s.form_ > kDropoffMaxForm) corrupt("bad form");
    if (s.n_steps_ < 1 || s.n_steps_ > kMaxSteps) corrupt("bad step count");
    if (in[3] != 0) corrupt("bad flags");
    std::size_t pos = kHeaderSize;
    const std::size_t counts = static_cast<std::size_t>(s.n_steps_) + 1;
    if ((len - pos) / 8 < counts) corrupt("truncated counts");
    std::int64_t total = 0;
    for (int level = 0; level <= s.n_steps_; ++level, pos += 8) {
        const std::uint64_t v = get_u64(in + pos);
        if (v > static_cast<std::uint64_t>(INT64_MAX)) corrupt("negative count");
        s.at_level_[level] = static_cast<std::int64_t>(v);
        if (__builtin_add_overflow(total, s.at_level_[level], &total)) corrupt("total count overflows");
    }
    if (s.form_ != 0) {
        for (int k = 2; k <= s.n_steps_; ++k) {
            const auto n = static_cast<std::uint64_t>(actors_reaching(s.at_level_, s.n_steps_, k));
            if ((len - pos) / 8 < n) corrupt("truncated durations");
            s.stage_data_[k] = in + pos;
            pos += static_cast<std::size_t>(n) * 8;
        }
    }
    if (pos != len) corrupt("trailing bytes");
    return s;
}

}  // namespace pgf
