import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { urgentWorkStarted } from './cpu-yield.ts';
import { runCommand } from './run-command.ts';

/** The child's niceness, read by the child itself after `afterSec` (field 19 of its /proc stat). */
const childNiceness = async (o: { yieldCpu?: boolean }, afterSec = 0.3) => {
  const r = await runCommand('sh', ['-c', `sleep ${afterSec}; cut -d" " -f19 /proc/$$/stat`], o);
  expect(r.code).toBe(0);
  return Number(r.stdout.toString().trim());
};

describe.runIf(process.platform === 'linux')('runCommand yieldCpu', () => {
  it('runs a yielding child at this process’s priority while no priority work is under way here', async () => {
    expect(await childNiceness({ yieldCpu: true })).toBe(getPriority());
  });

  it('lowers a yielding child to nice 10 (or this process’s, if lower already) when priority work starts while it runs', async () => {
    const reading = childNiceness({ yieldCpu: true }, 0.5);
    await new Promise((r) => setTimeout(r, 100));
    const ended = urgentWorkStarted();
    try {
      expect(await reading).toBe(Math.max(10, getPriority()));
    } finally {
      ended();
    }
  });

  it('starts a yielding child low while priority work is under way, and only a yielding one', async () => {
    const ended = urgentWorkStarted();
    try {
      expect(await childNiceness({ yieldCpu: true }, 0.1)).toBe(Math.max(10, getPriority()));
      expect(await childNiceness({}, 0.1)).toBe(getPriority());
    } finally {
      ended();
    }
    // Ended (twice is once): the next yielding child runs at the normal priority again.
    ended();
    expect(await childNiceness({ yieldCpu: true }, 0.1)).toBe(getPriority());
  });
});
