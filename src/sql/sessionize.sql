-- sessionize(ts [, gap]) OVER (PARTITION BY actor ORDER BY ts) -> bigint: 1-based
-- session number; a new session starts after more than `gap` of inactivity
-- (30 minutes when omitted).
CREATE FUNCTION sessionize(ts timestamptz) RETURNS bigint
    AS 'MODULE_PATHNAME', 'sessionize_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sessionize(ts timestamp) RETURNS bigint
    AS 'MODULE_PATHNAME', 'sessionize_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sessionize(ts timestamptz, gap interval) RETURNS bigint
    AS 'MODULE_PATHNAME', 'sessionize_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sessionize(ts timestamp, gap interval) RETURNS bigint
    AS 'MODULE_PATHNAME', 'sessionize_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sessionize(ts date, gap interval) RETURNS bigint
    AS 'MODULE_PATHNAME', 'sessionize_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sessionize(ts bigint, gap bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'sessionize_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
