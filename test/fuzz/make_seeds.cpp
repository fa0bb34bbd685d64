// Writes seed corpora for the state and pattern fuzz targets, made with the real
// encoders so that the fuzzer starts from valid states and mutates from there.
//   make_seeds <dir>   ->  <dir>/<target>/seed-N
#include <cstdint>
#include <cstdio>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "core/dropoff.hpp"
#include "core/event.hpp"
#include "core/funnel.hpp"
#include "core/funnel_report.hpp"
#include "core/micro_correlations.hpp"
#include "core/next_node_codec.hpp"
#include "core/sequence_codec.hpp"
#include "core/retention_codec.hpp"
#include "core/state_codec.hpp"
#include "core/time_between_codec.hpp"

namespace {

std::string root;
int counter = 0;

void write(const std::string& target, const std::vector<unsigned char>& bytes) {
    const std::string dir = root + "/" + target;
    mkdir(dir.c_str(), 0755);
    const std::string path = dir + "/seed-" + std::to_string(++counter);
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
        std::perror(path.c_str());
        return;
    }
    if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
}

void event_states() {
    struct Case {
        std::uint8_t kind, n_steps, sorted;
        std::uint32_t modes;
        std::int64_t window;
        std::vector<pgf::Event> ev;
    };
    const std::vector<Case> cases = {
        {0, 3, 1, 0, 3600000000LL, {{0, 1}, {10, 2}, {20, 4}}},
        {1, 2, 0, pgf::kStrictOrder, 100, {{5, 2}, {1, 1}, {3, 0}}},
        {2, 4, 1, pgf::kStrictOrder | pgf::kAllowReentry, 7, {{1, 1}, {2, 0}, {2, 2}, {3, 12}}},
        {3, 3, 1, pgf::kAnyOrder | pgf::kStrictOnce, 10, {{1, 4}, {2, 3}, {3, 1}}},
        {3, 5, 1, pgf::kStrictDeduplication | pgf::kStrictIncrease, INT64_MAX, {{INT64_MIN, 1}, {0, 2}, {INT64_MAX, 28}}},
        {0, 64, 1, pgf::kStrictOnce, 1, {{0, ~std::uint64_t{0}}}},
        {0, 1, 1, 0, 0, {}},
    };
    for (const auto& c : cases) {
        pgf::EventStateHeader h;
        h.time_kind = c.kind;
        h.n_steps = c.n_steps;
        h.sorted = c.sorted;
        h.modes = c.modes;
        h.window = c.window;
        h.count = c.ev.size();
        std::vector<unsigned char> out(pgf::encoded_state_size(c.ev.size()));
        pgf::encode_state(h, c.ev.data(), c.ev.size(), out.data());
        write("fuzz_event_state", out);
    }
}

void time_between_states() {
    auto one = [](std::uint8_t kind, bool has_from, std::int64_t from, bool has_best, std::int64_t best,
                  std::vector<std::int64_t> early) {
        pgf::TimeBetweenStateHeader h;
        h.time_kind = kind;
        h.has_from = has_from;
        h.first_from = from;
        h.has_best = has_best;
        h.best_to = best;
        h.count = early.size();
        std::vector<unsigned char> out(pgf::time_between_state_size(early.size(), SIZE_MAX));
        pgf::encode_time_between_state(h, early.data(), out.data());
        write("fuzz_time_between_state", out);
    };
    one(0, false, 0, false, 0, {});
    one(0, false, 0, false, 0, {5, 3, 1});
    one(1, true, 10, false, 0, {9, 2});
    one(2, true, -5, true, 7, {-6});
    one(3, true, INT64_MIN, true, INT64_MAX, {});
}

void retention_states() {
    for (auto [n, seen] : std::vector<std::pair<int, std::uint64_t>>{{1, 0}, {1, 1}, {3, 5}, {64, ~std::uint64_t{0}}}) {
        std::vector<unsigned char> out(pgf::kRetentionStateSize);
        pgf::encode_retention_state({n, seen}, out.data());
        write("fuzz_retention_state", out);
    }
}

void micro_states() {
    auto one = [](pgf::Table2x2 t, std::int64_t n_values, std::string sum) {
        pgf::MicroState m;
        m.table = t;
        m.n_values = n_values;
        m.sum = sum;
        std::vector<unsigned char> out(pgf::micro_state_size(sum.size()));
        pgf::encode_micro_state(m, out.data());
        write("fuzz_micro_state", out);
    };
    one({0, 0, 0, 0}, 0, "");
    one({3, 1, 2, 10}, 2, "150.25");
    one({1000, 5, 3, 1000000}, 900, "123456789.000001");
    one({1, 0, 0, 0}, 1, "0");
    // Regressions: Fisher's p-value was NaN past 2^53 (rounding in log_step_up),
    // and took minutes when the observed cell is far from the mode.
    one({9007199254740992LL, 1, 18014398509481984LL, 0}, 0, "");
    one({2617278465LL, 0, 0, 5476377146899300395LL}, 0, "");
}

