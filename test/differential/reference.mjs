// Independent JavaScript models used by the differential test:
//
//   designLevel / designTimes  the funnel contract of docs/DESIGN (pg_funnel's
//                              semantics), by exhaustive search over chains;
//   clickhouseGreedyLevel      ClickHouse windowFunnel's single-chain-per-level
//                              scan (the non-strict_once code path), used only to
//                              confirm that a disagreement is ClickHouse #52844;
//   makeRng                    a small seeded PRNG so every run can be replayed.
//
// Rows are { t: number, mask: number }: bit k of mask set = the row satisfied
// step k + 1. Modes are a Set of mode names.

// ------------------------------------------------------------------ PRNG

// 32-bit state mixer (splitmix32-style); deterministic for a given seed.
export function makeRng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const rng = {
    u32: next,
    /** uniform float in [0, 1) */
    float: () => next() / 4294967296,
    /** uniform integer in [0, n) */
    int: (n) => Math.floor((next() / 4294967296) * n),
    pick: (arr) => arr[Math.floor((next() / 4294967296) * arr.length)],
    shuffle: (arr) => {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = Math.floor((next() / 4294967296) * (i + 1));
        const tmp = arr[i];
        arr[i] = arr[j];
        arr[j] = tmp;
      }
      return arr;
    },
  };
  return rng;
}

// ------------------------------------------------------------------ entries

// Rows are ranked by (time, mask): that is pg_funnel's total tie order. Each row
// gives one entry per satisfied step; under strict_order a row that satisfies no
// step gives a step-0 entry ("another event"). Entries are ordered by
// (time, step, row rank), as in ClickHouse (where the row rank is arrival order).
function entriesOf(rows, nSteps, strictOrder) {
  const ranked = rows.map((r) => ({ t: r.t, mask: r.mask })).sort((a, b) => a.t - b.t || a.mask - b.mask);
  const entries = [];
  ranked.forEach((r, rank) => {
    if (r.mask === 0) {
      if (strictOrder) entries.push({ t: r.t, step: 0, row: rank });
      return;
    }
    for (let s = 1; s <= nSteps; s++) if ((r.mask >> (s - 1)) & 1) entries.push({ t: r.t, step: s, row: rank });
  });
  entries.sort((a, b) => a.t - b.t || a.step - b.step || a.row - b.row);
  return entries;
}

