import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The bit of plumbing the GCS and BigQuery stand-ins share: an in-memory node:http server on
 * 127.0.0.1 with a free port. Routes answer what they know; anything else gets a 501 and is
 * logged and recorded, so a client call the stand-in does not implement shows up as a visible
 * gap (and tests can assert `unhandled` is empty) instead of a confusing client error.
 */
export interface StandinRequest {
  method: string;
  /** Path kept percent-encoded, so an object name containing `%2F` stays one segment. */
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface StandinResponse {
  status: number;
  headers?: Record<string, string>;
  /** A Buffer is sent as is; anything else as JSON. */
  body?: unknown;
}

/** Returns undefined for a route the stand-in does not implement. */
export type StandinRoutes = (req: StandinRequest) => StandinResponse | undefined;

export interface StandinServer {
  /** `http://127.0.0.1:<port>`, to pass as the client's `apiEndpoint`. */
  readonly url: string;
  /** `METHOD path` of every request that got a 501. */
  readonly unhandled: string[];
  /** `METHOD path` of every request that carried an Authorization header (there should be none). */
  readonly authorized: string[];
  close(): Promise<void>;
}

export async function startStandin(name: string, routes: StandinRoutes): Promise<StandinServer> {
  const unhandled: string[] = [];
  const authorized: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: StandinRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://standin'),
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      if (req.headers.authorization) authorized.push(`${request.method} ${request.url.pathname}`);
      let response: StandinResponse;
      try {
        response = routes(request) ?? notImplemented(name, request, unhandled);
      } catch (err) {
        response = { status: 500, body: { error: { code: 500, message: `${name} stand-in: ${String(err)}` } } };
      }
      send(res, response);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    unhandled,
    authorized,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients keep connections alive; without this `close` waits for their idle timeout.
        server.closeAllConnections();
      }),
  };
}

function notImplemented(name: string, req: StandinRequest, unhandled: string[]): StandinResponse {
  const route = `${req.method} ${req.url.pathname}${req.url.search}`;
  unhandled.push(route);
  console.warn(`[${name} stand-in] 501 not implemented: ${route}`);
  return { status: 501, body: { error: { code: 501, message: `${name} stand-in does not implement ${route}` } } };
}

function send(res: http.ServerResponse, response: StandinResponse): void {
  const isBuffer = Buffer.isBuffer(response.body);
  const payload = response.body === undefined ? Buffer.alloc(0) : isBuffer ? (response.body as Buffer) : Buffer.from(JSON.stringify(response.body));
  res.writeHead(response.status, {
    ...(response.body !== undefined && !isBuffer ? { 'content-type': 'application/json; charset=UTF-8' } : {}),
    'content-length': String(payload.length),
    ...response.headers,
  });
  res.end(payload);
}

/** The JSON error body both Google APIs use; the clients read `error.code` and `error.message`. */
export function googleError(status: number, reason: string, message: string): StandinResponse {
  return { status, body: { error: { code: status, message, errors: [{ reason, message, domain: 'global' }] } } };
}
