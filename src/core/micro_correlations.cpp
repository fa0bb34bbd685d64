#include "core/micro_correlations.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace pgf {

namespace {

// Little-endian fixed-width fields, independent of the host's struct layout.
unsigned char* put_u64(unsigned char* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
    return p + 8;
}
unsigned char* put_u32(unsigned char* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
    return p + 4;
}
unsigned char* put_bytes(unsigned char* p, std::string_view s) {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return p + s.size();
}

// Bounds-checked reader; every failure is a CorruptState error naming `what_`.
class Reader {
public:
    Reader(const unsigned char* in, std::size_t len, const char* what) : in_(in), len_(len), what_(what) {}

    [[noreturn]] void corrupt(const std::string& why) const {
        fail(ErrorKind::CorruptState, std::string("corrupt ") + what_ + " aggregate state: " + why);
    }
    void need(std::size_t n) const {
        if (len_ - pos_ < n) corrupt("truncated");
    }
    std::uint8_t u8() {
        need(1);
        return in_[pos_++];
    }
    std::uint32_t u32() {
        need(4);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(in_[pos_ + i]) << (8 * i);
        pos_ += 4;
        return v;
    }
    std::uint64_t u64() {
        need(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(in_[pos_ + i]) << (8 * i);
        pos_ += 8;
        return v;
    }
    // A count: a u64 that must fit in int64.
    std::int64_t count() {
        const std::uint64_t v = u64();
        if (v > static_cast<std::uint64_t>(INT64_MAX)) corrupt("count out of range");
        return static_cast<std::int64_t>(v);
    }
    std::string_view bytes(std::size_t n) {
        need(n);
        std::string_view s(reinterpret_cast<const char*>(in_ + pos_), n);
        pos_ += n;
        return s;
    }
    // The sum of values: length-prefixed plain decimal, empty exactly when no value.
    std::string_view sum(std::int64_t n_values) {
        const std::uint32_t n = u32();
        if (n > kMaxDecimalText) corrupt("sum too long");
        const std::string_view s = bytes(n);
        if (n_values == 0 ? !s.empty() : !is_plain_decimal(s)) corrupt("bad sum of values");
        return s;
    }
    std::size_t pos() const { return pos_; }
    void set(const unsigned char* in, std::size_t len, std::size_t pos) {
        in_ = in, len_ = len, pos_ = pos;
    }
    void finish() const {
        if (pos_ != len_) corrupt("trailing bytes");
    }

private:
    const unsigned char* in_;
    std::size_t len_;
    std::size_t pos_ = 0;
    const char* what_;
};

constexpr std::uint8_t kMicroStateVersion = 1;
constexpr std::uint8_t kCorrelationStateVersion = 1;
constexpr std::uint8_t kWithValue = 1u << 0;
constexpr std::uint8_t kExplicitMinSupport = 1u << 1;

// Strict weak order of the ranking; equal only for the same name.
bool ranks_before(const CorrelationRow& x, const CorrelationRow& y) {
    const double px = *x.stats.p_value, py = *y.stats.p_value;
    if (px != py) return px < py;
    const double fx = x.stats.phi ? std::fabs(*x.stats.phi) : -1.0;
    const double fy = y.stats.phi ? std::fabs(*y.stats.phi) : -1.0;
    if (fx != fy) return fx > fy;
    const double lx = x.stats.lift ? *x.stats.lift : -1.0;
    const double ly = y.stats.lift ? *y.stats.lift : -1.0;
    if (lx != ly) return lx > ly;
    return x.name < y.name;
}

}  // namespace

std::int64_t default_min_support(std::int64_t actors) {
    if (actors <= 0) return 0;
    // ceil(0.02 n) = ceil(n / 50), exactly in integers.
    const std::int64_t two_percent = actors / 50 + (actors % 50 != 0 ? 1 : 0);
    return std::min<std::int64_t>(25, two_percent);
}

void check_min_support(std::int64_t min_support) {
    if (min_support < 0)
        fail(ErrorKind::InvalidParameter, "min_support must not be negative, got " + std::to_string(min_support));
}

std::vector<CorrelationRow> rank_correlations(const std::vector<EventCount>& events, const CorrelationTotals& totals,
                                              std::int64_t min_support) {
    check_min_support(min_support);
    std::vector<CorrelationRow> rows;
    InterruptCheck interrupt;
    for (const EventCount& e : events) {
        interrupt.tick();
        if (e.converted < 0 || e.not_converted < 0 || e.converted > totals.converted ||
            e.not_converted > totals.not_converted)
            fail(ErrorKind::CorruptState, "micro_correlations: event counts exceed the totals");
        if (e.converted + e.not_converted < min_support) continue;
        CorrelationRow row;
        row.name = e.name;
        row.table = Table2x2{e.converted, e.not_converted, totals.converted - e.converted,
                             totals.not_converted - e.not_converted};
        row.stats = table_stats(row.table);
        rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end(), ranks_before);
    std::vector<double> p(rows.size()), q(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i].rank = static_cast<int>(i + 1);
        p[i] = *rows[i].stats.p_value;
    }
    benjamini_hochberg(p.data(), q.data(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].q_value = q[i];
    return rows;
}

bool is_plain_decimal(std::string_view text) {
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto digits = [&] {
        const std::size_t start = i;
        while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
        return i > start;
    };
    if (!digits() || i > kMaxDecimalIntegerDigits) return false;
    if (i < n && text[i] == '.') {
        const std::size_t point = ++i;
        if (!digits() || i - point > kMaxDecimalFractionDigits) return false;
    }
    return i == n;
}

std::size_t micro_state_size(std::size_t sum_len) { return 4 + 5 * 8 + 4 + sum_len; }

void encode_micro_state(const MicroState& s, unsigned char* out) {
    out[0] = kMicroStateVersion;
    out[1] = out[2] = out[3] = 0;
    unsigned char* p = out + 4;
    p = put_u64(p, static_cast<std::uint64_t>(s.table.a));
    p = put_u64(p, static_cast<std::uint64_t>(s.table.b));
    p = put_u64(p, static_cast<std::uint64_t>(s.table.c));
    p = put_u64(p, static_cast<std::uint64_t>(s.table.d));
    p = put_u64(p, static_cast<std::uint64_t>(s.n_values));
    p = put_u32(p, static_cast<std::uint32_t>(s.sum.size()));
    put_bytes(p, s.sum);
}

MicroState decode_micro_state(const unsigned char* in, std::size_t len) {
    Reader r(in, len, "micro_stats");
    if (r.u8() != kMicroStateVersion) r.corrupt("unknown version");
    if (r.u8() != 0 || r.u8() != 0 || r.u8() != 0) r.corrupt("bad flags");
    MicroState s;
    s.table.a = r.count();
    s.table.b = r.count();
    s.table.c = r.count();
    s.table.d = r.count();
    std::int64_t n = 0;
    if (__builtin_add_overflow(s.table.a, s.table.b, &n) || __builtin_add_overflow(n, s.table.c, &n) ||
        __builtin_add_overflow(n, s.table.d, &n))
        r.corrupt("total count overflows");
    s.n_values = r.count();
    if (s.n_values > s.table.a + s.table.c) r.corrupt("more values than macro conversions");
    s.sum = r.sum(s.n_values);
    r.finish();
    return s;
}

std::size_t correlation_header_size(std::size_t sum_len) { return 4 + 4 * 8 + 4 + sum_len + 8; }

unsigned char* encode_correlation_header(const CorrelationHeader& h, unsigned char* out) {
    out[0] = kCorrelationStateVersion;
    out[1] = static_cast<unsigned char>((h.with_value ? kWithValue : 0) | (h.explicit_min_support ? kExplicitMinSupport : 0));
    out[2] = out[3] = 0;
    unsigned char* p = out + 4;
    p = put_u64(p, static_cast<std::uint64_t>(h.totals.converted));
    p = put_u64(p, static_cast<std::uint64_t>(h.totals.not_converted));
    p = put_u64(p, static_cast<std::uint64_t>(h.min_support));
    p = put_u64(p, static_cast<std::uint64_t>(h.n_values));
    p = put_u32(p, static_cast<std::uint32_t>(h.sum.size()));
    p = put_bytes(p, h.sum);
    return put_u64(p, static_cast<std::uint64_t>(h.n_events));
}

unsigned char* encode_correlation_entry(const EventCount& e, unsigned char* out) {
    unsigned char* p = put_u32(out, static_cast<std::uint32_t>(e.name.size()));
    p = put_bytes(p, e.name);
    p = put_u64(p, static_cast<std::uint64_t>(e.converted));
    return put_u64(p, static_cast<std::uint64_t>(e.not_converted));
}

CorrelationDecoder::CorrelationDecoder(const unsigned char* in, std::size_t len) : in_(in), len_(len) {
    Reader r(in, len, "micro_correlations");
    if (r.u8() != kCorrelationStateVersion) r.corrupt("unknown version");
    const std::uint8_t flags = r.u8();
    if ((flags & ~(kWithValue | kExplicitMinSupport)) != 0 || r.u8() != 0 || r.u8() != 0) r.corrupt("bad flags");
    header_.with_value = (flags & kWithValue) != 0;
    header_.explicit_min_support = (flags & kExplicitMinSupport) != 0;
    header_.totals.converted = r.count();
    header_.totals.not_converted = r.count();
    std::int64_t total = 0;
    if (__builtin_add_overflow(header_.totals.converted, header_.totals.not_converted, &total))
        r.corrupt("total count overflows");
    header_.min_support = r.count();
    if (!header_.explicit_min_support && header_.min_support != 0) r.corrupt("unexpected min_support");
    header_.n_values = r.count();
    if (!header_.with_value && header_.n_values != 0) r.corrupt("values without a value argument");
    if (header_.n_values > header_.totals.converted) r.corrupt("more values than conversions");
    header_.sum = r.sum(header_.n_values);
    header_.n_events = r.count();
    // Each entry takes at least kCorrelationEntryFixed bytes.
    if (static_cast<std::uint64_t>(header_.n_events) > (len - r.pos()) / kCorrelationEntryFixed)
        r.corrupt("event count does not match the length");
    pos_ = r.pos();
}

EventCount CorrelationDecoder::next() {
    Reader r(in_, len_, "micro_correlations");
    r.set(in_, len_, pos_);
    if (read_ >= header_.n_events) r.corrupt("too many events read");
    const std::uint32_t n = r.u32();
    EventCount e;
    e.name = r.bytes(n);
    if (e.name.find('\0') != std::string_view::npos) r.corrupt("NUL byte in an event name");
    e.converted = r.count();
    e.not_converted = r.count();
    if (e.converted > header_.totals.converted || e.not_converted > header_.totals.not_converted)
        r.corrupt("event counts exceed the totals");
    if (e.converted == 0 && e.not_converted == 0) r.corrupt("event with no actor");
    pos_ = r.pos();
    ++read_;
    return e;
}

void CorrelationDecoder::finish() const {
    if (read_ != header_.n_events || pos_ != len_)
        fail(ErrorKind::CorruptState, "corrupt micro_correlations aggregate state: trailing bytes");
}

}  // namespace pgf
