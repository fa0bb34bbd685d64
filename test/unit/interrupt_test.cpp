// Cancellation: a host poll that throws stops a long core loop, the exception
// reaches the caller, and nothing leaks (the sanitizer build checks that).
#include <gtest/gtest.h>

#include <vector>

#include "core/error.hpp"
#include "core/funnel.hpp"
#include "core/interrupt.hpp"

namespace {

int polls = 0;
void cancel_after_three_polls() {
    if (++polls >= 3) throw pgf::Error(pgf::ErrorKind::Cancelled, "cancelled");
}

TEST(Interrupt, LongScanIsCancelled) {
    std::vector<pgf::Event> ev;
    for (std::int64_t t = 0; t < 2000000; ++t) ev.push_back({t, std::uint64_t{1} << (t % 3)});
    pgf::FunnelSpec spec{10, 3, 0};
    EXPECT_EQ(pgf::funnel_level(spec, ev.data(), ev.size()), 3);  // no poll installed: runs through

    polls = 0;
    pgf::set_interrupt_poll(cancel_after_three_polls);
    // Steps never complete, so the scan runs over every event and polls.
    pgf::FunnelSpec never{10, 4, 0};
    try {
        pgf::funnel_level(never, ev.data(), ev.size());
        ADD_FAILURE() << "expected a cancellation";
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::Cancelled);
    }
    EXPECT_GE(polls, 3);
    pgf::set_interrupt_poll(nullptr);
}

}  // namespace
