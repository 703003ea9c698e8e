// Preloaded with `node --import` into a command the bench times: prints the process's peak RSS
// (KiB) on stderr as it exits, so the CLI's own memory is measured without changing the CLI.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\npodpreview-bench-max-rss-kib=${process.resourceUsage().maxRSS}\n`);
});
