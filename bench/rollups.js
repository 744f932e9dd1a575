// rollups.js — the seed pipeline's materialized-view cascade (issue 4), basalt vs ClickHouse (chDB):
//   (a) ingest throughput of the events TSV into `events` with three cascaded materialized views
//       (events -> 1-minute -> 1-hour -> 1-day AggregatingMergeTree roll-ups of countState,
//       uniqState(user_id), sumState(value)), and for reference into `events` with no view;
//   (b) dashboard queries over the roll-ups vs the same answers computed from the raw events,
//       results checked equal (raw vs roll-up, and basalt vs ClickHouse) before times count.
//
//   node rollups.js BASALT_BINARY EVENTS.tsv ROWS      (bench/rollups.sh builds the TSV first)
//   env: THREADS (default nproc), INSERT_RUNS (2), QUERY_RUNS (5), WORK (default bench/data)
//
// Timing as storage.js: basalt queries from its system.query_log (inside one `basalt local`
// process, cold run first), chDB in-process around each query; inserts are wall time of the
// statement (basalt: of the `basalt local` process). Prints markdown to stdout.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawnSync, execFileSync } = require('child_process');

const anchors = process.env.ANCHORS || '/tmp/anchors';
const [bin, tsv, rowsArg] = process.argv.slice(2);
const ROWS = Number(rowsArg);
const THREADS = Number(process.env.THREADS || os.cpus().length);
const INSERT_RUNS = Number(process.env.INSERT_RUNS || 2);
const QUERY_RUNS = Number(process.env.QUERY_RUNS || 5);
const here = __dirname;
const WORK = path.resolve(process.env.WORK || path.join(here, 'data'));
const TSV = path.resolve(tsv);
const env = { ...process.env, TZ: 'UTC' };
const log = (...a) => console.error('[rollups]', ...a);
const now = () => process.hrtime.bigint();
const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const SCHEMA = 'ts DateTime, user_id UInt64, event_type LowCardinality(String), value Float64, properties String';
const STATES = 'c AggregateFunction(count), u AggregateFunction(uniq, UInt64), s AggregateFunction(sum, Float64)';
const DDL_BASE = [`CREATE TABLE events (${SCHEMA}) ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id)`];
const DDL_VIEWS = [
  ...DDL_BASE,
  `CREATE TABLE events_1m (t DateTime, event_type LowCardinality(String), ${STATES}) ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(t) ORDER BY (event_type, t)`,
  `CREATE TABLE events_1h (t DateTime, event_type LowCardinality(String), ${STATES}) ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(t) ORDER BY (event_type, t)`,
  `CREATE TABLE events_1d (t DateTime, event_type LowCardinality(String), ${STATES}) ENGINE = AggregatingMergeTree ORDER BY (event_type, t)`,
  `CREATE MATERIALIZED VIEW events_1m_mv TO events_1m AS SELECT toStartOfMinute(ts) AS t, event_type, countState() AS c, uniqState(user_id) AS u, sumState(value) AS s FROM events GROUP BY t, event_type`,
  `CREATE MATERIALIZED VIEW events_1h_mv TO events_1h AS SELECT toStartOfHour(t) AS t, event_type, countMergeState(c) AS c, uniqMergeState(u) AS u, sumMergeState(s) AS s FROM events_1m GROUP BY t, event_type`,
  `CREATE MATERIALIZED VIEW events_1d_mv TO events_1d AS SELECT toStartOfDay(t) AS t, event_type, countMergeState(c) AS c, uniqMergeState(u) AS u, sumMergeState(s) AS s FROM events_1h GROUP BY t, event_type`,
];
const INSERT = `INSERT INTO events SELECT * FROM file('${TSV}', 'TSV', '${SCHEMA}') SETTINGS max_threads = ${THREADS}`;
// Each pair: the roll-up query and the raw query that must give the same rows.
const QUERIES = [
  { name: 'daily_uniq_users', rollup: 'SELECT toDate(t) AS d, uniqMerge(u) FROM events_1d GROUP BY d ORDER BY d',
    raw: 'SELECT toDate(ts) AS d, uniq(user_id) FROM events GROUP BY d ORDER BY d' },
  { name: 'hourly_count_by_type', rollup: 'SELECT t, event_type, countMerge(c) FROM events_1h GROUP BY t, event_type ORDER BY t, event_type',
    raw: 'SELECT toStartOfHour(ts) AS t, event_type, count() FROM events GROUP BY t, event_type ORDER BY t, event_type' },
  { name: 'minute_series_last_hour', rollup: "SELECT t, countMerge(c) FROM events_1m WHERE t >= (SELECT max(t) FROM events_1m) - INTERVAL 1 HOUR GROUP BY t ORDER BY t",
    raw: "SELECT toStartOfMinute(ts) AS t, count() FROM events WHERE ts >= (SELECT toStartOfMinute(max(ts)) FROM events) - INTERVAL 1 HOUR GROUP BY t ORDER BY t" },
  { name: 'total_by_type', rollup: 'SELECT event_type, countMerge(c), round(sumMerge(s), 0) FROM events_1d GROUP BY event_type ORDER BY event_type',
    raw: 'SELECT event_type, count(), round(sum(value), 0) FROM events GROUP BY event_type ORDER BY event_type' },
];

