import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputNotAllowedError, InputNotFoundError, InputTooLargeError, InputUnreachableError, PodpreviewError } from '@podpreview/shared';
import { isPublicAddress } from './net.guard.ts';
import { downloadWeb } from './web.fetch.ts';

// A real HTTP server on loopback plays the podcast host. Loopback is a private address, so
// these downloads run with allowPrivate (as tests and local setups do), except where the
// refusal itself is under test.

let server: http.Server;
let base: string;
let dir: string;
const hung: http.ServerResponse[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'web-fetch-'));
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/ep.mp3') res.end('ID3 audio bytes');
    else if (url.pathname === '/moved') res.writeHead(302, { location: '/ep.mp3' }).end();
    else if (url.pathname === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (url.pathname === '/to-ftp') res.writeHead(301, { location: 'ftp://example.com/ep.mp3' }).end();
    else if (url.pathname === '/big-declared') res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000));
    else if (url.pathname === '/big-chunked') {
      res.writeHead(200);
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(500));
      res.end();
    } else if (url.pathname === '/broken') res.writeHead(503).end();
    else if (url.pathname === '/hang') hung.push(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hung) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

const opts = { maxBytes: 1000, timeoutMs: 5000, allowPrivate: true };
const dest = (name: string) => path.join(dir, name);
const fails = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('downloadWeb', () => {
  it('downloads, following a redirect', async () => {
    await downloadWeb(new URL(`${base}/moved`), dest('a.mp3'), opts);
    expect(await readFile(dest('a.mp3'), 'utf8')).toBe('ID3 audio bytes');
  });

  it('refuses a host that resolves to a private address unless allowed', async () => {
    const err = await fails(downloadWeb(new URL(`${base}/ep.mp3`), dest('b.mp3'), { ...opts, allowPrivate: false }));
    expect(err).toBeInstanceOf(InputNotAllowedError);
    expect((err as Error).message).toMatch(/127\.0\.0\.1, which is not a public address/);
    const viaName = await fails(downloadWeb(new URL(`${base.replace('127.0.0.1', 'localhost')}/ep.mp3`), dest('b.mp3'), { ...opts, allowPrivate: false }));
    expect(viaName).toBeInstanceOf(InputNotAllowedError);
  });

  it('re-checks every redirect: no scheme change, no endless chains', async () => {
    expect(await fails(downloadWeb(new URL(`${base}/to-ftp`), dest('c.mp3'), opts))).toBeInstanceOf(InputNotAllowedError);
    expect(await fails(downloadWeb(new URL(`${base}/loop`), dest('c.mp3'), opts))).toBeInstanceOf(InputNotFoundError);
  });

  it('caps the size, declared or not, and leaves no partial file', async () => {
    expect(await fails(downloadWeb(new URL(`${base}/big-declared`), dest('d.mp3'), opts))).toBeInstanceOf(InputTooLargeError);
    expect(await fails(downloadWeb(new URL(`${base}/big-chunked`), dest('d.mp3'), opts))).toBeInstanceOf(InputTooLargeError);
    expect((await readdir(dir)).filter((f) => f.startsWith('d.mp3') || f.startsWith('.d.mp3'))).toEqual([]);
  });

  it('treats 404 as final and 5xx and a hung host as retryable', async () => {
    const missing = await fails(downloadWeb(new URL(`${base}/nope.mp3`), dest('e.mp3'), opts));
    expect(missing).toBeInstanceOf(InputNotFoundError);
    const broken = await fails(downloadWeb(new URL(`${base}/broken`), dest('e.mp3'), opts));
    expect(broken).toBeInstanceOf(Error);
    expect(broken).not.toBeInstanceOf(PodpreviewError);
    const hanging = await fails(downloadWeb(new URL(`${base}/hang`), dest('e.mp3'), { ...opts, timeoutMs: 300 }));
    expect(hanging).toBeInstanceOf(Error);
    expect(hanging).not.toBeInstanceOf(PodpreviewError);
  });
});

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'nonsense',
  ])('refuses %s', (ip) => expect(isPublicAddress(ip)).toBe(false));
  it.each(['8.8.8.8', '151.101.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts %s', (ip) => expect(isPublicAddress(ip)).toBe(true));
});

describe('downloadWeb against slow and broken hosts', () => {
  let slow: http.Server;
  let slowBase: string;
  const open: http.ServerResponse[] = [];
  beforeAll(async () => {
    slow = http.createServer((req, res) => {
      open.push(res);
      // A tarpit: answers at once, then sends a byte now and then, or nothing at all.
      if (req.url === '/trickle') {
        res.writeHead(200, { 'content-length': '100000' });
        const t = setInterval(() => res.write('x'), 100);
        res.on('close', () => clearInterval(t));
      } else if (req.url === '/silent') {
        res.writeHead(200, { 'content-length': '100000' });
        res.write('x');
      } else res.writeHead(503).end();
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    slowBase = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const res of open) res.destroy();
    slow.closeAllConnections();
    await new Promise((r) => slow.close(r));
  });
  const slowOpts = { maxBytes: 1_000_000, timeoutMs: 60_000, idleTimeoutMs: 300, allowPrivate: true };

  it('abandons a host that stops sending (idle timeout), retryably before the last attempt and finally on it', async () => {
    const before = await fails(downloadWeb(new URL(`${slowBase}/silent`), dest('s.mp3'), slowOpts));
    expect(before).toBeInstanceOf(Error);
    expect(before).not.toBeInstanceOf(PodpreviewError);
    expect((before as Error).message).toMatch(/nothing received for 0.3 s/);
    const last = await fails(downloadWeb(new URL(`${slowBase}/silent`), dest('s.mp3'), { ...slowOpts, finalAttempt: true }));
    expect(last).toBeInstanceOf(InputUnreachableError);
    expect(last).toMatchObject({ code: 'input_unreachable', retryable: false });
  });

  it('ends a trickle at the deadline, and a 5xx on the last attempt is final', async () => {
    const trickle = await fails(downloadWeb(new URL(`${slowBase}/trickle`), dest('t.mp3'), { ...slowOpts, timeoutMs: 700, finalAttempt: true }));
    expect(trickle).toBeInstanceOf(InputUnreachableError);
    expect((trickle as Error).message).toMatch(/not done within 0.7 s, on its last attempt/);
    const broken = await fails(downloadWeb(new URL(`${slowBase}/broken`), dest('t.mp3'), { ...slowOpts, finalAttempt: true }));
    expect(broken).toMatchObject({ code: 'input_unreachable' });
    expect((await readdir(dir)).filter((f) => f.includes('t.mp3'))).toEqual([]);
  });

  it('treats a host that does not resolve as final at once', async () => {
    const err = await fails(downloadWeb(new URL('http://no-such-host.invalid/ep.mp3'), dest('n.mp3'), slowOpts));
    expect(err).toMatchObject({ code: 'input_unreachable', retryable: false });
  });

  it('never puts a signed URL’s query values in its messages', async () => {
    const signed = `${slowBase}/broken?X-Goog-Credential=svc%40proj&X-Goog-Signature=deadbeefcafe`;
    const err = await fails(downloadWeb(new URL(signed), dest('q.mp3'), { ...slowOpts, finalAttempt: true }));
    expect((err as Error).message).toContain('X-Goog-Signature=…');
    expect((err as Error).message).not.toMatch(/deadbeefcafe|svc%40proj/);
  });
});
