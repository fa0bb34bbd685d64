#include "core/interrupt.hpp"

namespace pgf {
namespace detail {
InterruptPoll interrupt_poll = nullptr;
}

void set_interrupt_poll(InterruptPoll poll) noexcept { detail::interrupt_poll = poll; }

}  // namespace pgf
