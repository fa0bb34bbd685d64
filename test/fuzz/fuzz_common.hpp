// Shared helpers of the libFuzzer targets: a failed check prints what went wrong
// and aborts, so libFuzzer saves the input as a crash artifact; expected errors
// (pgf::Error of any kind but Internal) are swallowed by guard().
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "core/error.hpp"
#include "core/event.hpp"

namespace fuzz {

[[noreturn]] inline void die(const std::string& what) {
    std::fprintf(stderr, "\n==== FUZZ CHECK FAILED ====\n%s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

#define FUZZ_CHECK(cond, msg)                                                                    \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            std::ostringstream fuzz_os_;                                                         \
            fuzz_os_ << __FILE__ << ":" << __LINE__ << ": check failed: " #cond "\n" << msg;     \
            ::fuzz::die(fuzz_os_.str());                                                         \
        }                                                                                        \
    } while (0)

inline const char* kind_name(pgf::ErrorKind k) {
    switch (k) {
        case pgf::ErrorKind::InvalidParameter: return "InvalidParameter";
        case pgf::ErrorKind::NullNotAllowed: return "NullNotAllowed";
        case pgf::ErrorKind::LimitExceeded: return "LimitExceeded";
        case pgf::ErrorKind::CorruptState: return "CorruptState";
        case pgf::ErrorKind::OutOfRange: return "OutOfRange";
        case pgf::ErrorKind::CountOutOfRange: return "CountOutOfRange";
        case pgf::ErrorKind::Cancelled: return "Cancelled";
        case pgf::ErrorKind::Internal: return "Internal";
    }
    return "?";
}

// Runs `f`. A pgf::Error whose kind is in `allowed` (a bit per ErrorKind) is an
// expected outcome and returns false; any other exception is a bug and aborts.
// Returns true when f returned normally.
template <typename F>
bool guard(unsigned allowed, F&& f) {
    try {
        f();
        return true;
    } catch (const pgf::Error& e) {
        if (!(allowed & (1u << static_cast<unsigned>(e.kind()))))
            die(std::string("unexpected pgf::Error (") + kind_name(e.kind()) + "): " + e.what());
        return false;
    } catch (const std::exception& e) {
        die(std::string("unexpected exception: ") + e.what());
    } catch (...) {
        die("unexpected non-standard exception");
    }
}

constexpr unsigned bit(pgf::ErrorKind k) { return 1u << static_cast<unsigned>(k); }
// Every error a user can cause; Internal (a broken invariant) and Cancelled are bugs here.
constexpr unsigned kUserErrors = bit(pgf::ErrorKind::InvalidParameter) | bit(pgf::ErrorKind::NullNotAllowed) |
                                 bit(pgf::ErrorKind::LimitExceeded) | bit(pgf::ErrorKind::CorruptState) |
                                 bit(pgf::ErrorKind::OutOfRange) | bit(pgf::ErrorKind::CountOutOfRange);

// A time value: mostly small (so that windows and ties matter), now and then an
// extreme one (int64 limits, PostgreSQL's infinity sentinels are the same).
inline std::int64_t pick_time(FuzzedDataProvider& in, std::int64_t small_range) {
    switch (in.ConsumeIntegralInRange<int>(0, 15)) {
        case 0: return INT64_MIN;
        case 1: return INT64_MAX;
        case 2: return INT64_MIN + in.ConsumeIntegralInRange<std::int64_t>(0, small_range);
        case 3: return INT64_MAX - in.ConsumeIntegralInRange<std::int64_t>(0, small_range);
        case 4: return in.ConsumeIntegral<std::int64_t>();
        default: return in.ConsumeIntegralInRange<std::int64_t>(-small_range / 4, small_range);
    }
}

inline std::string show_events(const std::vector<pgf::Event>& ev) {
    std::ostringstream os;
    os << "[";
    for (std::size_t i = 0; i < ev.size(); ++i) os << (i ? ", " : "") << "{" << ev[i].ts << ", 0x" << std::hex << ev[i].mask << std::dec << "}";
    os << "]";
    return os.str();
}

inline std::string show_times(const std::vector<std::int64_t>& t) {
    std::ostringstream os;
    os << "(";
    for (std::size_t i = 0; i < t.size(); ++i) os << (i ? "," : "") << t[i];
    os << ")";
    return os.str();
}

inline std::string hex(const std::uint8_t* data, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += digits[data[i] >> 4];
        s += digits[data[i] & 15];
    }
    return s;
}

}  // namespace fuzz
