// dropoff_by_stage: how many actors reach each stage of a funnel, how many drop
// after it, and how long the step from the previous stage takes. Input is one
// level (0..n) per actor, or the times each actor reached its stages (the array
// funnel_times returns). Formulas in docs/reports.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/event.hpp"

namespace pgf {

// n_steps must be 1..kMaxSteps (InvalidParameter below 1, LimitExceeded above).
void check_dropoff_steps(std::int64_t n_steps);
// A level must be 0..n_steps (InvalidParameter).
void check_dropoff_level(std::int64_t level, int n_steps);

struct StageStats {
    int stage = 0;                                  // 1..n
    std::int64_t actors = 0;                        // actors with level >= stage
    std::int64_t dropped = 0;                       // level == stage, except 0 at the last stage
    std::optional<double> conversion_from_start;     // actors / actors(1)
    std::optional<double> conversion_from_previous;  // actors / actors(stage - 1); 1 at stage 1
    std::optional<double> dropoff_rate;              // dropped / actors
};

// at_level[L] = number of actors whose level is exactly L, for L = 0..n_steps.
// Throws CountOutOfRange when a count is negative or the total overflows.
std::vector<StageStats> dropoff_stages(const std::int64_t* at_level, int n_steps);

// Number of actors that reached `stage` (level >= stage).
std::int64_t actors_reaching(const std::int64_t* at_level, int n_steps, int stage);

// Mean and exact median of a list of durations (any integer unit). The rounded
// forms are in the unit times `scale` (e.g. days -> microseconds).
struct DurationSummary {
    std::int64_t count = 0;
    double mean = 0;                 // sum / count
    std::int64_t mean_rounded = 0;   // sum * scale / count, rounded to an integer, halves away from zero
    double median = 0;               // middle value, or the mean of the two middle values
    std::int64_t median_rounded = 0; // median * scale, rounded the same way
};
// nullopt for an empty list. Takes a copy: the caller's data stays untouched.
// Throws OutOfRange when a rounded form does not fit in int64. scale >= 1.
std::optional<DurationSummary> summarize_durations(std::vector<std::int64_t> values, std::int64_t scale = 1);

// Binary state of the aggregate, for parallel workers. Layout (little endian):
//   u8 version, u8 form (0 = levels only, 1..4 = a time kind + 1), u8 n_steps, u8 0,
//   u64 at_level[0..n_steps],
//   when form != 0, for stage k = 2..n_steps: actors_reaching(k) durations as i64.
constexpr std::uint8_t kDropoffStateVersion = 1;
constexpr std::uint8_t kDropoffMaxForm = 4;

struct DropoffStateView {
    std::uint8_t form = 0;
    int n_steps = 0;
    const std::int64_t* at_level = nullptr;             // n_steps + 1 counts
    const std::int64_t* const* durations = nullptr;     // [k - 2]: actors_reaching(k) values
};

// Throws LimitExceeded when the encoding does not fit in `max_size` bytes.
std::size_t dropoff_encoded_size(const DropoffStateView& view, std::size_t max_size);
void encode_dropoff(const DropoffStateView& view, unsigned char* out);

// A validated encoded state; reads durations in place. Every structural check
// (version, form, step count, counts, exact length) is done by decode_dropoff;
// duration() checks each value's range for the time kind (CorruptState).
class DropoffDecoded {
public:
    std::uint8_t form() const { return form_; }
    int n_steps() const { return n_steps_; }
    const std::int64_t* at_level() const { return at_level_; }
    std::int64_t durations(int stage) const { return actors_reaching(at_level_, n_steps_, stage); }
    std::int64_t duration(int stage, std::int64_t i) const;

private:
    friend DropoffDecoded decode_dropoff(const unsigned char* in, std::size_t len);
    std::uint8_t form_ = 0;
    int n_steps_ = 0;
    std::int64_t at_level_[kMaxSteps + 1] = {};
    const unsigned char* stage_data_[kMaxSteps + 1] = {};
};

// Throws CorruptState on any inconsistency.
DropoffDecoded decode_dropoff(const unsigned char* in, std::size_t len);

}  // namespace pgf
