// The wall between C++ and PostgreSQL. A C++ exception never unwinds into
// PostgreSQL, and a PostgreSQL error (a longjmp) never jumps over a live C++
// object:
//  - every SQL-callable function is defined with PGF_FUNCTION, which runs its body
//    inside guarded(): exceptions are caught, the C++ stack unwinds, and only then
//    is the PostgreSQL error raised, with a SQLSTATE chosen from the error kind;
//  - PostgreSQL calls that may raise while C++ objects are alive go through
//    pg_call(), which turns the error into a C++ exception (PgError) that the
//    guard re-raises unchanged once the stack is clean.
#pragma once

#include <cstring>

#include "core/error.hpp"
#include "pg/postgres.hpp"

namespace pgf::pg {

// A PostgreSQL error in flight through C++ frames.
class PgError : public std::exception {
public:
    explicit PgError(ErrorData* data) : data_(data) {}
    ErrorData* data() const noexcept { return data_; }
    const char* what() const noexcept override { return data_ && data_->message ? data_->message : "error"; }

private:
    ErrorData* data_;
};

// Runs `f` (PostgreSQL code only: it must not throw) and converts a PostgreSQL
// error into PgError.
template <typename F>
void pg_call(F&& f) {
    MemoryContext context = CurrentMemoryContext;
    ErrorData* volatile data = nullptr;
    PG_TRY();
    {
        f();
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(context);
        data = CopyErrorData();
        FlushErrorState();
    }
    PG_END_TRY();
    if (data) throw PgError(data);
}

int sqlstate_for(ErrorKind kind);

template <typename Body>
Datum guarded(FunctionCallInfo fcinfo, Body body) {
    ErrorData* pg_error = nullptr;
    int code = ERRCODE_INTERNAL_ERROR;
    char message[1024];
    message[0] = '\0';
    auto keep = [&](const char* what) {
        std::strncpy(message, what, sizeof message - 1);
        message[sizeof message - 1] = '\0';
    };
    try {
        return body(fcinfo);
    } catch (const PgError& e) {
        pg_error = e.data();
    } catch (const Error& e) {
        code = sqlstate_for(e.kind());
        keep(e.what());
    } catch (const std::bad_alloc&) {
        code = ERRCODE_OUT_OF_MEMORY;
        keep("out of memory");
    } catch (const std::exception& e) {
        keep(e.what());
    } catch (...) {
        keep("unexpected C++ exception");
    }
    // Every C++ object of the body is destroyed by now; longjmp is safe.
    if (pg_error) ReThrowError(pg_error);
    ereport(ERROR, (errcode(code), errmsg("%s", message)));
    pg_unreachable();
}

}  // namespace pgf::pg

// Defines an SQL-callable C function whose body runs behind the guard.
#define PGF_FUNCTION(name)                                                               \
    extern "C" {                                                                         \
    PG_FUNCTION_INFO_V1(name);                                                           \
    }                                                                                    \
    static Datum name##_body(FunctionCallInfo fcinfo);                                   \
    extern "C" Datum name(PG_FUNCTION_ARGS) { return pgf::pg::guarded(fcinfo, name##_body); } \
    static Datum name##_body(FunctionCallInfo fcinfo)
