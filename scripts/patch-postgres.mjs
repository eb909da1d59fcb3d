// Repairs three defects of postgres.js 3.4.9 (the newest release) that a dropped database
// connection sets off; `npm install` runs this (postinstall), and it is safe to run again.
// See docs/operations.md and the upstream reports porsager/postgres#1154, #1208.
//
// 1. closed() and terminate() cancel the pending write without forgetting it, so the connection
//    never writes again and later queries on it hang ("poisoned" pool).
// 2. A write scheduled while the socket closes runs on a null socket and throws from a
//    setImmediate: an uncaught exception that ends the whole process. It now fails the
//    connection's queries with CONNECTION_CLOSED instead, which callers can handle.
// 3. A transaction's BEGIN reserves its connection only when the write was not held back
//    (backpressure, a full pipeline); otherwise the transaction's next statements ran on other
//    connections, outside the transaction ("SAVEPOINT can only be used in transaction blocks").
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const marker = "berdaya-patch";
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", "postgres");

const edits = [
  {
    what: "forget the cancelled write on close",
    from: /^( {4})clearImmediate\(nextWriteTimer\)$/gm,
    to: `$1clearImmediate(nextWriteTimer)\n$1chunk = nextWriteTimer = null // ${marker}`,
    count: 2,
  },
  {
    what: "no write on a closed socket",
    from: /^( {4})const x = socket\.write\(chunk, fn\)$/gm,
    to: `$1if (!socket) { // ${marker}\n$1  chunk = nextWriteTimer = null\n$1  error(Errors.connection('CONNECTION_CLOSED', options))\n$1  return false\n$1}\n$1const x = socket.write(chunk, fn)`,
    count: 1,
  },
  {
    what: "BEGIN always reserves its connection",
    from: /^( {6})return write\(toBuffer\(q\)\)\n\s+&& !q\.describeFirst\n\s+&& !q\.cursorFn\n\s+&& sent\.length < max_pipeline\n\s+&& \(!q\.options\.onexecute \|\| q\.options\.onexecute\(connection\)\)$/gm,
    to: `$1const written = write(toBuffer(q)) && !q.describeFirst && !q.cursorFn && sent.length < max_pipeline // ${marker}\n$1if (q.options.onexecute) return q.options.onexecute(connection), false\n$1return written`,
    count: 1,
  },
];

let problems = 0;
for (const folder of ["src", "cjs/src", "cf/src"]) {
  const file = join(root, folder, "connection.js");
  if (!existsSync(file)) continue;
  let source = readFileSync(file, "utf8");
  if (source.includes(marker)) continue;
  for (const edit of edits) {
    const found = source.match(edit.from)?.length ?? 0;
    if (found !== edit.count) {
      console.warn(`postgres.js patch: "${edit.what}" not applied to ${folder} (found ${found})`);
      problems += 1;
      continue;
    }
    source = source.replace(edit.from, edit.to);
  }
  writeFileSync(file, source);
}
if (problems > 0) {
  console.warn(
    "postgres.js patch: the installed version differs; check scripts/patch-postgres.mjs",
  );
}