void correlation_states() {
    auto one = [](bool with_value, bool explicit_support, std::int64_t support, pgf::CorrelationTotals totals,
                  std::int64_t n_values, std::string sum, std::vector<pgf::EventCount> events) {
        pgf::CorrelationHeader h;
        h.with_value = with_value;
        h.explicit_min_support = explicit_support;
        h.min_support = support;
        h.totals = totals;
        h.n_values = n_values;
        h.sum = sum;
        h.n_events = static_cast<std::int64_t>(events.size());
        std::size_t size = pgf::correlation_header_size(sum.size());
        for (const auto& e : events) size += pgf::kCorrelationEntryFixed + e.name.size();
        std::vector<unsigned char> out(size);
        unsigned char* p = pgf::encode_correlation_header(h, out.data());
        for (const auto& e : events) p = pgf::encode_correlation_entry(e, p);
        write("fuzz_correlation_state", out);
    };
    one(false, false, 0, {0, 0}, 0, "", {});
    one(false, false, 0, {10, 90}, 0, "", {{"page_view", 10, 90}, {"add_to_cart", 8, 5}, {"newsletter", 1, 30}});
    one(true, true, 1, {4, 6}, 3, "99.5", {{"video", 3, 1}, {"", 1, 0}});
    one(true, false, 0, {1000, 1000}, 1000, "1", {{"a", 1000, 0}, {"b", 0, 1000}, {"c", 500, 500}});
    // Regression: a NaN p-value (table a = 2^53, b = 1, c = 2^54, d = 0) broke the ranking's sort order.
    one(false, false, 0, {27021597764222976LL, 1}, 0, "", {{"x", 9007199254740992LL, 1}, {"y", 1, 0}});
}

void dropoff_states() {
    auto one = [](std::uint8_t form, std::vector<std::int64_t> at_level, std::vector<std::vector<std::int64_t>> d) {
        pgf::DropoffStateView v;
        v.form = form;
        v.n_steps = static_cast<int>(at_level.size()) - 1;
        v.at_level = at_level.data();
        std::vector<const std::int64_t*> ptrs;
        for (const auto& x : d) ptrs.push_back(x.data());
        v.durations = ptrs.data();
        std::vector<unsigned char> out(pgf::dropoff_encoded_size(v, SIZE_MAX));
        pgf::encode_dropoff(v, out.data());
        write("fuzz_dropoff_state", out);
    };
    one(0, {5, 3, 2}, {});
    one(0, {0, 0, 0, 0, 1}, {});
    one(1, {1, 1, 2}, {{10, 20}, {5, 6}});
    one(3, {0, 0, 1}, {{3}});
    one(4, {2, 0, 1, 1}, {{-4, 9}, {100}});
}

void sequence_states() {
    struct Case {
        std::string pattern;
        std::uint8_t kind, n;
        std::vector<pgf::Event> ev;
    };
    const std::vector<Case> cases = {
        {"(?1)(?2)", 0, 2, {{0, 1}, {5000000, 2}}},
        {"(?1).*(?t<=3600)(?2)", 1, 2, {{0, 1}, {10, 3}, {7200000000LL, 2}}},
        {"(?1)(?t>1)(?1)", 2, 1, {{-3, 1}, {0, 1}, {2, 1}}},
        {".*(?3)", 3, 3, {{INT64_MIN, 4}, {INT64_MAX, 7}}},
        {"(?1)", 3, 64, {}},
    };
    for (const auto& c : cases) {
        pgf::EventStateHeader h;
        h.time_kind = c.kind;
        h.n_steps = c.n;
        h.sorted = 1;
        h.count = c.ev.size();
        std::vector<unsigned char> out(pgf::sequence_state_size(c.pattern.size(), c.ev.size(), SIZE_MAX));
        pgf::encode_sequence_state(c.pattern, h, c.ev.data(), c.ev.size(), out.data());
        write("fuzz_sequence_state", out);
    }
}

