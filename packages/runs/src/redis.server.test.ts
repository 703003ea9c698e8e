import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redisAnswers } from './redis.server.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('redisAnswers', () => {
  it('says no for a server that hangs up, and leaves no timer behind to hold the process open', async () => {
    // What a probe can meet while redis-server starts: the connection closes under it.
    const server = createServer((socket) => socket.destroy());
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    try {
      const before = timers();
      for (let i = 0; i < 5; i++) expect(await redisAnswers(`redis://127.0.0.1:${port}`)).toBe(false);
      // ioredis's 2 s disconnect timer for a socket already closed would still be running (the
      // CLI's exit waited for it); gone within a moment now.
      await new Promise((r) => setTimeout(r, 300));
      expect(timers()).toBeLessThanOrEqual(before);
    } finally {
      server.close();
    }
  });
});

describe('a private redis-server', () => {
  const setpriv = existsSync('/usr/bin/setpriv') || existsSync('/bin/setpriv');
  if (!setpriv) console.log('skipped: the private server outliving a killed owner needs setpriv (util-linux), not on this machine');
  it.skipIf(!setpriv)('dies with the process that started it, even one killed outright (SIGKILL)', async () => {
    const module = fileURLToPath(new URL('./redis.server.ts', import.meta.url));
    const owner = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { startPrivateRedis } = await import(${JSON.stringify(module)}); const r = await startPrivateRedis(); console.log(r.process.pid); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      owner.stdout.once('data', (b: Buffer) => resolve(Number(b.toString().trim())));
      owner.once('exit', (code) => reject(new Error(`the owner exited with ${code} before its server was up`)));
    });
    expect(alive(pid)).toBe(true);
    owner.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
  });
});
