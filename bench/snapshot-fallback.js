// What the monorepo benchmark measures while lib/cli/main.js does not exist yet: the work the CLI would do
// before its checks, namely open the snapshot, list every file, read the licence files and grep for SPDX
// headers. Prints one JSON line describing what it saw, so the benchmark can tell that it ran.
import { openLocalSnapshot } from '../lib/sources/local.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: node bench/snapshot-fallback.js DIR');
const snapshot = openLocalSnapshot(dir);
const licences = snapshot.files().filter((path) => /(^|\/)(licen[cs]e|copying)[^/]*$/i.test(path));
let text = 0;
for (const path of licences) if (snapshot.read(path).kind === 'text') text++;
const spdx = snapshot.grep('SPDX-License-Identifier:', { maxLines: 5 });
process.stdout.write(
  `${JSON.stringify({ files: snapshot.files().length, licences: licences.length, text, spdx: spdx.matches.length })}\n`,
);
