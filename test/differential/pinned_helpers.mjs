// Helpers of the pinned cases shared by the differential tests: literal rows as a
// VALUES list, and the first row's `v` column of a query (or the error text, so
// that an expected error can be asserted like a value).

export function pgValues(rows, cols) {
  return `(VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}) AS v(${cols})`;
}

export async function queryValue(client, sql) {
  try {
    const r = await client.query(sql);
    return r.rows[0].v;
  } catch (e) {
    return `ERROR: ${e.message}`;
  }
}
