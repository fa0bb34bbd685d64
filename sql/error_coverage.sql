-- Errors of docs/errors.md that no other test of the suite triggers
-- (test/errors/check.sh checks the table against expected/*.out).
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- An unknown mode among valid ones, in every function that takes modes.
SELECT pg_temp.err($$SELECT funnel_steps(now(), '1 day', 'strict_order,foo', true)$$) AS funnel_steps,
       pg_temp.err($$SELECT funnel_times(1::bigint, 1, 'bogus', true)$$) AS funnel_times;
-- A count that cannot be a count is numeric_value_out_of_range (22003), not a datetime code.
SELECT pg_temp.err($$SELECT * FROM funnel_report_rows('{1,-2}')$$) AS negative_count,
       pg_temp.err($$SELECT * FROM funnel_report_rows('{9223372036854775807,1}')$$) AS sum_overflow;
