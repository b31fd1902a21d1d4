// Preloaded with `node --import` into a process under measurement: when it exits, writes its peak resident set
// size (kilobytes, from getrusage) to the file named by OPENLY_BENCH_RSS_FILE. The parent cannot get this
// figure itself, as Node does not report a child's resource usage.
import { writeFileSync } from 'node:fs';

const target = process.env.OPENLY_BENCH_RSS_FILE;
if (target !== undefined && target !== '') {
  process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
}
