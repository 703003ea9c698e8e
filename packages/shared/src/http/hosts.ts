import { ConfigError } from '../errors/config.error.ts';

/** Loopback names and addresses: the only binds allowed without a credential, and the Host names such a server answers. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** The host name of a Host header, lower case, without its port or brackets; undefined when there is none. */
export function hostOfHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(h);
  if (bracketed) return bracketed[1];
  const named = /^([^:\s]+)(?::\d+)?$/.exec(h);
  return named?.[1]?.replace(/\.$/, '');
}

/** Wildcard binds name no host a client would use. */
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Whether a server without credentials answers a request with this Host header. A web page on
 * another site can make a browser send requests to 127.0.0.1 under its own name (DNS
 * rebinding): the Host header is then that name, so only loopback names, the bind address and
 * names the operator allowed are answered.
 */
export function hostAllowed(header: string | undefined, o: { bindHost: string; allowed: readonly string[] }): boolean {
  const host = hostOfHeader(header);
  if (!host) return false;
  if (isLoopbackHost(host)) return true;
  const bind = o.bindHost.toLowerCase().replace(/^\[|\]$/g, '');
  if (!WILDCARD_BINDS.has(bind) && host === bind) return true;
  return o.allowed.some((a) => a.replace(/^\[|\]$/g, '') === host);
}

/**
 * The dashboard (and Bull Board, which can retry and remove jobs) trusts every caller when no
 * users are configured: then it may bind loopback only. Thrown at start by podpreview-dashboard
 * and by `npm run demo -- --serve`, before anything else starts.
 */
export function checkDashboardBind(dashboard: { host: string; users: readonly unknown[] }): void {
  if (!isLoopbackHost(dashboard.host) && dashboard.users.length === 0) {
    throw new ConfigError(`PODPREVIEW_DASHBOARD_HOST=${dashboard.host} is not loopback, and PODPREVIEW_DASHBOARD_USERS is empty`);
  }
}
