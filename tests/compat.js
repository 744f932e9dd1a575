// `make compat`: runs every golden .sql statement by statement in basalt and in ClickHouse (chDB)
// and prints the statements whose results differ (errors compare by code).
// Usage: node tests/compat.js BASALT_BINARY DIR_OR_FILES...
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const oracle = path.join(__dirname, '..', '..', 'shared', 'tools', 'oracle.js');
const [bin, ...targets] = process.argv.slice(2);
let files = [];
for (const t of targets) {
  if (fs.statSync(t).isDirectory()) files.push(...fs.readdirSync(t).filter(f => f.endsWith('.sql')).sort().map(f => path.join(t, f)));
  else files.push(t);
}
const code = s => { const m = /Code: (\d+)/.exec(s || ''); return m ? m[1] : null; };
let diffs = 0, total = 0;
for (const file of files) {
  const ch = execFileSync('node', [oracle, file], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean).map(JSON.parse);
  let bs;
  try {
    bs = execFileSync(bin, ['local', '--json-log', '--queries-file', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  } catch (e) { bs = e.stdout || ''; }
  const ba = bs.split('\n').filter(Boolean).map(JSON.parse);
  for (const c of ch) {
    if (/\{\s*basalt\s*\}/.test(c.sql)) continue;
    total++;
    const b = ba[c.i];
    const hint = /\{\s*(serverError|clientError)\s+(\w+)\s*\}/.exec(c.sql);
    let same;
    if (!b) same = false;
    else if (hint && c.ok && c.out === '') same = !b.ok && code(b.out) === hint[2];
    else if (!c.ok || !b.ok) same = c.ok === b.ok && code(c.out) === code(b.out);
    else same = c.out === b.out;
    if (!same) {
      diffs++;
      console.log(`--- ${file} #${c.i}: ${c.sql}\n  clickhouse: ${JSON.stringify(c.ok ? c.out : code(c.out) + ' ' + c.out.slice(0, 200))}\n  basalt:     ${b ? JSON.stringify(b.ok ? b.out : code(b.out) + ' ' + b.out.slice(0, 200)) : '(missing)'}`);
    }
  }
}
console.log(`${total - diffs} of ${total} statements agree; ${diffs} differ`);
process.exit(diffs ? 1 : 0);
