// generate_events: a deterministic simulation of a web shop's event stream, to
// try funnels and micro-conversion analysis on data with known properties.
// See docs/generate_events.md for the model.
//
// Every actor's events come from its own PRNG, seeded from (seed, actor_id)
// only: actor k's rows do not depend on how many actors are generated nor on
// which other actors are, so any plan (and a future parallel version) gets the
// same rows. Times are offsets from the caller's start instant; the core knows
// nothing of time zones or calendars.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pgf::gen {

enum class EventType : std::uint8_t {
    PageView,
    ProductView,
    NewsletterSignup,
    VideoPlay,
    WhitepaperDownload,
    AddToCart,
    BeginCheckout,
    Purchase,
    DemoRequest,
};
constexpr int kEventTypes = 9;

enum class Channel : std::uint8_t { OrganicSearch, PaidSearch, Social, Email, Direct, Referral };
constexpr int kChannels = 6;

enum class Device : std::uint8_t { Desktop, Mobile, Tablet };
constexpr int kDevices = 3;

constexpr int kNoCampaign = -1;
constexpr int kCampaigns = 9;
constexpr int kProducts = 40;  // product ids are 1..kProducts

// The names as they appear in the SQL output.
const char* event_name(EventType e);
const char* channel_name(Channel c);
const char* device_name(Device d);
const char* campaign_name(int campaign);  // nullptr for kNoCampaign
Channel campaign_channel(int campaign);

// The model's fixed parameters, exposed for tests and documentation.
double channel_share(Channel c);        // share of actors arriving by the channel
double channel_quality(Channel c);      // > 1: goes deeper into the funnel
double device_share(Device d);
double campaign_share(int campaign);    // share within the campaign's channel
double campaign_quality(int campaign);  // multiplies the channel's quality
bool campaign_discounted(int campaign); // sale campaigns: 15% off every purchase
std::int64_t product_price_cents(int product_id);

// Purchase-probability multipliers an actor gets once it has done the
// micro-conversion (1.0: none; whitepaper_download is noise).
double micro_conversion_lift(EventType e);

// Limits of the arguments; check_generator_args throws InvalidParameter.
constexpr std::int32_t kMinDays = 1;
constexpr std::int32_t kMaxDays = 3660;
void check_generator_args(std::int64_t actors, std::int32_t days);

constexpr std::int64_t kMicrosPerDay = 86400LL * 1000 * 1000;

struct GeneratedEvent {
    std::int64_t offset_us = 0;      // after the start instant; whole milliseconds, < days
    std::int64_t revenue_cents = 0;  // > 0 on purchases, 0 elsewhere (SQL NULL)
    std::int32_t session_no = 0;     // 1-based, per actor
    std::int32_t product_id = 0;     // 1..kProducts on product steps, 0 elsewhere (SQL NULL)
    EventType event = EventType::PageView;
};

struct Actor {
    std::int64_t id = 0;
    Channel channel = Channel::Direct;
    Device device = Device::Desktop;
    int campaign = kNoCampaign;
    std::vector<GeneratedEvent> events;  // non-decreasing offset_us; never empty
};

class EventGenerator {
public:
    // Throws InvalidParameter for days outside kMinDays..kMaxDays.
    EventGenerator(std::uint64_t seed, std::int32_t days);

    // Fills `out` (its buffer is reused) with the actor's profile and events.
    // Depends only on (seed, days, actor_id).
    void generate(std::int64_t actor_id, Actor& out) const;

    std::int64_t span_us() const noexcept { return static_cast<std::int64_t>(days_) * kMicrosPerDay; }

private:
    std::uint64_t seed_key_;
    std::int32_t days_;
};

}  // namespace pgf::gen
