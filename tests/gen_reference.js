// Generates tests/queries/*.reference from real ClickHouse (chDB) via ../shared/tools/oracle.js.
// Usage: node tests/gen_reference.js tests/queries/00001_x.sql [...]
// Each statement ends with ';' at the end of a line. A statement expected to fail carries a hint
// inside it, before the ';':   SELECT intDiv(1, 0) /* { serverError 153 } */;
// The reference holds the TabSeparated output of the successful statements, in order. The script
// refuses to write a reference when ClickHouse disagrees with a hint (wrong code, or no error).
// A statement whose result basalt defines itself (not ClickHouse) can be marked /* { basalt } */:
// it is skipped here and its expected output must be added by hand below the generated part.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const oracle = path.join(__dirname, '..', '..', 'shared', 'tools', 'oracle.js');
let failed = false;
for (const file of process.argv.slice(2)) {
  const lines = execFileSync('node', [oracle, file], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
  let ref = '';
  for (const l of lines) {
    const r = JSON.parse(l);
    const hint = /\{\s*(serverError|clientError)\s+(\w+)\s*\}/.exec(r.sql);
    if (/\{\s*basalt\s*\}/.test(r.sql)) continue;
    if (hint) {
      // chDB checks hints itself: the expected error yields ok with empty output; a different
      // error yields !ok; success prints the result (and a complaint on stderr).
      if (!r.ok) { console.error(`${file}: statement ${r.i} expects ${hint[2]}, ClickHouse said: ${r.out}`); failed = true; }
      else if (r.out !== '') { console.error(`${file}: statement ${r.i} succeeded in ClickHouse but expects ${hint[2]}: ${r.sql}`); failed = true; }
      continue;
    }
    if (!r.ok) { console.error(`${file}: statement ${r.i} failed in ClickHouse: ${r.sql}\n  ${r.out}`); failed = true; continue; }
    ref += r.out;
  }
  fs.writeFileSync(file.replace(/\.sql$/, '.reference'), ref);
}
process.exit(failed ? 1 : 0);
