// peak.js — peak memory of one query in ClickHouse (chDB) or DuckDB, measured the way bench.js
// measures basalt's: the growth of this process's peak resident set while the query runs.
//
//   node peak.js clickhouse CHDB_DIR THREADS SQL
//   node peak.js duckdb DUCKDB_FILE THREADS SQL
//
// The database is opened and warmed with a trivial query first; then the kernel's peak-RSS mark is
// reset (`5` into /proc/self/clear_refs) and the query runs. Prints the growth in bytes:
// VmHWM after the query minus VmRSS just before it.
'use strict';
const fs = require('fs');
const path = require('path');
const anchors = process.env.ANCHORS || '/tmp/anchors';
const [engine, dbPath, threads, sql] = process.argv.slice(2);

const status = (key) => Number(/(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(key)))[1]) * 1024;
function resetPeak() { fs.writeFileSync('/proc/self/clear_refs', '5'); return status('VmRSS:'); }

(async () => {
  let before, after;
  if (engine === 'clickhouse') {
    const { Session } = require(path.join(anchors, 'node_modules/chdb'));
    const s = new Session(dbPath);
    s.query('SELECT 1', 'Null');
    before = resetPeak();
    s.query(`${sql} SETTINGS max_threads = ${threads}`, 'Null');
    after = status('VmHWM:');
    s.close();
  } else if (engine === 'duckdb') {
    const { DuckDBInstance } = require(path.join(anchors, 'node_modules/@duckdb/node-api'));
    const db = await DuckDBInstance.create(dbPath, { threads: String(threads), access_mode: 'READ_ONLY' });
    const con = await db.connect();
    await con.run('SELECT 1');
    before = resetPeak();
    await con.run(sql);
    after = status('VmHWM:');
    con.closeSync(); db.closeSync();
  } else throw new Error(`unknown engine ${engine}`);
  console.log(Math.max(0, after - before));
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
