#include "core/generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace pgf::gen {

namespace {

// The simulation runs in milliseconds; the output is in microseconds.
constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

// ---------------------------------------------------------------- PRNG

// The splitmix64 finalizer: a bijection of uint64 with good avalanche.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// Natural logarithm of x in (0, 1] with only exact operations (frexp) and
// + - * /: the same bits on every IEEE-754 platform, where libm's log may differ
// in the last place and so move an event by a millisecond.
double portable_log(double x) {
    int e = 0;
    double m = std::frexp(x, &e);  // x = m 2^e, m in [0.5, 1)
    if (m < 0.70710678118654752440) {
        m *= 2;
        --e;
    }
    // ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...) with |s| <= 0.172: 12 terms
    // leave a relative error below 1e-18.
    const double f = m - 1;
    const double s = f / (2 + f);
    const double z = s * s;
    double sum = 1.0 / 23;
    for (int k = 21; k >= 1; k -= 2) sum = sum * z + 1.0 / k;
    return static_cast<double>(e) * 0.69314718055994530942 + 2 * s * sum;
}

// splitmix64: one 64-bit state, fast, and fine for simulation.
class Rng {
public:
    explicit Rng(std::uint64_t state) : state_(state) {}

    std::uint64_t next() {
        state_ += kGolden;
        return mix64(state_);
    }
    // Uniform in [0, 1), 53 bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return uniform() < p; }
    // Uniform in [0, n), n > 0.
    std::int64_t below(std::int64_t n) {
        return static_cast<std::int64_t>(uniform() * static_cast<double>(n));
    }
    // Exponential with the given mean.
    double exponential(double mean) { return -mean * portable_log(1.0 - uniform()); }  // 1 - u is exact
    // How many successes before the first failure, at most `cap`.
    int repeat(double p, int cap) {
        int n = 0;
        while (n < cap && chance(p)) ++n;
        return n;
    }

private:
    std::uint64_t state_;
};

template <std::size_t N>
int pick(Rng& rng, const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double u = rng.uniform() * total;
    for (std::size_t i = 0; i + 1 < N; ++i) {
        if (u < weights[i]) return static_cast<int>(i);
        u -= weights[i];
    }
    return static_cast<int>(N - 1);
}

// ---------------------------------------------------------------- model

struct ChannelModel {
    const char* name;
    double share;       // of actors
    double quality;     // propensity to go deeper into the funnel
    double returning;   // probability of one more session after each session
    double video;       // per session
    double newsletter;  // per session, until signed up
    double whitepaper;  // per actor
    double demo;        // per actor
};
constexpr ChannelModel kChannelModels[kChannels] = {
    {"organic_search", 0.30, 1.00, 0.55, 0.10, 0.030, 0.060, 0.012},
    {"paid_search", 0.20, 0.85, 0.45, 0.08, 0.020, 0.040, 0.010},
    {"social", 0.15, 0.65, 0.40, 0.22, 0.025, 0.030, 0.004},
    {"email", 0.10, 1.30, 0.65, 0.12, 0.008, 0.050, 0.008},
    {"direct", 0.15, 1.20, 0.60, 0.08, 0.035, 0.040, 0.015},
    {"referral", 0.10, 1.10, 0.55, 0.12, 0.040, 0.070, 0.020},
};

struct DeviceModel {
    const char* name;
    double share;
    double browse;  // probability of one more page view
    double cart;    // multipliers of the funnel steps
    double checkout;
    double purchase;
};
constexpr DeviceModel kDeviceModels[kDevices] = {
    {"desktop", 0.45, 0.70, 1.00, 1.00, 1.00},
    {"mobile", 0.45, 0.62, 0.75, 0.80, 0.72},
    {"tablet", 0.10, 0.66, 0.90, 0.92, 0.90},
};

struct CampaignModel {
    const char* name;
    Channel channel;
    double share;  // within the channel
    double quality;
    bool discounted;
};
constexpr CampaignModel kCampaignModels[kCampaigns] = {
    {"brand_keywords", Channel::PaidSearch, 0.35, 1.35, false},
    {"generic_keywords", Channel::PaidSearch, 0.45, 0.85, false},
    {"competitor_keywords", Channel::PaidSearch, 0.20, 0.65, false},
    {"winter_sale_social", Channel::Social, 0.50, 1.00, true},
    {"influencer_collab", Channel::Social, 0.30, 0.80, false},
    {"retargeting_social", Channel::Social, 0.20, 1.70, false},
    {"weekly_newsletter", Channel::Email, 0.55, 1.00, false},
    {"cart_reminder", Channel::Email, 0.15, 1.60, false},
    {"winter_sale_email", Channel::Email, 0.30, 1.10, true},
};
constexpr int kFirstCampaign[kChannels] = {kNoCampaign, 0, 3, 6, kNoCampaign, kNoCampaign};

constexpr const char* kEventNames[kEventTypes] = {
    "page_view",   "product_view",   "newsletter_signup", "video_play",   "whitepaper_download",
    "add_to_cart", "begin_checkout", "purchase",          "demo_request",
};

constexpr std::int64_t kPriceCents[kProducts] = {
    4999,  2999, 7999,  1999, 12900, 3999, 999,   5999, 24900, 1499,   //  1..10
    8999,  3499, 19900, 2499, 6999,  14900, 4499, 9999, 34900, 1299,   // 11..20
    5499,  2799, 17900, 7499, 49900, 3299, 11900, 899,  27900, 6499,   // 21..30
    79900, 4299, 15900, 2199, 39900, 8499, 119900, 5299, 22900, 149900, // 31..40
};

// Micro-conversion effects on the two decisive steps, once the actor has done it.
struct Lift {
    double cart;
    double purchase;
};
constexpr Lift kNewsletterLift = {1.40, 1.25};
constexpr Lift kVideoLift = {1.25, 1.12};
constexpr Lift kDemoLift = {1.00, 1.20};
// whitepaper_download: no effect at all.

// Relative traffic by hour, counted from the start instant's time of day.
constexpr std::array<double, 24> kHourWeight = {2.0, 1.2, 0.8, 0.6, 0.6, 1.0, 2.0, 3.5, 5.0, 6.0, 6.5, 7.0,
                                                7.5, 7.0, 6.5, 6.5, 7.0, 7.5, 8.5, 9.5, 10.0, 9.0, 6.5, 4.0};

// Time to the next event of the session, by the event just done: a floor plus
// an exponential, in seconds.
struct Gap {
    double floor_s;
    double mean_s;
};
constexpr Gap kGapAfter[kEventTypes] = {
    {3, 30},   // page_view
    {5, 45},   // product_view
    {3, 15},   // newsletter_signup
    {10, 80},  // video_play
    {5, 40},   // whitepaper_download
    {2, 25},   // add_to_cart
    {20, 100}, // begin_checkout
    {2, 20},   // purchase
    {5, 30},   // demo_request
};
constexpr std::int64_t kMaxGap = 20 * kMinute;
constexpr int kMaxSessions = 12;

double clamp_probability(double p) { return std::min(p, 0.95); }

// Cheap products are put in the cart more readily.
double price_appeal(int product) {
    const std::int64_t price = kPriceCents[product - 1];
    if (price <= 5000) return 1.15;
    if (price <= 15000) return 1.00;
    if (price <= 40000) return 0.80;
    return 0.60;
}

// Product popularity: a long tail, weight 1 / (id + 2), as a cumulative table.
const std::array<double, kProducts>& product_cumulative() {
    static const std::array<double, kProducts> table = [] {
        std::array<double, kProducts> t{};
        double sum = 0;
        for (int i = 0; i < kProducts; ++i) {
            sum += 1.0 / (i + 3);
            t[static_cast<std::size_t>(i)] = sum;
        }
        return t;
    }();
    return table;
}

int pick_product(Rng& rng) {
    const auto& cum = product_cumulative();
    const double u = rng.uniform() * cum.back();
    const auto it = std::upper_bound(cum.begin(), cum.end(), u);
    const auto i = std::min<std::ptrdiff_t>(it - cum.begin(), kProducts - 1);
    return static_cast<int>(i) + 1;
}

std::int64_t purchase_revenue(Rng& rng, int product, bool discounted) {
    const double u = rng.uniform();
    const std::int64_t quantity = u < 0.88 ? 1 : u < 0.98 ? 2 : 3;
    std::int64_t cents = kPriceCents[product - 1] * quantity;
    if (discounted) cents = (cents * 85 + 50) / 100;
    return cents;
}

std::int64_t time_of_day(Rng& rng) {
    const int hour = pick(rng, kHourWeight);
    return hour * kHour + rng.below(kHour);
}

// What is decided once per actor.
struct ActorPlan {
    const ChannelModel* channel;
    const DeviceModel* device;
    double quality;
    bool discounted;
    int planned_sessions;
    int whitepaper_session;  // 0: never
    int demo_session;        // 0: never
};

// What the actor has done so far.
struct ActorProgress {
    bool newsletter = false;
    bool video = false;
    bool demo = false;
    int purchases = 0;
    int pending_cart = 0;  // product left in the cart, 0: none
};

// Appends one session's events with offsets in milliseconds from the session start.
class SessionWriter {
public:
    SessionWriter(std::vector<GeneratedEvent>& events, Rng& rng, std::int32_t session_no)
        : events_(events), rng_(rng), session_no_(session_no) {}

