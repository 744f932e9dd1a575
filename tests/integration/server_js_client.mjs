// The HTTP interface of `basalt server` through the official npm client @clickhouse/client:
// create a table, insert 100,000 rows in JSONEachRow batches, select with query parameters,
// stream a large result, and a server error as a ClickHouseError with its code.
// Usage: node server_js_client.mjs HTTP_PORT   (NODE_PATH points at the installed client)
import { createRequire } from 'module';
const require = createRequire(process.env.NODE_PATH.replace(/\/?$/, '/') + 'x.js');
const { createClient } = require('@clickhouse/client');

const port = process.argv[2];
const fail = (m) => { console.log('FAIL ' + m); process.exit(1); };
const check = (name, got, want) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`${name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
};

const client = createClient({ url: `http://127.0.0.1:${port}`, username: 'alice', password: 'secret', compression: { response: true, request: true } });
check('ping', (await client.ping()).success, true);
await client.command({ query: 'DROP TABLE IF EXISTS js_events' });
await client.command({ query: 'CREATE TABLE js_events (id UInt32, user String, kind LowCardinality(String), value Float64, ts DateTime) ENGINE = MergeTree ORDER BY id' });
for (let batch = 0; batch < 10; ++batch) {
  const values = [];
  for (let i = batch * 10000; i < (batch + 1) * 10000; ++i)
    values.push({ id: i, user: `u${i % 1000}`, kind: ['click', 'view', 'buy'][i % 3], value: i / 2, ts: 1704067200 + i });
  await client.insert({ table: 'js_events', values, format: 'JSONEachRow' });
}
let rs = await client.query({ query: 'SELECT count() AS c, sum(id) AS s FROM js_events', format: 'JSONEachRow' });
check('count', await rs.json(), [{ c: 100000, s: 4999950000 }]);
rs = await client.query({
  query: 'SELECT id, user, kind FROM js_events WHERE id = {id:UInt32} AND kind = {kind:String}',
  query_params: { id: 12345, kind: 'click' }, format: 'JSONEachRow',
});
check('params', await rs.json(), [{ id: 12345, user: 'u345', kind: 'click' }]);
// Streaming a large result.
rs = await client.query({ query: 'SELECT id, value FROM js_events ORDER BY id', format: 'JSONEachRow' });
let n = 0, sum = 0;
for await (const rows of rs.stream()) for (const row of rows) { const r = row.json(); n++; sum += r.id; }
check('streamed', [n, sum], [100000, 4999950000]);
// Errors.
try {
  await client.query({ query: 'SELECT * FROM no_such_table', format: 'JSONEachRow' });
  fail('no error for a missing table');
} catch (e) {
  check('error code', e.code, '60');
  check('error type', e.type, 'UNKNOWN_TABLE');
}
const bad = createClient({ url: `http://127.0.0.1:${port}`, username: 'alice', password: 'wrong' });
try {
  await bad.query({ query: 'SELECT 1' });
  fail('wrong password accepted');
} catch (e) {
  check('auth code', e.code, '516');
}
await bad.close();
await client.close();
console.log('OK');
