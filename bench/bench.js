// bench.js — the benchmark harness behind `make bench` (driven by bench/bench.sh, which builds the
// data generators and the data first): basalt vs ClickHouse (chDB) and DuckDB on this machine, the
// same data, the same SQL and the same thread count for every engine.
//
//   node bench.js BASALT_BINARY
//   env: SUITES (events,hits,joins), EVENTS_TSV / HITS_TSV (the generated data), JOINS_TSVS (the
//        joins suite's tables: table=file,...), THREADS (default nproc), INSERT_RUNS (3;
//        JOINS_INSERT_RUNS, default 1, for the joins suite), QUERY_RUNS (5), WORK (engines' data dirs, default bench/data),
//        QUIET_WAIT / QUIET_MAX_BUSY (see waitQuiet), REUSE=1 (time the queries on the tables a
//        previous run left; no inserts), REPORT (markdown output file), CHART (PNG output file),
//        CHART_ONLY=WORK/bench-results.json (only redraw the chart of that run).
//
// Per suite (its tables — one, or for `joins` a star schema and an ASOF pair — their data and queries):
//   (a) insert throughput: a fresh table per run, best of INSERT_RUNS, the engines interleaved, for
//       every table and input format of the suite (TSV; JSONEachRow for events) — basalt and ClickHouse
//       `INSERT INTO t SELECT * FROM file(...)`, DuckDB `INSERT INTO t SELECT * FROM read_csv/read_json`;
//   (b) OPTIMIZE TABLE t FINAL, then bytes on disk: system.parts (basalt, ClickHouse), the DuckDB
//       database file after CHECKPOINT;
//   (c) every query: one cold run, then the median of QUERY_RUNS; basalt's and ClickHouse's results
//       compared (floats to 1e-9 relative) before the times count; DuckDB's row count (for `joins`
//       its values too, from one more run);
//   (d) peak memory of the suite's heaviest GROUP BY, as the growth of a fresh process's peak RSS
//       while the query runs (basalt: /usr/bin/time of `basalt local` minus the same for SELECT 1;
//       chDB and DuckDB: bench/peak.js), plus basalt's own query_log memory_usage;
//   (e) events only: read_rows of the last-24-hours query over the table's rows (pruning).
// Timing: basalt statements are timed inside a `basalt local` process from system.query_log (start
// to finish, µs; process start-up and result formatting excluded), chDB and DuckDB in-process around
// the call; `noop` (SELECT 1) shows the per-call overhead this leaves in their numbers (~1 ms).
// Output: markdown on stdout (and in REPORT), raw numbers in WORK/bench-results.json, a chart of the
// per-query ratios in CHART (gnuplot).
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawnSync, execFileSync } = require('child_process');

const anchors = process.env.ANCHORS || '/tmp/anchors';
const bin = process.argv[2] ? path.resolve(process.argv[2]) : '';
const here = __dirname;
const THREADS = Number(process.env.THREADS || os.cpus().length);
const INSERT_RUNS = Number(process.env.INSERT_RUNS || 3);
const QUERY_RUNS = Number(process.env.QUERY_RUNS || 5);
const REUSE = process.env.REUSE === '1';
const WORK = path.resolve(process.env.WORK || path.join(here, 'data'));
const SUITE_NAMES = (process.env.SUITES || 'events,hits,joins').split(',').filter(Boolean);
const env = { ...process.env, TZ: 'UTC' };

const log = (...a) => console.error('[bench]', ...a);
const now = () => process.hrtime.bigint();
const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

// Share of all CPUs busy over `ms` while this process sleeps, i.e. what other processes use.
function cpuBusy(ms = 1000) {
  const read = () => fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const a = read(); sleep(ms); const b = read();
  const d = b.map((x, i) => x - a[i]);
  const total = d.reduce((x, y) => x + y, 0), idle = d[3] + (d[4] || 0);
  return total ? (total - idle) / total : 0;
}
// QUIET_WAIT=S: before each measured step wait up to S seconds for other processes to use at most
// QUIET_MAX_BUSY (default 0.1) of the machine; the busy share seen last is recorded either way.
const QUIET_WAIT = Number(process.env.QUIET_WAIT || 0), QUIET_MAX_BUSY = Number(process.env.QUIET_MAX_BUSY || 0.1);
const busySeen = {};
function waitQuiet(label) {
  const until = Date.now() + QUIET_WAIT * 1000;
  let b = cpuBusy(QUIET_WAIT ? 1000 : 200);
  while (b > QUIET_MAX_BUSY && Date.now() < until) b = cpuBusy(1000);
  busySeen[label] = +b.toFixed(2);
}