    // `tie`: same millisecond as the previous event.
    void step(EventType e, int product = 0, std::int64_t revenue_cents = 0, bool tie = false) {
        if (started_ && !tie) {
            const Gap& g = kGapAfter[static_cast<int>(last_)];
            const double ms = (g.floor_s + rng_.exponential(g.mean_s)) * 1000.0;
            t_ += std::min(static_cast<std::int64_t>(ms), kMaxGap);
        }
        GeneratedEvent ev;
        ev.offset_us = t_;
        ev.revenue_cents = revenue_cents;
        ev.session_no = session_no_;
        ev.product_id = product;
        ev.event = e;
        events_.push_back(ev);
        last_ = e;
        started_ = true;
    }
    std::int64_t duration() const { return t_; }

private:
    std::vector<GeneratedEvent>& events_;
    Rng& rng_;
    std::int32_t session_no_;
    std::int64_t t_ = 0;
    EventType last_ = EventType::PageView;
    bool started_ = false;
};

void simulate_session(Rng& rng, const ActorPlan& plan, ActorProgress& st, int session_no, SessionWriter& w) {
    const ChannelModel& ch = *plan.channel;
    const DeviceModel& dev = *plan.device;

    // Landing and browsing, with the micro-conversions.
    w.step(EventType::PageView);
    if (rng.chance(ch.video)) {
        const bool autoplay = rng.chance(0.3);
        w.step(EventType::VideoPlay, 0, 0, autoplay);
        st.video = true;
    }
    const int pages = rng.repeat(dev.browse, 8);
    for (int i = 0; i < pages; ++i) w.step(EventType::PageView);
    if (!st.newsletter && rng.chance(ch.newsletter)) {
        w.step(EventType::NewsletterSignup);
        st.newsletter = true;
    }
    if (session_no == plan.whitepaper_session) {
        w.step(EventType::PageView);
        w.step(EventType::WhitepaperDownload);
    }
    if (session_no == plan.demo_session) {
        w.step(EventType::PageView);
        w.step(EventType::DemoRequest);
        st.demo = true;
    }

    // The funnel.
    Lift lift = {1.0, 1.0};
    for (const auto& [done, l] : {std::pair{st.newsletter, kNewsletterLift}, std::pair{st.video, kVideoLift},
                                  std::pair{st.demo, kDemoLift}}) {
        if (!done) continue;
        lift.cart *= l.cart;
        lift.purchase *= l.purchase;
    }
    const double q2 = std::sqrt(plan.quality);
    const double q4 = std::sqrt(q2);
    const double repeat_buyer = st.purchases > 0 ? 0.45 : 1.0;

    int cart = 0;
    if (st.pending_cart != 0 && rng.chance(clamp_probability(0.40 * q2))) {
        cart = st.pending_cart;  // back for the abandoned cart
        if (rng.chance(0.5)) w.step(EventType::ProductView, cart);
    } else if (rng.chance(clamp_probability(0.55 * q2 * (session_no > 1 ? 1.1 : 1.0)))) {
        const int viewed = 1 + rng.repeat(0.55, 5);
        int chosen = 0;
        for (int i = 0; i < viewed; ++i) {
            if (i > 0 && rng.chance(0.3)) w.step(EventType::PageView);
            const int product = pick_product(rng);
            w.step(EventType::ProductView, product);
            if (rng.chance(1.0 / (i + 1))) chosen = product;  // uniform among the viewed
        }
        const double p_cart = 0.30 * q2 * dev.cart * lift.cart * price_appeal(chosen) * repeat_buyer;
        if (rng.chance(clamp_probability(p_cart))) {
            w.step(EventType::AddToCart, chosen);
            cart = chosen;
        }
    }
    if (cart != 0) {
        const bool checkout = rng.chance(clamp_probability(0.50 * q4 * dev.checkout));
        const bool buy = checkout && rng.chance(clamp_probability(0.58 * q2 * dev.purchase * lift.purchase));
        if (checkout) {
            const bool express = buy && rng.chance(0.03);  // one-click buy: no begin_checkout
            const bool buy_now = rng.chance(0.04);          // checkout logged in the same millisecond
            if (!express) w.step(EventType::BeginCheckout, cart, 0, buy_now);
        }
        if (buy) {
            w.step(EventType::Purchase, cart, purchase_revenue(rng, cart, plan.discounted));
            ++st.purchases;
            st.pending_cart = 0;
            if (rng.chance(0.04)) w.step(EventType::AddToCart, cart);  // out of order: after the purchase
            if (rng.chance(0.5)) {
                const bool same_ms = rng.chance(0.2);
                w.step(EventType::PageView, 0, 0, same_ms);  // the confirmation page
            }
        } else {
            st.pending_cart = cart;
        }
    }
    if (rng.chance(0.3)) w.step(EventType::PageView);
}

}  // namespace

