-- retention(VARIADIC conds "any": boolean conditions) -> boolean[]: r[1] = any(c1), r[i] = any(c1) and any(ci).
CREATE FUNCTION retention_sfunc(internal, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'retention_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_ffunc(internal) RETURNS boolean[]
    AS 'MODULE_PATHNAME', 'retention_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'retention_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'retention_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'retention_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE retention(VARIADIC conds "any") (
    SFUNC = retention_sfunc,
    FINALFUNC = retention_ffunc,
    STYPE = internal,
    SSPACE = 32,
    COMBINEFUNC = retention_combine,
    SERIALFUNC = retention_serialize,
    DESERIALFUNC = retention_deserialize,
    PARALLEL = SAFE
);
