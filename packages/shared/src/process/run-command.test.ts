import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.ts';

/** The child's niceness, read by the child itself once it has run a moment (field 19 of its /proc stat). */
const childNiceness = async (o: { yieldCpu?: boolean }) => {
  const r = await runCommand('sh', ['-c', 'sleep 0.3; cut -d" " -f19 /proc/$$/stat'], o);
  expect(r.code).toBe(0);
  return Number(r.stdout.toString().trim());
};

describe.runIf(process.platform === 'linux')('runCommand yieldCpu', () => {
  it('runs the child at a lower CPU priority (nice 10, or this process’s if that is lower already)', async () => {
    expect(await childNiceness({ yieldCpu: true })).toBe(Math.max(10, getPriority()));
  });

  it('leaves the child at this process’s priority otherwise', async () => {
    expect(await childNiceness({})).toBe(getPriority());
  });
});