// A chain is a sequence of entries e1..ek, increasing in entry order, with
// steps 1..k, ts(ek) <= ts(e1) + window; strict_increase: strictly increasing
// times; strict_once: distinct rows. Exhaustive depth-first search over chain
// states (last entry, start time, rows used): two chains in the same state have
// the same extensions, so each state is expanded once.
//
// minEnd[j] = the smallest entry index that ends a chain of length j (Infinity
// if none): "a chain of length j exists among the entries before p" iff
// minEnd[j] < p.
function chainMinEnds(entries, nSteps, window, modes) {
  const inc = modes.has('strict_increase');
  const once = modes.has('strict_once');
  const minEnd = new Array(nSteps + 1).fill(Infinity);
  const seen = new Set();
  const dfs = (len, first, lastIdx, used) => {
    const key = `${lastIdx}:${first}:${once ? used : 0}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (lastIdx < minEnd[len]) minEnd[len] = lastIdx;
    if (len === nSteps) return;
    const last = entries[lastIdx];
    for (let i = lastIdx + 1; i < entries.length; i++) {
      const e = entries[i];
      if (e.t - first > window) break; // entries are in time order
      if (e.step !== len + 1) continue;
      if (inc && !(e.t > last.t)) continue;
      if (once && (used >> e.row) & 1) continue;
      dfs(len + 1, first, i, used | (1 << e.row));
    }
  };
  entries.forEach((e, i) => {
    if (e.step === 1) dfs(1, e.t, i, 1 << e.row);
  });
  return minEnd;
}

// The ordered walk with the stop rules of the modes. Returns { level, stop,
// entries } where stop is the index of the entry that stopped the walk
// (entries.length if none).
function designWalk(rows, nSteps, window, modes) {
  const entries = entriesOf(rows, nSteps, modes.has('strict_order'));
  const minEnd = chainMinEnds(entries, nSteps, window, modes);
  const dedup = modes.has('strict_deduplication');
  const order = modes.has('strict_order');
  const reentry = modes.has('allow_reentry');
  let stop = entries.length;
  let started = false;
  for (let p = 0; p < entries.length; p++) {
    const s = entries[p].step;
    if (s === 0) {
      if (started) {
        stop = p;
        break;
      }
      continue;
    }
    if (s >= 2) {
      if (dedup && minEnd[s] < p) {
        stop = p; // a step already reached comes again
        break;
      }
      if (order && started && !(minEnd[s - 1] < p) && !reentry) {
        stop = p; // a step whose predecessor is not reached yet
        break;
      }
    }
    if (s === 1) started = true;
  }
  let level = 0;
  for (let j = 1; j <= nSteps; j++) if (minEnd[j] < stop) level = j;
  return { level, stop, entries };
}

export function designLevel(rows, nSteps, window, modes) {
  return designWalk(rows, nSteps, window, modes).level;
}

// funnel_times per the contract: among the chains of the deepest length that end
// before the stop, the one with the earliest first entry, then the
// lexicographically smallest vector of times. best(state) is the
// lexicographically smallest vector of times that completes a chain from that
// state (null if none), memoized per state (last entry, start time, rows used).
export function designTimes(rows, nSteps, window, modes) {
  const { level, stop, entries } = designWalk(rows, nSteps, window, modes);
  if (level === 0) return [];
  const inc = modes.has('strict_increase');
  const once = modes.has('strict_once');
  const memo = new Map();
  const lexLess = (a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
    return false;
  };
  const best = (len, first, lastIdx, used) => {
    if (len === level) return [];
    const key = `${lastIdx}:${first}:${once ? used : 0}`;
    if (memo.has(key)) return memo.get(key);
    const last = entries[lastIdx];
    let result = null;
    for (let i = lastIdx + 1; i < stop; i++) {
      const e = entries[i];
      if (e.t - first > window) break;
      if (e.step !== len + 1) continue;
      if (inc && !(e.t > last.t)) continue;
      if (once && (used >> e.row) & 1) continue;
      const rest = best(len + 1, first, i, used | (1 << e.row));
      if (rest === null) continue;
      const cand = [e.t, ...rest];
      if (result === null || lexLess(cand, result)) result = cand;
    }
    memo.set(key, result);
    return result;
  };
  for (let i = 0; i < stop; i++) {
    const e = entries[i];
    if (e.step !== 1) continue;
    const rest = best(1, e.t, i, 1 << e.row);
    if (rest !== null) return [e.t, ...rest];
  }
  throw new Error('designTimes: no chain reaches the level');
}

// ------------------------------------------------------------------ ClickHouse model

// ClickHouse windowFunnel without strict_once: entries (time, condition) sorted by
// that pair (conditions that a row does not satisfy give nothing; under
// strict_order a row satisfying none gives condition 0); per level only ONE
// chain is remembered, the one most recently extended (first time, last time).
// This is what under-counts with strict_increase (ClickHouse issue 52844).
export function clickhouseGreedyLevel(rows, nSteps, window, modes) {
  const order = modes.has('strict_order');
  const dedup = modes.has('strict_deduplication');
  const inc = modes.has('strict_increase');
  const reentry = modes.has('allow_reentry');
  const list = [];
  for (const r of rows) {
    let any = false;
    for (let s = nSteps; s >= 1; s--)
      if ((r.mask >> (s - 1)) & 1) {
        list.push([r.t, s]);
        any = true;
      }
    if (order && !any) list.push([r.t, 0]);
  }
  if (list.length === 0) return 0;
  if (!order && nSteps === 1) return 1;
  list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const level = new Array(nSteps).fill(null); // [first, last] or null
  const maxLevel = () => {
    for (let k = nSteps; k > 0; k--) if (level[k - 1]) return k;
    return 0;
  };
  let started = false;
  for (const [t, cond] of list) {
    const idx = cond - 1;
    if (order && idx === -1) {
      if (started) break;
      continue;
    }
    if (idx === 0) {
      level[0] = [t, t];
      started = true;
    } else if (dedup && level[idx]) {
      return maxLevel();
    } else if (order && started && !level[idx - 1]) {
      if (reentry) continue;
      for (let k = 0; k < nSteps; k++) if (!level[k]) return k;
    } else if (level[idx - 1]) {
      const [first, last] = level[idx - 1];
      let ok = t <= first + window;
      if (inc) ok = ok && last < t;
      if (ok) {
        level[idx] = [first, t];
        if (idx + 1 === nSteps) return nSteps;
      }
    }
  }
  return maxLevel();
}

// Does the actor have two or more rows at one (time, step)? Only then can
// ClickHouse's strict_once scan depend on the order in which rows arrive.
export function hasTiedRows(rows, nSteps) {
  const seen = new Set();
  for (const r of rows)
    for (let s = 1; s <= nSteps; s++) {
      if (!((r.mask >> (s - 1)) & 1)) continue;
      const key = `${r.t}:${s}`;
      if (seen.has(key)) return true;
      seen.add(key);
    }
  return false;
}
