import { setPriority } from 'node:os';

/** The niceness of a child that yields the CPU (0 is the default, 19 the lowest priority). */
const YIELDING_NICENESS = 10;

/** Children of this process that give way to priority work, not lowered yet. */
const yielding = new Set<number>();
/** Priority runs being worked on in this process. */
let urgentWork = 0;

/**
 * A child (a normal run's ffmpeg) that gives way to priority work in this process: lowered to
 * nice 10 at once if a priority run is being worked on, else when one starts. Run at nice 10
 * always, it lost to everything else at normal priority even with no priority run anywhere: a
 * CLI run's decode ran ~0.15 s longer while the models loaded beside it. Returns its release (call
 * when it has exited).
 */
export function yieldToUrgentWork(pid: number): () => void {
  if (urgentWork > 0) lower(pid);
  else yielding.add(pid);
  return () => {
    yielding.delete(pid);
  };
}

/**
 * A priority run's work in this process starts: the yielding children alive now, and those
 * started until it ends, run at a lower priority for the rest of their lives (an unprivileged
 * process may lower a child's priority, never raise it again). Returns its end.
 */
export function urgentWorkStarted(): () => void {
  if (urgentWork++ === 0) {
    for (const pid of yielding) lower(pid);
    yielding.clear();
  }
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    urgentWork--;
  };
}

function lower(pid: number): void {
  try {
    setPriority(pid, YIELDING_NICENESS);
  } catch {
    // Already gone, or not allowed here: it runs at the normal priority.
  }
}
