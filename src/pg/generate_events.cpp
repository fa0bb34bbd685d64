// generate_events(actors, seed, start_at, days): the SQL face of the event
// simulator in core/generator. Materialize mode: the rows go into a tuplestore,
// which stays in work_mem and spills to a temporary file beyond it. A function
// in FROM is materialized by the executor anyway, so value-per-call would only
// add a function call and a tuple copy per row.
#include <cstdio>

#include "core/generator.hpp"
#include "core/interrupt.hpp"
#include "pg/guard.hpp"

namespace {

using pgf::ErrorKind;
using pgf::fail;
using pgf::pg::pg_call;
namespace gen = pgf::gen;

constexpr int kColumns = 9;
constexpr Oid kColumnTypes[kColumns] = {INT8OID, TIMESTAMPTZOID, TEXTOID, TEXTOID, TEXTOID,
                                        TEXTOID, INT4OID,        INT4OID, NUMERICOID};
// numeric(12,2)
constexpr int32 kRevenueTypmod = ((12 << 16) | 2) + VARHDRSZ;

// The vocabulary as text datums, built once per call.
struct Words {
    Datum event[gen::kEventTypes];
    Datum channel[gen::kChannels];
    Datum device[gen::kDevices];
    Datum campaign[gen::kCampaigns];
};

void build_words(Words& w) {
    for (int i = 0; i < gen::kEventTypes; ++i)
        w.event[i] = PointerGetDatum(cstring_to_text(gen::event_name(static_cast<gen::EventType>(i))));
    for (int i = 0; i < gen::kChannels; ++i)
        w.channel[i] = PointerGetDatum(cstring_to_text(gen::channel_name(static_cast<gen::Channel>(i))));
    for (int i = 0; i < gen::kDevices; ++i)
        w.device[i] = PointerGetDatum(cstring_to_text(gen::device_name(static_cast<gen::Device>(i))));
    for (int i = 0; i < gen::kCampaigns; ++i) w.campaign[i] = PointerGetDatum(cstring_to_text(gen::campaign_name(i)));
}

// Appends one actor's rows. PostgreSQL code only: runs inside pg_call.
void put_actor(Tuplestorestate* store, TupleDesc desc, const Words& words, TimestampTz start,
               const gen::Actor& actor) {
    Datum values[kColumns];
    bool nulls[kColumns] = {false, false, false, false, false, false, false, false, false};
    values[0] = Int64GetDatum(actor.id);
    values[3] = words.channel[static_cast<int>(actor.channel)];
    values[4] = words.device[static_cast<int>(actor.device)];
    if (actor.campaign == gen::kNoCampaign) {
        values[5] = (Datum)0;
        nulls[5] = true;
    } else {
        values[5] = words.campaign[actor.campaign];
    }
    for (const gen::GeneratedEvent& ev : actor.events) {
        values[1] = TimestampTzGetDatum(start + ev.offset_us);
        values[2] = words.event[static_cast<int>(ev.event)];
        values[6] = Int32GetDatum(ev.session_no);
        values[7] = Int32GetDatum(ev.product_id);
        nulls[7] = ev.product_id == 0;
        nulls[8] = ev.revenue_cents == 0;
        if (ev.revenue_cents != 0) {
            char text[32];
            snprintf(text, sizeof text, "%lld.%02lld", static_cast<long long>(ev.revenue_cents / 100),
                     static_cast<long long>(ev.revenue_cents % 100));
            values[8] = DirectFunctionCall3(numeric_in, CStringGetDatum(text), ObjectIdGetDatum(InvalidOid),
                                            Int32GetDatum(kRevenueTypmod));
        } else {
            values[8] = (Datum)0;
        }
        tuplestore_putvalues(store, desc, values, nulls);
        if (!nulls[8]) pfree(DatumGetPointer(values[8]));
    }
}

}  // namespace

PGF_FUNCTION(pgf_generate_events) {
    const int64 actors = PG_GETARG_INT64(0);
    const int64 seed = PG_GETARG_INT64(1);
    const TimestampTz start = PG_GETARG_TIMESTAMPTZ(2);
    const int32 days = PG_GETARG_INT32(3);

    gen::check_generator_args(actors, days);
    if (TIMESTAMP_NOT_FINITE(start)) fail(ErrorKind::InvalidParameter, "start_at must be a finite timestamp");
    TimestampTz end = 0;
    if (__builtin_add_overflow(start, static_cast<int64>(days) * USECS_PER_DAY, &end) ||
        !IS_VALID_TIMESTAMP(start) || !IS_VALID_TIMESTAMP(end))
        fail(ErrorKind::InvalidParameter, "start_at plus days is out of the timestamp range");

    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    TupleDesc desc = nullptr;
    Tuplestorestate* store = nullptr;
    Words words;
    pg_call([&] {
        if (rsinfo == nullptr || !IsA(rsinfo, ReturnSetInfo) || (rsinfo->allowedModes & SFRM_Materialize) == 0)
            ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("generate_events must be called in a context that accepts a set")));
        MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
            elog(ERROR, "generate_events: return type must be a row type");
        bool ok = desc->natts == kColumns;
        for (int i = 0; ok && i < kColumns; ++i) ok = TupleDescAttr(desc, i)->atttypid == kColumnTypes[i];
        if (!ok) elog(ERROR, "generate_events: the SQL declaration does not match the library");
        store = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0, false, work_mem);
        rsinfo->returnMode = SFRM_Materialize;
        rsinfo->setResult = store;
        rsinfo->setDesc = desc;
        MemoryContextSwitchTo(old);
        build_words(words);
    });

    const gen::EventGenerator generator(static_cast<std::uint64_t>(seed), days);
    gen::Actor actor;
    pgf::InterruptCheck interrupts;
    for (int64 done = 0; done < actors; ++done) {  // counts up to actors: no overflow at INT64_MAX
        generator.generate(done + 1, actor);
        for (std::size_t i = 0; i < actor.events.size(); ++i) interrupts.tick();
        pg_call([&] { put_actor(store, desc, words, start, actor); });
    }
    return (Datum)0;
}
