// Times one query in ClickHouse (chDB) or DuckDB, in-process, best of N runs.
// Usage: node engines.js clickhouse|duckdb THREADS RUNS SQL
const path = require('path');
const anchors = process.env.ANCHORS || '/tmp/anchors';
const [engine, threads, runs, sql] = process.argv.slice(2);
(async () => {
  let best = Infinity;
  if (engine === 'clickhouse') {
    const { query } = require(path.join(anchors, 'node_modules/chdb'));
    for (let i = 0; i < +runs; i++) {
      const t = process.hrtime.bigint();
      query(`${sql} SETTINGS max_threads = ${threads}`, 'Null');
      best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
    }
  } else {
    const { DuckDBInstance } = require(path.join(anchors, 'node_modules/@duckdb/node-api'));
    const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    const con = await db.connect();
    for (let i = 0; i < +runs; i++) {
      const t = process.hrtime.bigint();
      await con.run(sql);
      best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
    }
  }
  console.log(best.toFixed(3));
})();
