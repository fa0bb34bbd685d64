#include "pg/condition_args.hpp"

#include "core/error.hpp"
#include "pg/context_allocator.hpp"
#include "pg/guard.hpp"

namespace pgf::pg {

namespace {

// Domains over boolean and over boolean[] are accepted as their base types.
bool is_boolean(Oid type) {
    bool yes = false;
    pg_call([&] { yes = getBaseType(type) == BOOLOID; });
    return yes;
}

bool is_boolean_array(Oid type) {
    bool yes = false;
    pg_call([&] {
        const Oid element = get_element_type(getBaseType(type));
        yes = OidIsValid(element) && getBaseType(element) == BOOLOID;
    });
    return yes;
}

[[noreturn]] void not_boolean(const char* function, int condition, Oid type) {
    pg_call([&] {
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("conditions must be boolean: %s got %s as condition %d", function,
                               format_type_be(type), condition),
                        errhint("Write each condition as a boolean expression, such as event = 'purchase', "
                                "or pass one boolean[] with VARIADIC.")));
    });
    pg_unreachable();
}

}  // namespace

ConditionArgs ConditionArgs::bind(FunctionCallInfo fcinfo, int first, const char* function,
                                  void (*check_count)(int)) {
    ConditionArgs c;
    c.first_ = first;
    const int n = PG_NARGS() - first;
    Oid types[FUNC_MAX_ARGS];
    for (int i = 0; i < n; ++i) {
        types[i] = get_fn_expr_argtype(fcinfo->flinfo, first + i);
        if (!OidIsValid(types[i]))
            fail(ErrorKind::Internal, std::string(function) + ": the types of the conditions are unknown");
    }
    if (n == 1 && is_boolean_array(types[0])) return c;
    check_count(n);
    for (int i = 0; i < n; ++i) {
        if (types[i] == UNKNOWNOID) c.untyped_ |= std::uint64_t{1} << i;
        else if (!is_boolean(types[i])) not_boolean(function, i + 1, types[i]);
    }
    c.count_ = n;
    return c;
}

// A quoted literal ('true', 't', 'off', ...) reaches an "any" argument untyped,
// as a C string; it means what boolean input makes of it.
std::uint64_t ConditionArgs::with_untyped(FunctionCallInfo fcinfo, std::uint64_t m) const {
    for (int i = 0; i < count_; ++i) {
        if (!((untyped_ >> i) & 1u)) continue;
        m &= ~(std::uint64_t{1} << i);
        const NullableDatum& a = fcinfo->args[first_ + i];
        if (a.isnull) continue;
        bool value = false;
        pg_call([&] { value = DatumGetBool(DirectFunctionCall1(boolin, a.value)); });
        if (value) m |= std::uint64_t{1} << i;
    }
    return m;
}

std::uint64_t ConditionArgs::array_row_mask(FunctionCallInfo fcinfo, int* n, const char* null_message,
                                            std::uint64_t (*array_mask)(ArrayType*, int*)) const {
    if (PG_ARGISNULL(first_)) fail(ErrorKind::NullNotAllowed, null_message);
    return array_mask(PG_GETARG_ARRAYTYPE_P(first_), n);
}

const ConditionArgs& condition_args(FunctionCallInfo fcinfo, void** slot, int first, const char* function,
                                    void (*check_count)(int)) {
    if (*slot) return *static_cast<const ConditionArgs*>(*slot);
    const ConditionArgs bound = ConditionArgs::bind(fcinfo, first, function, check_count);
    *slot = make_in_context<ConditionArgs>(fcinfo->flinfo->fn_mcxt, bound);
    return *static_cast<const ConditionArgs*>(*slot);
}

}  // namespace pgf::pg
