// Errors raised by the core. The core knows nothing of PostgreSQL; the boundary
// (src/pg/guard.hpp) maps each kind to a SQLSTATE.
#pragma once

#include <stdexcept>
#include <string>

namespace pgf {

enum class ErrorKind {
    InvalidParameter,   // a bad argument value: window <= 0, unknown mode, ...
    NullNotAllowed,     // a NULL where a value is required (window, modes)
    LimitExceeded,      // more steps than the cap, a state too large
    CorruptState,       // a serialized state that fails validation
    OutOfRange,         // a time or duration that does not fit its type
    CountOutOfRange,    // a count or total that does not fit int64
    Cancelled,          // the host asked us to stop (query cancel)
    Internal,           // a broken invariant: a bug, never the user's input
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

[[noreturn]] inline void fail(ErrorKind kind, const std::string& message) {
    throw Error(kind, message);
}

}  // namespace pgf
