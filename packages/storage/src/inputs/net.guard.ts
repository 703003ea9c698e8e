import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Only plain public unicast addresses: not loopback, private (RFC 1918, unique-local),
 * link-local (which holds the cloud metadata service, 169.254.169.254), carrier-grade NAT,
 * multicast, reserved or unspecified. IPv4-mapped IPv6 is judged as the IPv4 it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

export class BlockedAddressError extends Error {
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to ${address}, which is not a public address`);
  }
}

/**
 * A `lookup` for http(s).request that refuses hosts resolving to non-public addresses. The
 * check happens on the very addresses the socket then connects to, so a DNS answer that
 * changes between a check and the connection (rebinding) cannot slip through.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const blocked = allowPrivate ? undefined : list.find((a) => !isPublicAddress(a.address));
      if (blocked) return callback(new BlockedAddressError(hostname, blocked.address) as NodeJS.ErrnoException, '', 0);
      if ((options as dns.LookupOptions).all) return callback(null, list as unknown as string, 0);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`) as NodeJS.ErrnoException, '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Checks up front that a URL's host is public (an address written in the URL, or every address
 * its name resolves to), for targets given to us now and called later (completion callbacks):
 * the caller hears at once. The call itself still goes through guardedLookup, since DNS
 * answers change.
 */
export async function assertPublicHost(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    if (!isPublicAddress(host)) throw new BlockedAddressError(url.hostname, host);
    return;
  }
  const addresses = await dns.promises.lookup(host, { all: true });
  const blocked = addresses.find((a) => !isPublicAddress(a.address));
  if (blocked) throw new BlockedAddressError(url.hostname, blocked.address);
}
