import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { displayUri, InputNotAllowedError, InputNotFoundError, InputTooLargeError, InputUnreachableError, PodpreviewError } from '@podpreview/shared';
import { streamToFileAtomic } from '../fs.atomic.ts';
import { BlockedAddressError, guardedLookup, isPublicAddress } from './net.guard.ts';

export interface WebFetchOptions {
  maxBytes: number;
  /** One deadline for the whole download, redirects included. */
  timeoutMs: number;
  /** Abandoned when nothing arrives for this long (a host that accepts and then stalls). Default: timeoutMs. */
  idleTimeoutMs?: number;
  allowPrivate: boolean;
  /** The stage's abort signal (stage timeout). */
  signal?: AbortSignal;
  maxRedirects?: number;
  /**
   * The job's last attempt at this input (PODPREVIEW_FETCH_ATTEMPTS): a timeout or a 5xx is then
   * final (`input_unreachable`) instead of another retry holding a worker for another deadline.
   */
  finalAttempt?: boolean;
}

const seconds = (ms: number) => (ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000)));

/** What a failure that another attempt may cure is called when there is no other attempt. */
class Transient extends Error {}

/** TLS failures that no retry cures: the host presents a certificate we will not trust. */
const CERTIFICATE_ERRORS =
  /^(CERT_|ERR_TLS_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT)/;

/**
 * Downloads an http(s) URL to `dest` within the policy: every hop of a redirect chain is
 * checked again (scheme, and the address the socket connects to), the size is capped before
 * and while reading, the whole download has one deadline and a shorter one for silence. A 4xx
 * answer is final (the episode is not there for us), and so is a host that does not resolve or
 * whose certificate is invalid; timeouts and 5xx are retried by the job until its last attempt
 * at the input, where they are final too. Messages name the URL without its query values.
 */
export async function downloadWeb(url: URL, dest: string, o: WebFetchOptions): Promise<void> {
  const label = displayUri(url.href);
  const deadline = AbortSignal.timeout(o.timeoutMs);
  const idle = new AbortController();
  const idleMs = o.idleTimeoutMs ?? o.timeoutMs;
  let idleTimer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => idle.abort(new Transient(`nothing received for ${seconds(idleMs)} s`)), idleMs);
    idleTimer.unref();
  };
  const signal = AbortSignal.any([...(o.signal ? [o.signal] : []), deadline, idle.signal]);
  try {
    touch();
    let current = url;
    for (let hop = 0; ; hop++) {
      if (current.protocol !== 'https:' && current.protocol !== 'http:') throw new InputNotAllowedError(url.href, `redirect to ${current.protocol}`);
      const res = await get(current, o.allowPrivate, signal, url.href);
      touch();
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (hop >= (o.maxRedirects ?? 5)) throw new InputNotFoundError(url.href, new Error('too many redirects'));
        current = new URL(res.headers.location, current);
        continue;
      }
      if (status >= 400 && status < 500) {
        res.resume();
        throw new InputNotFoundError(url.href, new Error(`HTTP ${status}`));
      }
      if (status !== 200) {
        res.resume();
        throw new Transient(`HTTP ${status}`);
      }
      const declared = Number(res.headers['content-length'] ?? Number.NaN);
      if (declared > o.maxBytes) {
        res.destroy();
        throw new InputTooLargeError(url.href, o.maxBytes);
      }
      await streamToFileAtomic(Readable.from(capped(res, o.maxBytes, url.href, touch)), dest);
      return;
    }
  } catch (err) {
    throw classify(err, { url: url.href, label, signal: o.signal, deadline, idle: idle.signal, timeoutMs: o.timeoutMs, finalAttempt: o.finalAttempt === true });
  } finally {
    clearTimeout(idleTimer);
  }
}

/** Our own errors pass; the stage's abort passes; the rest is final or transient as described on downloadWeb. */
function classify(
  err: unknown,
  c: { url: string; label: string; signal?: AbortSignal | undefined; deadline: AbortSignal; idle: AbortSignal; timeoutMs: number; finalAttempt: boolean },
): unknown {
  if (err instanceof PodpreviewError) return err;
  // The stage ran out of time: its own error (stage_timeout), not the input's.
  if (c.signal?.aborted) return c.signal.reason instanceof Error ? c.signal.reason : err;
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return new InputUnreachableError(c.url, 'the host does not resolve', err);
  if (typeof code === 'string' && CERTIFICATE_ERRORS.test(code)) return new InputUnreachableError(c.url, `its TLS certificate is not valid (${code})`, err);
  const why = c.idle.aborted
    ? (c.idle.reason as Error).message
    : c.deadline.aborted
      ? `not done within ${seconds(c.timeoutMs)} s`
      : err instanceof Error
        ? err.message
        : String(err);
  if (c.finalAttempt) return new InputUnreachableError(c.url, `${why}, on its last attempt`, err);
  return new Error(`fetching ${c.label}: ${why}`, { cause: err });
}

/** The body, ended with InputTooLargeError once more than `maxBytes` arrived (a missing or lying Content-Length). */
async function* capped(body: AsyncIterable<Buffer>, maxBytes: number, uri: string, onChunk: () => void): AsyncGenerator<Buffer> {
  let received = 0;
  for await (const chunk of body) {
    onChunk();
    received += chunk.length;
    if (received > maxBytes) throw new InputTooLargeError(uri, maxBytes);
    yield chunk;
  }
}

function get(url: URL, allowPrivate: boolean, signal: AbortSignal, uri: string): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  // An address written in the URL is connected to without a lookup, so it is checked here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(literal) && !isPublicAddress(literal)) {
    return Promise.reject(new InputNotAllowedError(uri, new BlockedAddressError(url.hostname, literal).message));
  }
  return new Promise((resolve, reject) => {
    const req = client.get(url, { lookup: guardedLookup(allowPrivate), signal, headers: { 'user-agent': 'podpreview' } }, resolve);
    req.on('error', (err) => {
      if (err instanceof BlockedAddressError) reject(new InputNotAllowedError(uri, err.message));
      else reject(err);
    });
  });
}