function basalt(args) {
  const r = spawnSync(bin, ['local', ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`basalt ${args.join(' ').slice(0, 300)} exited ${r.status}: ${(r.stderr || '').slice(0, 2000)}`);
  return r.stdout;
}
const bq = (dir, sql) => basalt(['--path', dir, '--format', 'TabSeparated', '-q', sql]);

let chSession = null;
const CDIR = path.join(WORK, 'chdb_rollups');
function cq(sql, fmt = 'TSV') {
  if (!chSession) {
    const { Session } = require(path.join(anchors, 'node_modules/chdb'));
    fs.rmSync(CDIR, { recursive: true, force: true });
    chSession = new Session(CDIR);
  }
  return chSession.query(sql, fmt);
}

function sameResult(a, b) {
  const la = a.trim().split('\n'), lb = b.trim().split('\n');
  if (la.length !== lb.length) return false;
  return la.every((l, i) => {
    const fa = l.split('\t'), fb = lb[i].split('\t');
    return fa.length === fb.length && fa.every((x, j) => x === fb[j] || Math.abs(Number(x) - Number(fb[j])) <= 1e-9 * Math.max(1, Math.abs(Number(x))));
  });
}

(async () => {
  const R = { rows: ROWS, threads: THREADS, cpu: os.cpus()[0].model, started: new Date().toISOString() };
  R.basalt_version = `${basalt(['-q', 'SELECT version()']).trim()} (HEAD ${execFileSync('git', ['-C', here, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()})`;
  R.insert = {};
  for (const [label, ddl] of [['no view', DDL_BASE], ['3 cascaded views', DDL_VIEWS]]) {
    const e = (R.insert[label] = { basalt: [], clickhouse: [] });
    for (let i = 0; i < INSERT_RUNS; i++) {
      const dir = path.join(WORK, 'basalt_rollups');
      fs.rmSync(dir, { recursive: true, force: true });
      bq(dir, ddl.join('; '));
      log(`${label}: basalt insert ${i + 1}`);
      let t = now();
      basalt(['--path', dir, '-q', INSERT]);
      e.basalt.push(secs(t));
      for (const d of ['events_1d_mv', 'events_1h_mv', 'events_1m_mv', 'events_1d', 'events_1h', 'events_1m', 'events']) cq(`DROP TABLE IF EXISTS ${d} SYNC`);
      for (const s of ddl) cq(s);
      log(`${label}: ClickHouse insert ${i + 1}`);
      t = now();
      cq(INSERT);
      e.clickhouse.push(secs(t));
    }
    e.basalt_best = Math.min(...e.basalt);
    e.clickhouse_best = Math.min(...e.clickhouse);
  }
  // The tables of the last run with views stay for the queries.
  const dir = path.join(WORK, 'basalt_rollups');
  const n = Number(bq(dir, 'SELECT count() FROM events').trim());
  if (n !== ROWS) throw new Error(`basalt loaded ${n} rows, expected ${ROWS}`);
  R.rollup_rows = { basalt: bq(dir, "SELECT 'events_1m', count() FROM events_1m UNION ALL SELECT 'events_1h', count() FROM events_1h UNION ALL SELECT 'events_1d', count() FROM events_1d").trim(),
    clickhouse: cq("SELECT 'events_1m', count() FROM events_1m UNION ALL SELECT 'events_1h', count() FROM events_1h UNION ALL SELECT 'events_1d', count() FROM events_1d").trim() };

  R.queries = {};
  for (const q of QUERIES) {
    const e = (R.queries[q.name] = {});
    for (const kind of ['rollup', 'raw']) {
      const sql = `${q[kind]} SETTINGS max_threads = ${THREADS}`;
      const stmts = [];
      for (let r = 0; r <= QUERY_RUNS; r++) stmts.push(`${sql};`);
      stmts.push("SELECT dateDiff('microsecond', query_start_time_microseconds, event_time_microseconds) FROM system.query_log WHERE type = 'QueryFinish' ORDER BY event_time_microseconds FORMAT TabSeparated;");
      const qfile = path.join(WORK, 'rollups_basalt_queries.sql');
      fs.writeFileSync(qfile, stmts.join('\n') + '\n');
      const jl = basalt(['--path', dir, '--json-log', '--queries-file', qfile]).trim().split('\n').map((l) => JSON.parse(l));
      for (const x of jl) if (!x.ok) throw new Error(`basalt: ${x.sql}\n${x.out}`);
      const bt = jl[jl.length - 1].out.trim().split('\n').map((l) => Number(l) / 1e6);
      const ct = [];
      let chOut = '';
      for (let r = 0; r <= QUERY_RUNS; r++) { const t0 = now(); const o = cq(sql); ct.push(secs(t0)); if (!r) chOut = o; }
      e[kind] = { basalt: median(bt.slice(1)), clickhouse: median(ct.slice(1)), result: jl[0].out, same_as_clickhouse: sameResult(jl[0].out, chOut) };
    }
    e.rollup_equals_raw = sameResult(e.rollup.result, e.raw.result);
    delete e.rollup.result; delete e.raw.result;
    log(q.name, JSON.stringify(e));
  }
  fs.writeFileSync(path.join(WORK, `rollups-results-${ROWS}.json`), JSON.stringify(R, null, 2));

  const out = [];
  out.push(`### Materialized-view cascade (issue 4): ${ROWS.toLocaleString('en-US')} events, ${THREADS} threads, ${R.cpu}`);
  out.push('', `basalt ${R.basalt_version}; ClickHouse ${cq('SELECT version()').trim()} (chDB). Inserts: best of ${INSERT_RUNS} (wall s, rows/s); queries: median of ${QUERY_RUNS} after a cold run (ms).`, '');
  out.push('| ingest | basalt s | ClickHouse s | basalt rows/s | ClickHouse rows/s | basalt/CH time |', '|---|---|---|---|---|---|');
  for (const [label, e] of Object.entries(R.insert))
    out.push(`| ${label} | ${e.basalt_best.toFixed(2)} | ${e.clickhouse_best.toFixed(2)} | ${Math.round(ROWS / e.basalt_best).toLocaleString('en-US')} | ${Math.round(ROWS / e.clickhouse_best).toLocaleString('en-US')} | ${(e.basalt_best / e.clickhouse_best).toFixed(2)} |`);
  out.push('', `Roll-up rows (basalt / ClickHouse): ${R.rollup_rows.basalt.replace(/\n/g, ', ')} / ${R.rollup_rows.clickhouse.replace(/\n/g, ', ')}`, '');
  out.push('| query | basalt roll-up ms | basalt raw ms | raw/roll-up | ClickHouse roll-up ms | ClickHouse raw ms | basalt/CH roll-up | roll-up = raw | = ClickHouse |', '|---|---|---|---|---|---|---|---|---|');
  for (const [name, e] of Object.entries(R.queries))
    out.push(`| ${name} | ${(e.rollup.basalt * 1e3).toFixed(2)} | ${(e.raw.basalt * 1e3).toFixed(1)} | ${(e.raw.basalt / e.rollup.basalt).toFixed(0)}× | ${(e.rollup.clickhouse * 1e3).toFixed(2)} | ${(e.raw.clickhouse * 1e3).toFixed(1)} | ${(e.rollup.basalt / e.rollup.clickhouse).toFixed(2)} | ${e.rollup_equals_raw} | ${e.rollup.same_as_clickhouse && e.raw.same_as_clickhouse} |`);
  console.log(out.join('\n'));
  if (chSession) chSession.close();
})().catch((e) => { console.error(e); process.exit(1); });