// ---------------------------------------------------------------- names

const char* event_name(EventType e) { return kEventNames[static_cast<int>(e)]; }
const char* channel_name(Channel c) { return kChannelModels[static_cast<int>(c)].name; }
const char* device_name(Device d) { return kDeviceModels[static_cast<int>(d)].name; }
const char* campaign_name(int campaign) {
    return campaign >= 0 && campaign < kCampaigns ? kCampaignModels[campaign].name : nullptr;
}
Channel campaign_channel(int campaign) { return kCampaignModels[campaign].channel; }

double channel_share(Channel c) { return kChannelModels[static_cast<int>(c)].share; }
double channel_quality(Channel c) { return kChannelModels[static_cast<int>(c)].quality; }
double device_share(Device d) { return kDeviceModels[static_cast<int>(d)].share; }
double campaign_share(int campaign) { return kCampaignModels[campaign].share; }
double campaign_quality(int campaign) { return kCampaignModels[campaign].quality; }
bool campaign_discounted(int campaign) { return kCampaignModels[campaign].discounted; }
std::int64_t product_price_cents(int product_id) { return kPriceCents[product_id - 1]; }

double micro_conversion_lift(EventType e) {
    switch (e) {
        case EventType::NewsletterSignup: return kNewsletterLift.cart * kNewsletterLift.purchase;
        case EventType::VideoPlay: return kVideoLift.cart * kVideoLift.purchase;
        case EventType::DemoRequest: return kDemoLift.cart * kDemoLift.purchase;
        default: return 1.0;
    }
}

