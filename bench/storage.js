// storage.js — MergeTree storage measurements (issue 3) for basalt vs ClickHouse (chDB) and DuckDB.
// Driven by bench/storage.sh, which builds the data generator and the TSV first.
//
//   node storage.js BASALT_BINARY EVENTS.tsv ROWS
//   env: THREADS (default nproc), INSERT_RUNS (3), QUERY_RUNS (5), INSERT_STDIN (1: also time
//        basalt's `INSERT INTO events FORMAT TSV` with the data on stdin, once), WORK (data dir for
//        the engines' tables, default bench/data), RESULT_JSON (where to write the raw numbers).
//
// Steps: (a) insert throughput, best of INSERT_RUNS, a fresh table each time, runs of the two
// engines interleaved; (b) OPTIMIZE TABLE events FINAL, then bytes of active parts from
// system.parts and `du -sb` of the active part directories; (c) dashboard queries
// (storage_queries.txt): one cold run, then the median of QUERY_RUNS; (d) read_rows of the
// last-24-hours query from basalt's system.query_log over the table's row count.
//
// Timing: basalt statements are timed inside the `basalt local` process from system.query_log
// (query start to finish, µs; result formatting and process start-up excluded), chDB and DuckDB
// in-process around the query call. Inserts are wall time of the whole statement (basalt: of the
// `basalt local` process).
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawnSync, execFileSync } = require('child_process');

const anchors = process.env.ANCHORS || '/tmp/anchors';
const [bin, tsv, rowsArg] = process.argv.slice(2);
const ROWS = Number(rowsArg);
const THREADS = Number(process.env.THREADS || os.cpus().length);
const INSERT_RUNS = Number(process.env.INSERT_RUNS || 3);
const QUERY_RUNS = Number(process.env.QUERY_RUNS || 5);
const INSERT_STDIN = (process.env.INSERT_STDIN || '1') !== '0';
const REUSE = process.env.REUSE === '1';
const here = __dirname;
const WORK = path.resolve(process.env.WORK || path.join(here, 'data'));
const RESULT_JSON = process.env.RESULT_JSON || path.join(WORK, `storage-results-${ROWS}.json`);
const TSV = path.resolve(tsv);

const SCHEMA = 'ts DateTime, user_id UInt64, event_type LowCardinality(String), value Float64, properties String';
const CREATE = `CREATE TABLE events (${SCHEMA}) ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id)`;
const INSERT_FILE = `INSERT INTO events SELECT * FROM file('${TSV}', 'TSV', '${SCHEMA}') SETTINGS max_threads = ${THREADS}`;
const QUERIES = fs.readFileSync(path.join(here, 'storage_queries.txt'), 'utf8').split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => { const [name, sql, duck] = l.split('|').map((s) => s.trim()); return { name, sql, duck }; });
const PRUNE_QUERY = 'hourly_24h';

const env = { ...process.env, TZ: 'UTC' };
const log = (...a) => console.error('[storage]', ...a);
const now = () => process.hrtime.bigint();
const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
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
  let b = cpuBusy(QUIET_WAIT ? 1000 : 300);
  while (b > QUIET_MAX_BUSY && Date.now() < until) b = cpuBusy(1000);
  busySeen[label] = +b.toFixed(2);
  return b;
}