// ---------------------------------------------------------------- suites
const DUCK_TYPES = { Int16: 'SMALLINT', Int32: 'INTEGER', Int64: 'BIGINT', UInt16: 'USMALLINT', UInt32: 'UINTEGER', UInt64: 'UBIGINT', String: 'VARCHAR', 'LowCardinality(String)': 'VARCHAR',
  DateTime: 'TIMESTAMP', Date: 'DATE', Float64: 'DOUBLE' };
function pipeQueries(file) {   // name | ClickHouse SQL | DuckDB SQL
  return fs.readFileSync(path.join(here, file), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => { const [name, sql, duck] = l.split('|').map((s) => s.trim()); return { name, sql, duck }; });
}
function clickbenchQueries() {
  const duckOverrides = {};
  const over = path.join(here, 'clickbench_queries_duckdb.sql');
  if (fs.existsSync(over)) for (const l of fs.readFileSync(over, 'utf8').split('\n')) { const m = /^Q(\d+):\s*(.*)$/.exec(l); if (m) duckOverrides[m[1]] = m[2]; }
  return fs.readFileSync(path.join(here, 'clickbench_queries.sql'), 'utf8').split('\n').filter((l) => l.startsWith('SELECT'))
    .map((l, i) => {
      const sql = l.replace(/;\s*$/, '');
      return { name: `Q${i + 1}`, sql, duck: duckOverrides[i + 1] || sql };
    });
}
const EVENTS_SCHEMA = 'ts DateTime, user_id UInt64, event_type LowCardinality(String), value Float64, properties String';
const HITS_SCHEMA = fs.readFileSync(path.join(here, 'hits_schema.txt'), 'utf8').trim().split('\n').map((l) => l.trim()).join(', ');
// The joins suite's tables (bench/gen_joins.cpp): a star schema and a point-in-time pair.
const JOIN_TABLES = [
  ['sales', 'sale_date Date, store_id UInt16, product_id UInt32, customer_id UInt32, quantity UInt16, amount Float64', 'ENGINE = MergeTree ORDER BY (sale_date, store_id)'],
  ['stores', 'store_id UInt16, region LowCardinality(String), country String, sqm UInt32', 'ENGINE = MergeTree ORDER BY store_id'],
  ['products', 'product_id UInt32, category LowCardinality(String), brand String, price Float64', 'ENGINE = MergeTree ORDER BY product_id'],
  ['customers', 'customer_id UInt32, segment LowCardinality(String), country String, signup Date', 'ENGINE = MergeTree ORDER BY customer_id'],
  ['pit_events', 'ts DateTime, entity_id UInt32, event_type LowCardinality(String)', 'ENGINE = MergeTree ORDER BY (event_type, ts)'],
  ['pit_features', 'entity_id UInt32, ts DateTime, value Float64', 'ENGINE = MergeTree ORDER BY (entity_id, ts)'],
];
const joinsTsv = (table) => Object.fromEntries((process.env.JOINS_TSVS || '').split(',').filter(Boolean).map((x) => x.split('=')))[table];
const SUITES = {
  events: { table: 'events', schema: EVENTS_SCHEMA, tsv: process.env.EVENTS_TSV,
    engine: 'ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id)',
    formats: ['JSONEachRow', 'TSV'], queries: () => pipeQueries('storage_queries.txt'), peak: 'top10_users', prune: 'hourly_24h' },
  hits: { table: 'hits', schema: HITS_SCHEMA, tsv: process.env.HITS_TSV,
    engine: 'ENGINE = MergeTree ORDER BY (CounterID, EventDate, UserID, EventTime, WatchID)',
    formats: ['TSV'], queries: clickbenchQueries, peak: 'Q33' },
  joins: { tables: JOIN_TABLES.map(([table, schema, engine]) => ({ table, schema, engine, tsv: joinsTsv(table) })),
    formats: ['TSV'], queries: () => pipeQueries('join_queries.txt'), peak: 'asof_left_day',
    insert_runs: Number(process.env.JOINS_INSERT_RUNS || 1), duckdb_values: true },
};
// A suite's tables: `tables`, or its one `table`.
const suiteTables = (s) => s.tables || [{ table: s.table, schema: s.schema, tsv: s.tsv, engine: s.engine }];
const duckColumns = (schema) => '{' + schema.split(', ').map((c) => { const [n, ...t] = c.split(' '); return `'${n}': '${DUCK_TYPES[t.join(' ')]}'`; }).join(', ') + '}';
const duckCreate = (tb) => `CREATE TABLE ${tb.table} (${tb.schema.split(', ').map((c) => { const [n, ...t] = c.split(' '); return `${n} ${DUCK_TYPES[t.join(' ')]}`; }).join(', ')})`;
function dataFile(s, fmt) {
  if (fmt === 'TSV') return s.tsv;
  const f = s.tsv.replace(/\.tsv$/, '.jsonl');
  if (!fs.existsSync(f)) {   // JSONEachRow made from the TSV once, by basalt (checked against ClickHouse's row count on load)
    log(`writing ${f}`);
    const r = spawnSync('bash', ['-c', `"$0" local --format JSONEachRow -q "SELECT * FROM file('$1', 'TSV', '$2')" > "$3.tmp" && mv "$3.tmp" "$3"`, bin, s.tsv, s.schema, f], { env, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('JSONEachRow conversion failed');
  }
  return f;
}

// ---------------------------------------------------------------- basalt
function basalt(args, opts = {}) {
  const r = spawnSync(bin, ['local', ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (r.status !== 0) throw new Error(`basalt ${args.join(' ').slice(0, 300)} exited ${r.status}: ${(r.stderr || '').slice(0, 2000)}`);
  return r.stdout;
}
const bq = (dir, sql, fmt = 'TabSeparated') => basalt(['--path', dir, '--format', fmt, '-q', sql]);

// ---------------------------------------------------------------- ClickHouse (chDB)
let chSession = null;
const CDIR = path.join(WORK, 'chdb');
function cq(sql, fmt = 'TSV') {
  if (!chSession) {
    const { Session } = require(path.join(anchors, 'node_modules/chdb'));
    chSession = new Session(CDIR);
  }
  return chSession.query(sql, fmt);
}
function chClose() { if (chSession) { chSession.close(); chSession = null; } }
function chWaitMerges() {   // background merges after an INSERT must not run into the next step
  for (let i = 0; i < 1200; i++) {
    if (Number(cq('SELECT count() FROM system.merges').trim()) === 0) return;
    sleep(500);
  }
}

// ---------------------------------------------------------------- DuckDB (a database file per suite)
const { DuckDBInstance } = require(path.join(anchors, 'node_modules/@duckdb/node-api'));
async function duckOpen(file) {
  const db = await DuckDBInstance.create(file, { threads: String(THREADS) });
  return { db, con: await db.connect() };
}
const duckRows = async (con, sql) => (await con.runAndReadAll(sql)).getRows();

// ---------------------------------------------------------------- sizes and results
const duSum = (paths) => paths.length ? Number(execFileSync('du', ['-sbc', ...paths], { encoding: 'utf8' }).trim().split('\n').pop().split('\t')[0]) : 0;
const tablesWhere = (tables) => (tables.length === 1 ? `table = '${tables[0]}'` : `table IN (${tables.map((t) => `'${t}'`).join(', ')})`) + ' AND active';
function sizes(run, tables) {   // summed over the tables; columns named table.column when there are several
  const where = tablesWhere(tables), col = tables.length === 1 ? 'column' : "concat(table, '.', column)";
  const [parts, rows, bytes, comp, uncomp, marks] = run(`SELECT count(), sum(rows), sum(bytes_on_disk), sum(data_compressed_bytes), sum(data_uncompressed_bytes), sum(marks_bytes) FROM system.parts WHERE ${where}`).trim().split('\t').map(Number);
  const paths = run(`SELECT path FROM system.parts WHERE ${where}`).trim().split('\n').filter(Boolean);
  const columns = {};
  for (const l of run(`SELECT ${col} AS col, sum(column_data_compressed_bytes) FROM system.parts_columns WHERE ${where} GROUP BY col ORDER BY col`).trim().split('\n').filter(Boolean)) {
    const [c, b] = l.split('\t');
    columns[c] = Number(b);
  }
  return { parts, rows, bytes_on_disk: bytes, data_compressed_bytes: comp, data_uncompressed_bytes: uncomp, marks_bytes: marks, du_active_parts: duSum(paths), columns };
}
function sameResult(a, b) {
  const la = a.trim().split('\n'), lb = b.trim().split('\n');
  if (la.length !== lb.length) return false;
  for (let i = 0; i < la.length; i++) {
    const fa = la[i].split('\t'), fb = lb[i].split('\t');
    if (fa.length !== fb.length) return false;
    for (let j = 0; j < fa.length; j++) {
      if (fa[j] === fb[j]) continue;
      const x = Number(fa[j]), y = Number(fb[j]);
      if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x), Math.abs(y))) return false;
    }
  }
  return true;
}
// The query with output columns 1..n appended to its ORDER BY (or as one, before the LIMIT), so
// that a LIMIT picks the same rows in every engine.
function tieBroken(sql, ncols) {
  const m = /\sLIMIT\s/i.exec(sql);
  if (!m || !ncols) return sql;
  const positions = Array.from({ length: ncols }, (_, i) => i + 1).join(', ');
  const head = sql.slice(0, m.index), tail = sql.slice(m.index);
  return /\sORDER BY\s/i.test(head) ? `${head}, ${positions}${tail}` : `${head} ORDER BY ${positions}${tail}`;
}
const sortLines = (tsv) => tsv.trim().split('\n').sort().join('\n');
const rowCount = (tsv) => tsv.trim() ? tsv.trim().split('\n').length : 0;

// Peak RSS (bytes) of a `basalt local` process running SQL, from /usr/bin/time.
function basaltMaxRss(dir, sql) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', bin, 'local', '--path', dir, '--format', 'Null', '-q', sql], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`basalt peak: ${r.stderr}`);
  return Number(r.stderr.trim().split('\n').pop()) * 1024;
}
function childPeak(engine, db, sql) {
  const r = spawnSync('node', [path.join(here, 'peak.js'), engine, db, String(THREADS), sql], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`peak.js ${engine}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

// ---------------------------------------------------------------- one suite
async function runSuite(name) {
  const s = SUITES[name];
  const tables = suiteTables(s), multi = tables.length > 1;
  for (const t of tables) if (!t.tsv || !fs.existsSync(t.tsv)) throw new Error(`${name}: data file of ${t.table} not set or missing (${t.tsv})`);
  const R = { table: tables.map((t) => t.table).join(', '), tsv: multi ? tables.map((t) => t.tsv) : tables[0].tsv,
    tsv_bytes: tables.reduce((a, t) => a + fs.statSync(t.tsv).size, 0), insert: {}, queries: {} };
  if (multi) R.tables = tables.map((t) => t.table);
  const BDIR = path.join(WORK, `basalt_${name}`);
  const DFILE = path.join(WORK, `duckdb_${name}.db`);
  const queries = s.queries();
  const insertRuns = s.insert_runs || INSERT_RUNS;
  R.insert_runs = insertRuns;

  // (a) insert throughput per table and format; the TSV runs come last, so the tables keep the TSV data.
  if (!REUSE) {
    fs.rmSync(BDIR, { recursive: true, force: true });
    fs.rmSync(DFILE, { force: true }); fs.rmSync(`${DFILE}.wal`, { force: true });
    for (const t of tables) for (const fmt of s.formats) {
      const create = `CREATE TABLE ${t.table} (${t.schema}) ${t.engine}`;
      const file = dataFile(t, fmt);
      const ins = `INSERT INTO ${t.table} SELECT * FROM file('${file}', '${fmt}', '${t.schema}') SETTINGS max_threads = ${THREADS}`;
      const duckRead = fmt === 'TSV'
        ? `read_csv('${file}', delim = '\t', header = false, quote = '', escape = '', auto_detect = false, columns = ${duckColumns(t.schema)})`
        : `read_json('${file}', format = 'newline_delimited', columns = ${duckColumns(t.schema)})`;
      const key = multi ? `${t.table} ${fmt}` : fmt, label = multi ? `${name}_insert_${t.table}_${fmt}` : `${name}_insert_${fmt}`;
      const runs = (R.insert[key] = { basalt: [], clickhouse: [], duckdb: [] });
      for (let i = 0; i < insertRuns; i++) {
        log(`${name}: insert ${key} run ${i + 1}/${insertRuns} (load ${load()})`);
        waitQuiet(`${label}_basalt_${i + 1}`);
        if (multi) bq(BDIR, `DROP TABLE IF EXISTS ${t.table}; ${create}`);   // the suite's other tables stay
        else { fs.rmSync(BDIR, { recursive: true, force: true }); bq(BDIR, create); }
        let t0 = now(); basalt(['--path', BDIR, '-q', ins]); runs.basalt.push(secs(t0));
        const nb = Number(bq(BDIR, `SELECT count() FROM ${t.table}`).trim());

        waitQuiet(`${label}_clickhouse_${i + 1}`);
        cq(`DROP TABLE IF EXISTS ${t.table} SYNC`); cq(create);
        t0 = now(); cq(ins); runs.clickhouse.push(secs(t0));
        const nc = Number(cq(`SELECT count() FROM ${t.table}`).trim());
        chWaitMerges();

        waitQuiet(`${label}_duckdb_${i + 1}`);
        const d = await duckOpen(DFILE);
        await d.con.run(`DROP TABLE IF EXISTS ${t.table}`); await d.con.run(duckCreate(t));
        t0 = now(); await d.con.run(`INSERT INTO ${t.table} SELECT * FROM ${duckRead}`); runs.duckdb.push(secs(t0));
        const nd = Number((await duckRows(d.con, `SELECT count(*) FROM ${t.table}`))[0][0]);
        await d.con.run('CHECKPOINT'); d.con.closeSync(); d.db.closeSync();
        if (nb !== nc || nc !== nd || nb === 0) throw new Error(`${name} ${key}: loaded rows differ: basalt ${nb}, ClickHouse ${nc}, DuckDB ${nd}`);
        runs.rows = nb;
        log(`  basalt ${runs.basalt[i].toFixed(3)} s, ClickHouse ${runs.clickhouse[i].toFixed(3)} s, DuckDB ${runs.duckdb[i].toFixed(3)} s`);
      }
    }
    // (b) OPTIMIZE FINAL and sizes.
    const where = tablesWhere(tables.map((t) => t.table));
    R.parts_before_optimize = { basalt: Number(bq(BDIR, `SELECT count() FROM system.parts WHERE ${where}`).trim()),
      clickhouse: Number(cq(`SELECT count() FROM system.parts WHERE ${where}`).trim()) };
    waitQuiet(`${name}_optimize`);
    R.optimize = { basalt: 0, clickhouse: 0 };
    for (const t of tables) {
      let t0 = now(); bq(BDIR, `OPTIMIZE TABLE ${t.table} FINAL`); R.optimize.basalt += secs(t0);
      t0 = now(); cq(`OPTIMIZE TABLE ${t.table} FINAL`); R.optimize.clickhouse += secs(t0);
      chWaitMerges();
    }
  }
  R.table_rows = {};
  for (const t of tables) R.table_rows[t.table] = Number(bq(BDIR, `SELECT count() FROM ${t.table}`).trim());
  R.rows = R.table_rows[tables[0].table];
  R.size = { basalt: sizes((q) => bq(BDIR, q), tables.map((t) => t.table)), clickhouse: sizes((q) => cq(q), tables.map((t) => t.table)), duckdb_file: fs.statSync(DFILE).size };

  // (c) queries, one at a time in all three engines back to back (a change in the machine's load
  // hits them alike). basalt: a fresh `basalt local` process runs it cold + QUERY_RUNS times and
  // reads the timings back from system.query_log.
  const duck = await duckOpen(DFILE);
  for (const q of queries) {
    log(`${name}: ${q.name} (load ${load()})`);
    waitQuiet(`${name}_${q.name}`);
    const e = (R.queries[q.name] = {});
    const stmts = [];
    for (let r = 0; r <= QUERY_RUNS; r++) stmts.push(`${q.sql} SETTINGS max_threads = ${THREADS};`);
    stmts.push("SELECT read_rows, memory_usage, dateDiff('microsecond', query_start_time_microseconds, event_time_microseconds) FROM system.query_log WHERE type = 'QueryFinish' ORDER BY event_time_microseconds FORMAT TabSeparated;");
    const qfile = path.join(WORK, 'bench_basalt_queries.sql');
    fs.writeFileSync(qfile, stmts.join('\n') + '\n');
    const jl = basalt(['--path', BDIR, '--json-log', '--queries-file', qfile]).trim().split('\n').map((l) => JSON.parse(l));
    for (const x of jl) if (!x.ok) throw new Error(`basalt: ${x.sql}\n${x.out}`);
    const qlog = jl[jl.length - 1].out.trim().split('\n').map((l) => l.split('\t').map(Number));
    if (qlog.length !== QUERY_RUNS + 1) throw new Error(`query_log has ${qlog.length} entries, expected ${QUERY_RUNS + 1}`);
    const bt = qlog.map((x) => x[2] / 1e6);
    e.basalt = { cold: bt[0], runs: bt.slice(1), median: median(bt.slice(1)), read_rows: qlog[0][0], memory_usage: Math.max(...qlog.map((x) => x[1])) };

    const sql = `${q.sql} SETTINGS max_threads = ${THREADS}`;
    const ct = [];
    let result = '';
    for (let r = 0; r <= QUERY_RUNS; r++) {
      const t0 = now();
      const out = cq(sql, 'TSV');
      ct.push(secs(t0));
      if (r === 0) result = out;
    }
    e.clickhouse = { cold: ct[0], runs: ct.slice(1), median: median(ct.slice(1)) };
    if (name === 'events') e.clickhouse.read_rows = JSON.parse(cq(`${sql}, use_query_condition_cache = 0`, 'JSON')).statistics.rows_read;
    // Results are compared on a run with every output column appended to the ORDER BY as a
    // tie-breaker (ClickBench's LIMITs cut through ties), or sorted when there is no LIMIT.
    const checkSql = tieBroken(q.sql, result.trim() ? result.trim().split('\n')[0].split('\t').length : 0);
    const [bCheck, cCheck] = checkSql === q.sql ? [jl[0].out, result]
      : [bq(BDIR, `${checkSql} SETTINGS max_threads = ${THREADS}`), cq(`${checkSql} SETTINGS max_threads = ${THREADS}`, 'TSV')];
    e.same_result = /\bLIMIT\b/i.test(q.sql) ? sameResult(bCheck, cCheck) : sameResult(sortLines(bCheck), sortLines(cCheck));
    if (!e.same_result) { e.basalt_result = bCheck.slice(0, 4000); e.clickhouse_result = cCheck.slice(0, 4000); }

    const dt = [];
    let drows = 0;
    for (let r = 0; r <= QUERY_RUNS; r++) {
      const t1 = now();
      const res = await duck.con.run(q.duck);
      dt.push(secs(t1));
      if (r === 0) drows = res.rowCount;
    }
    e.duckdb = { cold: dt[0], runs: dt.slice(1), median: median(dt.slice(1)), rows: drows };
    e.duckdb_same_rows = drows === rowCount(result);
    if (s.duckdb_values) {   // one more run, read back: DuckDB's values against ClickHouse's (sorted rows, NULL as 0)
      const dCheck = (await duckRows(duck.con, q.duck)).map((row) => row.map((v) => (v === null ? '0' : String(v))).join('\t')).join('\n');
      e.duckdb_same_result = /\bLIMIT\b/i.test(q.sql) ? sameResult(dCheck, result) : sameResult(sortLines(dCheck), sortLines(result));
      if (!e.duckdb_same_result) e.duckdb_result = dCheck.slice(0, 4000);
    }
  }
  duck.con.closeSync(); duck.db.closeSync();
  chClose();   // peak.js opens the chDB directory in its own process

  // (d) peak memory of the heaviest GROUP BY.
  {
    const q = queries.find((x) => x.name === s.peak);
    log(`${name}: peak memory of ${q.name}`);
    waitQuiet(`${name}_peak`);
    R.peak = { query: q.name,
      basalt: basaltMaxRss(BDIR, `${q.sql} SETTINGS max_threads = ${THREADS}`) - basaltMaxRss(BDIR, 'SELECT 1'),
      basalt_query_log: R.queries[q.name].basalt.memory_usage,
      clickhouse: childPeak('clickhouse', CDIR, q.sql),
      duckdb: childPeak('duckdb', DFILE, q.duck) };
  }
  // (e) pruning, as a user would check it: run the query, then read its read_rows back.
  if (s.prune) {
    const q = queries.find((x) => x.name === s.prune);
    const out = bq(BDIR, `${q.sql} FORMAT Null; SELECT read_rows FROM system.query_log WHERE type = 'QueryFinish' AND query NOT LIKE '%system.query_log%' ORDER BY event_time_microseconds DESC LIMIT 1; SELECT count() FROM ${s.table}`);
    const [readRows, total] = out.trim().split('\n').map(Number);
    R.pruning = { query: q.name, read_rows: readRows, table_rows: total, ratio: readRows / total };
  }
  return R;
}

// ---------------------------------------------------------------- report
const f2 = (x) => x.toFixed(2), f3 = (x) => x.toFixed(3), ms = (x) => (x * 1000).toFixed(1), mib = (x) => (x / 1048576).toFixed(1);
const int = (x) => Math.round(x).toLocaleString('en-US');
function report(ALL) {
  const out = [];
  out.push(`Machine: ${ALL.cpu}, ${ALL.nproc} CPUs, ${mib(os.totalmem() / 1024)} GiB; max_threads = ${ALL.threads} in every engine (DuckDB \`threads\`).`);
  out.push(`Versions: basalt ${ALL.versions.basalt}; ClickHouse ${ALL.versions.clickhouse} (chDB); DuckDB ${ALL.versions.duckdb}; Node ${process.version}.`);
  out.push(`Each query: one cold run (discarded from the median), then the median of ${ALL.query_runs}; inserts: best of ${ALL.insert_runs}, a fresh table each run. ` +
    `Started ${ALL.started}, finished ${ALL.finished}; load average ${ALL.load_start} → ${ALL.load_end}.`);
  out.push('');
  out.push('### Summary (geometric means of basalt/other on medians; < 1 means basalt is faster)');
  out.push('');
  out.push('| suite | queries | results equal | basalt/ClickHouse | basalt/DuckDB | worst vs ClickHouse |');
  out.push('|---|---|---|---|---|---|');
  for (const [name, R] of Object.entries(ALL.suites)) {
    const qs = Object.entries(R.queries).filter(([n]) => n !== 'noop');
    const rc = qs.map(([, e]) => e.basalt.median / e.clickhouse.median), rd = qs.map(([, e]) => e.basalt.median / e.duckdb.median);
    const worst = qs.reduce((w, [n, e]) => (e.basalt.median / e.clickhouse.median > w[1] ? [n, e.basalt.median / e.clickhouse.median] : w), ['', 0]);
    R.summary = { vs_clickhouse: geomean(rc), vs_duckdb: geomean(rd), worst };
    out.push(`| ${name} (${int(R.rows)} rows) | ${qs.length} | ${qs.filter(([, e]) => e.same_result).length}/${qs.length} | **${f2(geomean(rc))}** | **${f2(geomean(rd))}** | ${worst[0]} ${f2(worst[1])} |`);
  }
  out.push('');
  for (const [name, R] of Object.entries(ALL.suites)) {
    out.push(R.tables ? `### ${name}: ${R.tables.map((t) => `${t} ${int(R.table_rows[t])}`).join(', ')} rows; ${mib(R.tsv_bytes)} MiB of TSV`
      : `### ${name}: ${int(R.rows)} rows, ${mib(R.tsv_bytes)} MiB of TSV`);
    out.push('');
    if (Object.keys(R.insert).length) {
      out.push(`Insert (\`INSERT INTO t SELECT * FROM file(...)\`; DuckDB \`INSERT ... SELECT * FROM read_csv/read_json\`), best of ${R.insert_runs || ALL.insert_runs} run(s), rows/s:`);
      out.push('');
      out.push(`| ${R.tables ? 'table, format' : 'format'} | basalt | ClickHouse | DuckDB | basalt/ClickHouse | all runs s (basalt; ClickHouse; DuckDB) |`);
      out.push('|---|---|---|---|---|---|');
      for (const [fmt, r] of Object.entries(R.insert)) {
        const [b, c, d] = [r.basalt, r.clickhouse, r.duckdb].map((xs) => Math.min(...xs));
        const n = r.rows || R.rows;
        out.push(`| ${fmt} | ${int(n / b)} | ${int(n / c)} | ${int(n / d)} | **${f2(c / b)}** | ${r.basalt.map(f3).join(', ')}; ${r.clickhouse.map(f3).join(', ')}; ${r.duckdb.map(f3).join(', ')} |`);
      }
      out.push('');
      out.push(`Parts before OPTIMIZE FINAL: basalt ${R.parts_before_optimize.basalt}, ClickHouse ${R.parts_before_optimize.clickhouse}; OPTIMIZE: basalt ${f3(R.optimize.basalt)} s, ClickHouse ${f3(R.optimize.clickhouse)} s.`);
      out.push('');
    }
    out.push(`On disk: basalt ${int(R.size.basalt.bytes_on_disk)} bytes (${R.size.basalt.parts} parts), ClickHouse ${int(R.size.clickhouse.bytes_on_disk)} (${R.size.clickhouse.parts} parts), ` +
      `DuckDB file ${int(R.size.duckdb_file)}: basalt/ClickHouse **${f2(R.size.basalt.bytes_on_disk / R.size.clickhouse.bytes_on_disk)}**, basalt/DuckDB ${f2(R.size.basalt.bytes_on_disk / R.size.duckdb_file)}.`);
    const worstCols = Object.keys(R.size.basalt.columns).map((c) => [c, R.size.basalt.columns[c], R.size.clickhouse.columns[c] || 0])
      .filter((x) => x[2] > 0 && x[1] - x[2] > 4096).sort((a, b) => (b[1] - b[2]) - (a[1] - a[2])).slice(0, 5);
    if (worstCols.length) out.push(`Columns basalt stores in the most extra bytes: ${worstCols.map(([c, b, k]) => `${c} ${int(b)} vs ${int(k)}`).join('; ')}.`);
    out.push('');
    out.push(`Peak memory of ${R.peak.query} (growth of the process's peak RSS while the query runs): basalt ${mib(R.peak.basalt)} MiB (its query_log memory_usage ${mib(R.peak.basalt_query_log)} MiB), ` +
      `ClickHouse ${mib(R.peak.clickhouse)} MiB, DuckDB ${mib(R.peak.duckdb)} MiB: basalt/ClickHouse **${f2(R.peak.basalt / R.peak.clickhouse)}**.`);
    if (R.pruning) out.push(`Pruning (${R.pruning.query}): basalt read ${int(R.pruning.read_rows)} of ${int(R.pruning.table_rows)} rows = ${(100 * R.pruning.ratio).toFixed(2)}%.`);
    out.push('');
    out.push(`Queries, ms, cold / median of ${ALL.query_runs}; ratios on medians:`);
    out.push('');
    out.push('| query | basalt | ClickHouse | DuckDB | basalt/ClickHouse | basalt/DuckDB | same result¹ |');
    out.push('|---|---|---|---|---|---|---|');
    for (const [qn, e] of Object.entries(R.queries)) {
      const same = (e.same_result ? 'yes' : '**no**') + (e.duckdb_same_rows ? '' : ' (DuckDB rows differ)') +
        (e.duckdb_same_result === undefined ? '' : e.duckdb_same_result ? ', DuckDB too' : ' (**DuckDB values differ**)');
      out.push(`| ${qn} | ${ms(e.basalt.cold)} / ${ms(e.basalt.median)} | ${ms(e.clickhouse.cold)} / ${ms(e.clickhouse.median)} | ${ms(e.duckdb.cold)} / ${ms(e.duckdb.median)} | ` +
        `${f2(e.basalt.median / e.clickhouse.median)} | ${f2(e.basalt.median / e.duckdb.median)} | ${same} |`);
    }
    out.push('');
  }
  out.push('¹ basalt vs ClickHouse, every value (floats to 1e-9 relative), on a run with all output columns appended to the ORDER BY as ' +
    'tie-breakers (rows sorted when there is no LIMIT); DuckDB is checked for the same row count, and in the joins suite for the same values ' +
    '("DuckDB too"; its NULLs, as ASOF LEFT JOIN gives where ClickHouse gives 0, compared as 0).');
  return out.join('\n');
}

// Horizontal bars of log2(basalt/other) per query, one panel per suite; gnuplot renders the PNG.
function chart(ALL, file) {
  const dat = path.join(WORK, 'bench-chart.dat');
  const lines = [];
  let i = 0;
  const ticks = [];
  for (const [name, R] of Object.entries(ALL.suites)) {
    for (const [qn, e] of Object.entries(R.queries)) {
      if (qn === 'noop') continue;
      lines.push(`${i} ${Math.log2(e.basalt.median / e.clickhouse.median).toFixed(4)} ${Math.log2(e.basalt.median / e.duckdb.median).toFixed(4)}`);
      ticks.push(`"${name}:${qn}" ${i}`);
      i++;
    }
  }
  fs.writeFileSync(dat, lines.join('\n') + '\n');
  const gp = [
    `set terminal pngcairo noenhanced size 900,${Math.max(400, 60 + 16 * i)} font ",9"`,
    `set output "${file}"`,
    'set title "basalt time / other engine time per query (log2 scale; left of 0 = basalt faster)"',
    `set ytics (${ticks.join(', ')})`, 'set yrange [-1:*] reverse', 'set grid xtics',
    'set xlabel "log2(basalt / other)"', 'set key bottom right',
    'set style fill solid 0.7', 'set boxwidth 0.35',
    `plot "${dat}" using 2:($1-0.18):(0):2:($1-0.36):($1) with boxxyerror title "vs ClickHouse", ` +
      `"${dat}" using 3:($1+0.18):(0):3:($1):($1+0.36) with boxxyerror title "vs DuckDB"`,
  ];
  const r = spawnSync('gnuplot', [], { input: gp.join('\n'), encoding: 'utf8' });
  if (r.status !== 0) log(`gnuplot failed (chart skipped): ${r.stderr || r.error}`);
}

// ---------------------------------------------------------------- main
(async () => {
  if (process.env.CHART_ONLY) {   // redraw the chart of an earlier run: CHART_ONLY=bench-results.json CHART=out.png
    fs.mkdirSync(WORK, { recursive: true });
    chart(JSON.parse(fs.readFileSync(process.env.CHART_ONLY, 'utf8')), process.env.CHART || path.join(here, 'ratios.png'));
    return;
  }
  fs.mkdirSync(WORK, { recursive: true });
  if (!REUSE) fs.rmSync(CDIR, { recursive: true, force: true });
  const ALL = { threads: THREADS, query_runs: QUERY_RUNS, insert_runs: INSERT_RUNS, started: new Date().toISOString(), load_start: load(),
    cpu: os.cpus()[0].model, nproc: os.cpus().length, suites: {} };
  ALL.versions = { basalt: `${basalt(['-q', 'SELECT version()']).trim()} (commit ${execFileSync('git', ['-C', here, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()})`,
    clickhouse: cq('SELECT version()').trim() };
  { const d = await DuckDBInstance.create(':memory:'); const c = await d.connect(); ALL.versions.duckdb = (await duckRows(c, 'SELECT library_version FROM pragma_version()'))[0][0]; c.closeSync(); d.closeSync(); }
  for (const name of SUITE_NAMES) ALL.suites[name] = await runSuite(name);
  ALL.load_end = load();
  ALL.finished = new Date().toISOString();
  ALL.other_cpu_busy_before_step = busySeen;
  const md = report(ALL);
  fs.writeFileSync(path.join(WORK, 'bench-results.json'), JSON.stringify(ALL, null, 2));
  if (process.env.REPORT) fs.writeFileSync(process.env.REPORT, md + '\n');
  if (process.env.CHART) chart(ALL, process.env.CHART);
  console.log(md);
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
