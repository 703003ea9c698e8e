import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { InputNotAllowedError, InputNotFoundError, InputTooLargeError } from '@podpreview/shared';
import { streamToFileAtomic } from '../fs.atomic.ts';
import { BlockedAddressError, guardedLookup, isPublicAddress } from './net.guard.ts';

export interface WebFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  allowPrivate: boolean;
  /** The stage's abort signal (stage timeout). */
  signal?: AbortSignal;
  maxRedirects?: number;
}

/**
 * Downloads an http(s) URL to `dest` within the policy: every hop of a redirect chain is
 * checked again (scheme, and the address the socket connects to), the size is capped before
 * and while reading, and the whole download has one deadline. A 4xx answer is final (the
 * episode is not there for us); network errors and 5xx are retried by the job.
 */
export async function downloadWeb(url: URL, dest: string, o: WebFetchOptions): Promise<void> {
  const deadline = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, deadline]) : deadline;
  const label = url.href;
  let current = url;
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'https:' && current.protocol !== 'http:') throw new InputNotAllowedError(label, `redirect to ${current.protocol}`);
    const res = await get(current, o.allowPrivate, signal, label);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= (o.maxRedirects ?? 5)) throw new InputNotFoundError(label, new Error('too many redirects'));
      current = new URL(res.headers.location, current);
      continue;
    }
    if (status >= 400 && status < 500) {
      res.resume();
      throw new InputNotFoundError(label, new Error(`HTTP ${status}`));
    }
    if (status !== 200) {
      res.resume();
      throw new Error(`fetching ${label}: HTTP ${status}`);
    }
    const declared = Number(res.headers['content-length'] ?? Number.NaN);
    if (declared > o.maxBytes) {
      res.destroy();
      throw new InputTooLargeError(label, o.maxBytes);
    }
    await streamToFileAtomic(Readable.from(capped(res, o.maxBytes, label)), dest);
    return;
  }
}

/** The body, ended with InputTooLargeError once more than `maxBytes` arrived (a missing or lying Content-Length). */
async function* capped(body: AsyncIterable<Buffer>, maxBytes: number, label: string): AsyncGenerator<Buffer> {
  let received = 0;
  for await (const chunk of body) {
    received += chunk.length;
    if (received > maxBytes) throw new InputTooLargeError(label, maxBytes);
    yield chunk;
  }
}

function get(url: URL, allowPrivate: boolean, signal: AbortSignal, label: string): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  // An address written in the URL is connected to without a lookup, so it is checked here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(literal) && !isPublicAddress(literal)) {
    return Promise.reject(new InputNotAllowedError(label, new BlockedAddressError(url.hostname, literal).message));
  }
  return new Promise((resolve, reject) => {
    const req = client.get(url, { lookup: guardedLookup(allowPrivate), signal, headers: { 'user-agent': 'podpreview' } }, resolve);
    req.on('error', (err) => {
      if (err instanceof BlockedAddressError) reject(new InputNotAllowedError(label, err.message));
      else if (signal.aborted) reject(signal.reason instanceof Error ? signal.reason : new Error(`fetching ${label} timed out`));
      else reject(err);
    });
  });
}