// ---------------------------------------------------------------- basalt
const BDIR = path.join(WORK, 'basalt_db');
function basalt(args, opts = {}) {
  const r = spawnSync(opts.shell ? 'bash' : bin, opts.shell ? ['-c', opts.shell, bin, ...args] : ['local', ...args],
    { env, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`basalt ${args.join(' ').slice(0, 300)} exited ${r.status}: ${(r.stderr || '').slice(0, 2000)}`);
  return r.stdout;
}
const bq = (dir, sql, fmt = 'TabSeparated') => basalt(['--path', dir, '--format', fmt, '-q', sql]);

function basaltFreshTable(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  bq(dir, CREATE);
}

function basaltInsertFile(dir) {
  basaltFreshTable(dir);
  const t = now();
  basalt(['--path', dir, '-q', INSERT_FILE]);
  const s = secs(t);
  const n = Number(bq(dir, 'SELECT count() FROM events').trim());
  if (n !== ROWS) throw new Error(`basalt loaded ${n} rows, expected ${ROWS}`);
  return s;
}

// The brief's form: the data on stdin. `basalt local --query "INSERT ... FORMAT TSV" < file` does not
// read stdin (INCORRECT_QUERY), so the statement and the data both come on stdin.
function basaltInsertStdin(dir) {
  basaltFreshTable(dir);
  const t = now();
  basalt([dir, TSV], { shell: '{ echo "INSERT INTO events FORMAT TSV"; cat "$2"; } | "$0" local --path "$1"' });
  const s = secs(t);
  const n = Number(bq(dir, 'SELECT count() FROM events').trim());
  if (n !== ROWS) throw new Error(`basalt (stdin) loaded ${n} rows, expected ${ROWS}`);
  return s;
}

// ---------------------------------------------------------------- ClickHouse (chDB)
const CDIR = path.join(WORK, 'chdb');
let chSession = null;
function ch() {
  if (!chSession) {
    const { Session } = require(path.join(anchors, 'node_modules/chdb'));
    if (!REUSE) fs.rmSync(CDIR, { recursive: true, force: true });
    chSession = new Session(CDIR);
  }
  return chSession;
}
const cq = (sql, fmt = 'TSV') => ch().query(sql, fmt);
function chWaitMerges() {
  // Background merges after an INSERT are not part of its time, but must not run into the next step.
  for (let i = 0; i < 600; i++) {
    if (Number(cq('SELECT count() FROM system.merges').trim()) === 0) return;
    sleep(500);
  }
}
function chInsertFile() {
  cq('DROP TABLE IF EXISTS events SYNC');
  cq(CREATE);
  const t = now();
  cq(INSERT_FILE);
  const s = secs(t);
  const n = Number(cq('SELECT count() FROM events').trim());
  if (n !== ROWS) throw new Error(`ClickHouse loaded ${n} rows, expected ${ROWS}`);
  chWaitMerges();
  return s;
}

// ---------------------------------------------------------------- sizes
const PARTS_SQL = "SELECT count(), sum(rows), sum(bytes_on_disk), sum(data_compressed_bytes), sum(data_uncompressed_bytes), sum(marks_bytes) FROM system.parts WHERE table = 'events' AND active";
const PATHS_SQL = "SELECT path FROM system.parts WHERE table = 'events' AND active";
const COLS_SQL = "SELECT column, sum(column_data_compressed_bytes), sum(column_marks_bytes) FROM system.parts_columns WHERE table = 'events' AND active GROUP BY column ORDER BY column";
function duSum(paths) {
  if (!paths.length) return 0;
  const out = execFileSync('du', ['-sbc', ...paths], { encoding: 'utf8' }).trim().split('\n');
  return Number(out[out.length - 1].split('\t')[0]);
}
function sizes(run) {
  const [parts, rows, bytes, comp, uncomp, marks] = run(PARTS_SQL).trim().split('\t').map(Number);
  const paths = run(PATHS_SQL).trim().split('\n').filter(Boolean);
  const columns = {};
  for (const l of run(COLS_SQL).trim().split('\n').filter(Boolean)) {
    const [c, b, m] = l.split('\t');
    columns[c] = { compressed: Number(b), marks: Number(m) };
  }
  return { parts, rows, bytes_on_disk: bytes, data_compressed_bytes: comp, data_uncompressed_bytes: uncomp, marks_bytes: marks, du_active_parts: duSum(paths), columns };
}

// ---------------------------------------------------------------- result comparison
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

// ---------------------------------------------------------------- main
(async () => {
  const R = { rows: ROWS, threads: THREADS, insert_runs: INSERT_RUNS, query_runs: QUERY_RUNS, tsv: TSV, tsv_bytes: fs.statSync(TSV).size,
    started: new Date().toISOString(), load_start: load(), cpu: os.cpus()[0].model, nproc: os.cpus().length };
  fs.mkdirSync(WORK, { recursive: true });
  R.versions = { basalt: `${bin}, version() ${basalt(['-q', 'SELECT version()']).trim()}, repository HEAD ${execFileSync('git', ['-C', here, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()}` };

  // (a) insert throughput, interleaved. REUSE=1 skips (a) and OPTIMIZE and measures the tables
  // a previous run left in WORK (for re-timing the queries when the machine is quiet).
  R.insert = { basalt: [], clickhouse: [] };
  for (let i = 0; i < (REUSE ? 0 : INSERT_RUNS); i++) {
    log(`insert run ${i + 1}/${INSERT_RUNS} (load ${load()})`);
    waitQuiet(`insert_basalt_${i + 1}`);
    R.insert.basalt.push(basaltInsertFile(BDIR));
    log(`  basalt ${R.insert.basalt[i].toFixed(3)} s`);
    waitQuiet(`insert_clickhouse_${i + 1}`);
    R.insert.clickhouse.push(chInsertFile());
    log(`  ClickHouse ${R.insert.clickhouse[i].toFixed(3)} s`);
  }
  R.versions.clickhouse = cq('SELECT version()').trim();
  R.clickhouse_codec = cq("SELECT any(default_compression_codec) FROM system.parts WHERE table = 'events' AND active").trim();
  if (INSERT_STDIN && !REUSE) {
    const sdir = path.join(WORK, 'basalt_db_stdin');
    log('insert basalt, data on stdin');
    waitQuiet('insert_basalt_stdin');
    R.insert.basalt_stdin = [basaltInsertStdin(sdir)];
    fs.rmSync(sdir, { recursive: true, force: true });
  }

  // (b) OPTIMIZE FINAL and sizes.
  if (!REUSE) {
    log('OPTIMIZE TABLE events FINAL');
    R.parts_before_optimize = { basalt: Number(bq(BDIR, "SELECT count() FROM system.parts WHERE table = 'events' AND active").trim()),
      clickhouse: Number(cq("SELECT count() FROM system.parts WHERE table = 'events' AND active").trim()) };
    waitQuiet('optimize_basalt');
    let t = now(); bq(BDIR, 'OPTIMIZE TABLE events FINAL'); R.optimize = { basalt: secs(t) };
    waitQuiet('optimize_clickhouse');
    t = now(); cq('OPTIMIZE TABLE events FINAL'); R.optimize.clickhouse = secs(t);
  }
  chWaitMerges();
  R.size = { basalt: sizes((sql) => bq(BDIR, sql)), clickhouse: sizes((sql) => cq(sql)) };
  R.size.basalt.du_data_dir = duSum([BDIR]);
  R.size.clickhouse.table_paths = cq("SELECT arrayJoin(data_paths) FROM system.tables WHERE name = 'events'").trim();

  // DuckDB: the same data in a plain in-memory table, loaded before the query phase.
  log(`DuckDB load (load ${load()})`);
  const { DuckDBInstance } = require(path.join(anchors, 'node_modules/@duckdb/node-api'));
  const duck = await (await DuckDBInstance.create(':memory:', { threads: String(THREADS) })).connect();
  R.versions.duckdb = (await duck.runAndReadAll('SELECT library_version FROM pragma_version()')).getRows()[0][0];
  {
    const t0 = now();
    await duck.run(`CREATE TABLE events AS SELECT * FROM read_csv('${TSV}', delim = '\t', header = false, quote = '', escape = '', auto_detect = false, ` +
      "columns = {'ts': 'TIMESTAMP', 'user_id': 'UBIGINT', 'event_type': 'VARCHAR', 'value': 'DOUBLE', 'properties': 'VARCHAR'})");
    R.duckdb_load = secs(t0);
  }

  // (c) dashboard queries, one query at a time in all three engines back to back (so a change in
  // the machine's load hits them alike). basalt: a fresh `basalt local` process runs the query
  // cold + QUERY_RUNS times and reads the timings and read_rows back from system.query_log; its
  // cold run's TSV result is compared with ClickHouse's.
  R.queries = {};
  for (const q of QUERIES) {
    log(`query ${q.name} (load ${load()})`);
    waitQuiet(`query_${q.name}`);
    const e = (R.queries[q.name] = {});
    const stmts = [];
    for (let r = 0; r <= QUERY_RUNS; r++) stmts.push(`${q.sql} SETTINGS max_threads = ${THREADS};`);
    stmts.push("SELECT read_rows, dateDiff('microsecond', query_start_time_microseconds, event_time_microseconds) FROM system.query_log WHERE type = 'QueryFinish' ORDER BY event_time_microseconds FORMAT TabSeparated;");
    const qfile = path.join(WORK, 'storage_basalt_queries.sql');
    fs.writeFileSync(qfile, stmts.join('\n') + '\n');
    const jl = basalt(['--path', BDIR, '--json-log', '--queries-file', qfile]).trim().split('\n').map((l) => JSON.parse(l));
    for (const x of jl) if (!x.ok) throw new Error(`basalt: ${x.sql}\n${x.out}`);
    const qlog = jl[jl.length - 1].out.trim().split('\n').map((l) => l.split('\t').map(Number));
    if (qlog.length !== QUERY_RUNS + 1) throw new Error(`query_log has ${qlog.length} entries, expected ${QUERY_RUNS + 1}`);
    const bt = qlog.map((x) => x[1] / 1e6);
    e.basalt = { cold: bt[0], runs: bt.slice(1), median: median(bt.slice(1)), read_rows: qlog[0][0] };

    const sql = `${q.sql} SETTINGS max_threads = ${THREADS}`;
    const ct = [];
    let result = '';
    for (let r = 0; r <= QUERY_RUNS; r++) {
      const t0 = now();
      const out = cq(sql, 'TSV');
      ct.push(secs(t0));
      if (r === 0) result = out;
    }
    // read_rows with ClickHouse's query condition cache off: after the timed runs that cache (on by
    // default) remembers which granules matched, which would hide what the index itself pruned.
    const stats = JSON.parse(cq(`${sql}, use_query_condition_cache = 0`, 'JSON')).statistics;
    e.clickhouse = { cold: ct[0], runs: ct.slice(1), median: median(ct.slice(1)), read_rows: stats.rows_read };
    e.same_result = sameResult(jl[0].out, result);
    if (!e.same_result) { e.basalt_result = jl[0].out; e.clickhouse_result = result; }

    const dt = [];
    for (let r = 0; r <= QUERY_RUNS; r++) { const t1 = now(); await duck.run(q.duck); dt.push(secs(t1)); }
    e.duckdb = { cold: dt[0], runs: dt.slice(1), median: median(dt.slice(1)) };
  }
  if (chSession) chSession.close();

  // (d) pruning, exactly as a user would check it: run the query, then read its read_rows back.
  log('pruning check');
  {
    const q = QUERIES.find((x) => x.name === PRUNE_QUERY);
    const out = bq(BDIR, `${q.sql} FORMAT Null; SELECT read_rows FROM system.query_log WHERE query LIKE '%toStartOfHour(ts)%' AND query NOT LIKE '%system.query_log%' ORDER BY event_time_microseconds DESC LIMIT 1; SELECT count() FROM events`);
    const [readRows, total] = out.trim().split('\n').map(Number);
    R.pruning = { query: q.name, read_rows: readRows, table_rows: total, ratio: readRows / total };
  }
  R.load_end = load();
  R.other_cpu_busy_before_step = busySeen;
  R.finished = new Date().toISOString();
  fs.writeFileSync(RESULT_JSON, JSON.stringify(R, null, 2));

  // ---------------------------------------------------------------- report
  const f3 = (x) => x.toFixed(3), f2 = (x) => x.toFixed(2), mb = (x) => (x / 1048576).toFixed(1), ms = (x) => (x * 1000).toFixed(1);
  const int = (x) => Math.round(x).toLocaleString('en-US');
  const out = [];
  out.push(`${ROWS.toLocaleString('en-US')} rows (${mb(R.tsv_bytes)} MiB TSV), max_threads = ${THREADS}; basalt ${R.versions.basalt}, ClickHouse ${R.versions.clickhouse} (chDB), DuckDB ${R.versions.duckdb}; ${R.cpu}, ${R.nproc} CPUs`);
  out.push('');
  out.push(`Load average ${R.load_start} at start, ${R.load_end} at end; share of the machine used by other processes just before each step: ` +
    Object.entries(busySeen).map(([k, v]) => `${k} ${v}`).join(', '));
  out.push('');
  if (R.insert.basalt.length) {
    out.push('Insert (INSERT INTO events SELECT * FROM file(TSV), fresh table each run):');
    out.push('');
    out.push('| engine | best s | rows/s | all runs s |');
    out.push('|---|---|---|---|');
    const ib = Math.min(...R.insert.basalt), ic = Math.min(...R.insert.clickhouse);
    out.push(`| basalt | ${f3(ib)} | ${int(ROWS / ib)} | ${R.insert.basalt.map(f3).join(', ')} |`);
    out.push(`| ClickHouse | ${f3(ic)} | ${int(ROWS / ic)} | ${R.insert.clickhouse.map(f3).join(', ')} |`);
    if (R.insert.basalt_stdin) out.push(`| basalt, \`INSERT INTO events FORMAT TSV\` + data on stdin (1 run) | ${f3(R.insert.basalt_stdin[0])} | ${int(ROWS / R.insert.basalt_stdin[0])} | |`);
    out.push(`| **basalt/ClickHouse rows/s** | | **${f2(ic / ib)}** | |`);
  } else out.push('(REUSE=1: the tables of the previous run; insert and OPTIMIZE not re-measured)');
  out.push('');
  if (R.optimize) out.push(`On disk after OPTIMIZE TABLE events FINAL (basalt ${f3(R.optimize.basalt)} s, ClickHouse ${f3(R.optimize.clickhouse)} s; ` +
    `parts before: basalt ${R.parts_before_optimize.basalt}, ClickHouse ${R.parts_before_optimize.clickhouse}; ClickHouse default codec ${R.clickhouse_codec}):`);
  else out.push(`On disk (ClickHouse default codec ${R.clickhouse_codec}):`);
  out.push('');
  out.push('| engine | active parts | bytes_on_disk | du -sb active parts | data compressed | data uncompressed | marks |');
  out.push('|---|---|---|---|---|---|---|');
  for (const [n, s] of [['basalt', R.size.basalt], ['ClickHouse', R.size.clickhouse]])
    out.push(`| ${n} | ${s.parts} | ${int(s.bytes_on_disk)} | ${int(s.du_active_parts)} | ${int(s.data_compressed_bytes)} | ${int(s.data_uncompressed_bytes)} | ${int(s.marks_bytes)} |`);
  out.push(`| **basalt/ClickHouse** | | **${f2(R.size.basalt.bytes_on_disk / R.size.clickhouse.bytes_on_disk)}** | ${f2(R.size.basalt.du_active_parts / R.size.clickhouse.du_active_parts)} | ${f2(R.size.basalt.data_compressed_bytes / R.size.clickhouse.data_compressed_bytes)} | | |`);
  out.push('');
  out.push('| column | basalt compressed | ClickHouse compressed | ratio |');
  out.push('|---|---|---|---|');
  for (const c of Object.keys(R.size.basalt.columns)) {
    const b = R.size.basalt.columns[c].compressed, k = (R.size.clickhouse.columns[c] || {}).compressed || 0;
    out.push(`| ${c} | ${int(b)} | ${int(k)} | ${k ? f2(b / k) : '-'} |`);
  }
  out.push('');
  out.push(`Dashboard queries, milliseconds: cold (first run; basalt: first in a fresh process) / median of ${QUERY_RUNS}; ratios on medians; read_rows from each engine's own accounting:`);
  out.push('');
  out.push('| query | basalt | ClickHouse | DuckDB | basalt/ClickHouse | basalt/DuckDB | read_rows basalt | read_rows ClickHouse¹ | same result² |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const q of QUERIES) {
    const e = R.queries[q.name];
    out.push(`| ${q.name} | ${ms(e.basalt.cold)} / ${ms(e.basalt.median)} | ${ms(e.clickhouse.cold)} / ${ms(e.clickhouse.median)} | ${ms(e.duckdb.cold)} / ${ms(e.duckdb.median)} | ` +
      `${f2(e.basalt.median / e.clickhouse.median)} | ${f2(e.basalt.median / e.duckdb.median)} | ${int(e.basalt.read_rows)} | ${int(e.clickhouse.read_rows)} | ${e.same_result ? 'yes' : '**no**'} |`);
  }
  out.push('');
  out.push('');
  out.push('¹ with use_query_condition_cache = 0 (the timed runs keep ClickHouse defaults, where that cache is on). ² basalt vs ClickHouse, floats to 1e-9 relative.');
  out.push('');
  out.push(`Pruning (${R.pruning.query}): basalt read ${int(R.pruning.read_rows)} of ${int(R.pruning.table_rows)} rows = ${(100 * R.pruning.ratio).toFixed(2)}% (goal ≤ 5%).`);
  out.push(`DuckDB load of the TSV (CREATE TABLE AS read_csv): ${f3(R.duckdb_load)} s. Raw numbers: ${path.relative(process.cwd(), RESULT_JSON)}`);
  console.log(out.join('\n'));
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
