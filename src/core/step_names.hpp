// Funnel steps given as event names: the lookup from a row's event to its step
// mask, shared by the event-name forms of funnel_report and funnel_steps /
// funnel_times.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/pod_array.hpp"

namespace pgf {

// Steps given as event names (..., event, steps text[]): step i matches a row
// whose event equals names[i] byte for byte. A name may appear at
// several steps; its mask then has all their bits. Replaces one boolean
// condition per step and the array built from them on every row.
class StepNames {
public:
    explicit StepNames(const MemoryHooks& hooks);
    StepNames(const StepNames&) = delete;
    StepNames& operator=(const StepNames&) = delete;

    // Appends the next step (at most kMaxSteps, else LimitExceeded).
    void add_step(const void* name, std::size_t len);
    int n_steps() const { return n_steps_; }
    // A hash of the names in step order, never 0 (FunnelSpec::steps_id): the
    // same on every host, so a parallel worker's state says which steps it has.
    std::uint64_t fingerprint() const { return fingerprint_ ? fingerprint_ : 1; }
    // The steps a row with this event matches (0: none).
    std::uint64_t mask_of(const void* event, std::size_t len) const;

private:
    int n_steps_ = 0;
    std::uint64_t fingerprint_ = 0;
    // Distinct names: bytes, offset, length, first and last 8 bytes (a quick
    // filter, and the whole name up to 16 bytes), mask.
    PodArray<unsigned char> bytes_;
    PodArray<std::uint64_t> offset_;
    PodArray<std::uint64_t> length_;
    PodArray<std::uint64_t> prefix_;
    PodArray<std::uint64_t> suffix_;
    PodArray<std::uint64_t> mask_;
};

}  // namespace pgf
