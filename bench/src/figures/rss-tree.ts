// Peak resident memory of a whole process tree (a CLI with its redis-server and ffmpeg
// children), sampled from /proc: a process's own maxRSS misses what its children hold.
import { readdirSync, readFileSync } from 'node:fs';

const PAGE_BYTES = 4096;

/** Parent pid of every live process (Linux /proc; empty elsewhere). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(e), Number(fields[1]));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return out;
}

/** `root` and all its descendants alive now. */
export function treePids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop() as number;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

function residentBytes(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
  } catch {
    return 0;
  }
}

/**
 * Samples the tree every `intervalMs` until stopped; `stop()` gives the largest sum seen, in
 * MiB. Listing /proc costs more than reading a few statm files, so the tree itself is looked
 * up every `rescanEvery` samples (a child living shorter than that can be missed).
 */
export function watchTreeRss(root: number, intervalMs = 50, rescanEvery = 4): { stop(): number } {
  let pids = treePids(root);
  let peak = 0;
  let tick = 0;
  const sample = () => {
    if (tick++ % rescanEvery === 0) pids = treePids(root);
    peak = Math.max(
      peak,
      pids.reduce((sum, pid) => sum + residentBytes(pid), 0),
    );
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak / 2 ** 20;
    },
  };
}