void next_node_states() {
    struct Case {
        pgf::NextNodeStateHeader h;
        std::vector<pgf::NextNodeRow> rows;
    };
    using D = pgf::NextNodeDirection;
    using B = pgf::NextNodeBase;
    const std::vector<Case> cases = {
        {{0, D::Forward, B::Head, 2, 0}, {{0, 1, true, "home"}, {1, 2, false, "product"}, {2, 0, false, "cart"}}},
        {{1, D::Backward, B::Tail, 1, 0}, {{5, 0, false, "a"}, {9, 1, true, "b"}}},
        {{2, D::Forward, B::FirstMatch, 1, 0}, {{-1, 1, true, ""}, {0, 0, true, "x"}, {0, 1, false, "y"}}},
        {{3, D::Backward, B::LastMatch, 3, 0}, {{1, 7, true, "p"}, {2, 3, true, "q"}, {3, 1, true, "r"}}},
        {{3, D::Forward, B::Head, 0, 0}, {}},
    };
    for (auto c : cases) {
        c.h.count = c.rows.size();
        std::size_t size = pgf::kNextNodeStateHeaderSize;
        for (const auto& r : c.rows) size += pgf::next_node_row_size(r.value.size());
        std::vector<unsigned char> out(size);
        unsigned char* p = pgf::encode_next_node_header(c.h, out.data());
        for (const auto& r : c.rows) p = pgf::encode_next_node_row(r, p);
        write("fuzz_next_node_state", out);
    }
}

// FuzzedDataProvider reads strings from the front and integers from the back:
// text, a backslash to end it, then the integer bytes in reverse order of use.
void pattern_texts() {
    const char* patterns[] = {"(?1)(?2)", "(?1).*(?2)", "(?1)(?t<=3600)(?2)", ".(?1)..*(?3)(?t>5)(?2)",
                              "(?1)(?t==0)(?1)", "(?2).*(?1)(?t<10)(?3)(?t>=2).*", ".*", "(?1)(?t>18446744073709551615)."};
    for (const char* p : patterns) {
        std::string s(p);
        std::vector<unsigned char> out(s.begin(), s.end());
        out.push_back('\\');
        out.push_back('x');
        for (int i = 0; i < 24; ++i) out.push_back(static_cast<unsigned char>(i * 37 + 11));  // events
        out.push_back(0);  // units selector: 1 unit per second
        out.push_back(4);  // n_conditions: -1 + 4 = 3
        write("fuzz_pattern_parse", out);
    }
}

}  // namespace

void funnel_report_states() {
    auto emit = [](pgf::FunnelReportBuffer& b) {
        std::vector<unsigned char> out(b.encoded_size(std::size_t{1} << 30));
        b.encode(0, out.data());
        write("fuzz_funnel_report_state", out);
    };
    const pgf::MemoryHooks heap = pgf::heap_memory_hooks();
    pgf::FunnelReportBuffer narrow(heap, pgf::ActorKeyKind::Integer, pgf::FunnelSpec{10, 3, 0});
    narrow.add_integer(1, true, 1, 1);
    narrow.add_integer(1, true, 5, 2);
    narrow.add_integer(2, true, 3, 1);
    narrow.add_integer(3, false, 0, 0);
    narrow.add_null_actor(true, 4, 4);
    emit(narrow);
    pgf::FunnelReportBuffer strict(heap, pgf::ActorKeyKind::Bytes, pgf::FunnelSpec{100, 2, pgf::kStrictOrder});
    strict.add_bytes("ab", 2, true, 1, 1);
    strict.add_bytes("ab", 2, true, 2, 0);
    strict.add_bytes("c", 1, true, 3, 2);
    emit(strict);
    pgf::FunnelReportBuffer wide(heap, pgf::ActorKeyKind::Integer, pgf::FunnelSpec{1000, 40, 0});
    for (int i = 0; i < 40; ++i) wide.add_integer(i % 3, true, i, std::uint64_t{1} << i);
    emit(wide);
    // Increasing keys without a NULL actor: a key bitmap, and settled levels.
    pgf::FunnelReportBuffer dense(heap, pgf::ActorKeyKind::Integer, pgf::FunnelSpec{10, 12, 0});
    for (int i = 0; i < 30; ++i) dense.add_integer(i / 2 * 3 - 7, i % 4 != 3, i, std::uint64_t{1} << (i % 12));
    dense.settle_levels();
    emit(dense);
}

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_seeds <dir>\n");
        return 2;
    }
    root = argv[1];
    mkdir(root.c_str(), 0755);
    event_states();
    time_between_states();
    retention_states();
    micro_states();
    correlation_states();
    dropoff_states();
    funnel_report_states();
    sequence_states();
    next_node_states();
    pattern_texts();
    return 0;
}
