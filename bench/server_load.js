// bench/server_load.js — load test of `basalt server` over HTTP (bench/server_load.sh runs it):
// CONNECTIONS keep-alive clients for DURATION seconds, each looping over a mix of the seed's
// dashboard queries (bench/storage_queries.txt, ClickHouse dialect) and small INSERTs (10 rows
// with unique ids). Reports QPS, p50/p99 latency per kind, errors, and checks that every
// acknowledged INSERT is present afterwards. Prints one JSON line with the numbers.
// Usage: node server_load.js HTTP_PORT [CONNECTIONS] [DURATION_S]
const http = require('http');
const fs = require('fs');
const path = require('path');

const port = Number(process.argv[2]);
const CONNECTIONS = Number(process.argv[3] || 64);
const DURATION = Number(process.argv[4] || 60) * 1000;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

const queries = fs.readFileSync(path.join(__dirname, 'storage_queries.txt'), 'utf8').split('\n')
  .filter((l) => l && !l.startsWith('#')).map((l) => l.split(' | ')).filter((p) => p[0] !== 'noop')
  .map(([name, sql]) => ({ name, sql }));

function post(sql, body) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const qs = body === undefined ? '' : '?query=' + encodeURIComponent(sql);
    const req = http.request({ host: '127.0.0.1', port, path: '/' + qs, method: 'POST', agent }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ ok: res.statusCode === 200, status: res.statusCode, data, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.on('error', (e) => resolve({ ok: false, status: 0, data: String(e), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    req.end(body === undefined ? sql : body);
  });
}

const pct = (a, p) => (a.length ? a[Math.min(a.length - 1, Math.floor((a.length * p) / 100))] : 0);

(async () => {
  let r = await post('CREATE TABLE IF NOT EXISTS load_inserts (id UInt64, worker UInt32, ts DateTime DEFAULT now()) ENGINE = MergeTree ORDER BY id');
  if (!r.ok) throw new Error(r.data);
  const lat = { select: [], insert: [] };
  const errors = [];
  const acked = [];
  let nextId = 1;
  const end = Date.now() + DURATION;
  async function worker(w) {
    let i = w;
    while (Date.now() < end) {
      if (i++ % 5 === 0) {
        const ids = [];
        for (let k = 0; k < 10; ++k) ids.push(nextId++);
        const res = await post('INSERT INTO load_inserts (id, worker) FORMAT TSV', ids.map((id) => `${id}\t${w}`).join('\n') + '\n');
        if (res.ok) { lat.insert.push(res.ms); acked.push(...ids); } else errors.push(res.status + ' ' + res.data.slice(0, 200));
      } else {
        const q = queries[i % queries.length];
        const res = await post(q.sql);
        if (res.ok) lat.select.push(res.ms); else errors.push(res.status + ' ' + res.data.slice(0, 200));
      }
    }
  }
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
  const secs = (Date.now() - t0) / 1000;
  r = await post(`SELECT count(), uniqExact(id) FROM load_inserts WHERE id <= ${nextId}`);
  const [count, uniq] = r.data.trim().split('\t').map(Number);
  for (const k of Object.keys(lat)) lat[k].sort((a, b) => a - b);
  const result = {
    connections: CONNECTIONS, seconds: Number(secs.toFixed(1)),
    qps: Number(((lat.select.length + lat.insert.length) / secs).toFixed(1)),
    selects: lat.select.length, select_p50_ms: Number(pct(lat.select, 50).toFixed(1)), select_p99_ms: Number(pct(lat.select, 99).toFixed(1)),
    inserts: lat.insert.length, insert_p50_ms: Number(pct(lat.insert, 50).toFixed(1)), insert_p99_ms: Number(pct(lat.insert, 99).toFixed(1)),
    errors: errors.length, acked_rows: acked.length, rows_present: count, all_acked_present: count === acked.length && uniq === acked.length,
  };
  console.log(JSON.stringify(result));
  if (errors.length) console.error('first errors:', errors.slice(0, 5));
  agent.destroy();
  process.exit(errors.length || !result.all_acked_present ? 1 : 0);
})();