// ---------------------------------------------------------------- generator

void check_generator_args(std::int64_t actors, std::int32_t days) {
    if (actors < 0) fail(ErrorKind::InvalidParameter, "actors must not be negative, got " + std::to_string(actors));
    if (days < kMinDays || days > kMaxDays)
        fail(ErrorKind::InvalidParameter, "days must be between " + std::to_string(kMinDays) + " and " +
                                              std::to_string(kMaxDays) + ", got " + std::to_string(days));
}

EventGenerator::EventGenerator(std::uint64_t seed, std::int32_t days)
    : seed_key_(mix64(seed ^ 0x6A09E667F3BCC909ULL)), days_(days) {
    check_generator_args(0, days);
}

void EventGenerator::generate(std::int64_t actor_id, Actor& out) const {
    Rng rng(mix64(seed_key_ ^ mix64(static_cast<std::uint64_t>(actor_id) * kGolden)));

    out.id = actor_id;
    out.events.clear();

    std::array<double, kChannels> channel_weights{};
    for (int i = 0; i < kChannels; ++i) channel_weights[static_cast<std::size_t>(i)] = kChannelModels[i].share;
    std::array<double, kDevices> device_weights{};
    for (int i = 0; i < kDevices; ++i) device_weights[static_cast<std::size_t>(i)] = kDeviceModels[i].share;

    const int channel = pick(rng, channel_weights);
    const int device = pick(rng, device_weights);
    out.channel = static_cast<Channel>(channel);
    out.device = static_cast<Device>(device);
    out.campaign = kNoCampaign;
    if (kFirstCampaign[channel] != kNoCampaign) {
        const int first = kFirstCampaign[channel];
        std::array<double, 3> weights{};
        for (int i = 0; i < 3; ++i) weights[static_cast<std::size_t>(i)] = kCampaignModels[first + i].share;
        out.campaign = first + pick(rng, weights);
    }

    ActorPlan plan;
    plan.channel = &kChannelModels[channel];
    plan.device = &kDeviceModels[device];
    plan.quality = plan.channel->quality;
    plan.discounted = false;
    if (out.campaign != kNoCampaign) {
        plan.quality *= kCampaignModels[out.campaign].quality;
        plan.discounted = kCampaignModels[out.campaign].discounted;
    }
    plan.planned_sessions = 1 + rng.repeat(plan.channel->returning, kMaxSessions - 1);
    // Whitepaper and demo are decided per actor, not per session, so that their
    // rate does not grow with the number of sessions (which also drives
    // purchases). The whitepaper is what brought the actor: it comes in the first
    // session, which always exists, so it is pure noise for purchases.
    plan.whitepaper_session = rng.chance(plan.channel->whitepaper) ? 1 : 0;
    plan.demo_session = rng.chance(plan.channel->demo) ? 1 + static_cast<int>(rng.below(plan.planned_sessions)) : 0;

    ActorProgress progress;
    const std::int64_t span = static_cast<std::int64_t>(days_) * kDay;
    std::int64_t previous_day = 0;
    std::int64_t previous_end = 0;
    for (int s = 1; s <= plan.planned_sessions; ++s) {
        const std::size_t first = out.events.size();
        SessionWriter writer(out.events, rng, s);
        simulate_session(rng, plan, progress, s, writer);
        const std::int64_t duration = writer.duration();
        if (duration >= span) fail(ErrorKind::Internal, "generate_events: a session is longer than the period");

        std::int64_t start;
        if (s == 1) {
            start = rng.below(days_) * kDay + time_of_day(rng);
            start = std::min(start, span - 1 - duration);
        } else {
            // Back the same day, or some days later; at least 20 minutes after the last session.
            const std::int64_t later = rng.chance(0.25) ? 0 : 1 + static_cast<std::int64_t>(rng.exponential(2.5));
            start = (previous_day + later) * kDay + time_of_day(rng);
            const std::int64_t earliest = previous_end + 20 * kMinute;
            if (start < earliest) start = earliest + static_cast<std::int64_t>(rng.exponential(2.0 * kHour));
            if (start + duration >= span) {  // would not come back within the period
                out.events.resize(first);
                break;
            }
        }
        for (std::size_t i = first; i < out.events.size(); ++i)
            out.events[i].offset_us = (start + out.events[i].offset_us) * 1000;
        previous_day = start / kDay;
        previous_end = start + duration;
    }
}

}  // namespace pgf::gen
