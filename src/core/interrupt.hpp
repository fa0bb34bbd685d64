// Cooperative cancellation for long loops in the core. The host installs a
// poll function; when it reports a pending cancel it throws, so the C++ stack
// unwinds normally before the host raises its own error.
#pragma once

#include <cstddef>

namespace pgf {

using InterruptPoll = void (*)();

// Installed once by the host (the PostgreSQL module's _PG_init); null in unit tests.
void set_interrupt_poll(InterruptPoll poll) noexcept;

namespace detail {
extern InterruptPoll interrupt_poll;
}

// Call from loops; polls the host every `every` calls (a power of two).
class InterruptCheck {
public:
    void tick() {
        if ((++count_ & (kEvery - 1)) == 0 && detail::interrupt_poll) detail::interrupt_poll();
    }
    static void now() {
        if (detail::interrupt_poll) detail::interrupt_poll();
    }

private:
    static constexpr std::size_t kEvery = 1u << 16;
    std::size_t count_ = 0;
};

}  // namespace pgf
