import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { redisAnswers } from './redis.server.ts';

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
