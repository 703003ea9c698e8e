import { describe, expect, it } from 'vitest';
import { hostAllowed, hostOfHeader, isLoopbackHost } from './hosts.ts';

describe('hostAllowed (DNS rebinding)', () => {
  const local = { bindHost: '127.0.0.1', allowed: [] as string[] };
  it.each(['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST', '[::1]:8080', 'api.localhost', '127.0.0.2'])('answers loopback name %s', (h) =>
    expect(hostAllowed(h, local)).toBe(true),
  );
  it.each(['rebind.attacker.example', 'rebind.attacker.example:8080', '10.0.0.5:8080', '', 'a b', '127.0.0.1.attacker.example'])('refuses %s', (h) =>
    expect(hostAllowed(h, local)).toBe(false),
  );
  it('refuses a request without Host', () => expect(hostAllowed(undefined, local)).toBe(false));
  it('answers the bind address and names the operator allows, never a wildcard bind as a name', () => {
    expect(hostAllowed('10.0.0.5:8080', { bindHost: '10.0.0.5', allowed: [] })).toBe(true);
    expect(hostAllowed('0.0.0.0:8080', { bindHost: '0.0.0.0', allowed: [] })).toBe(false);
    expect(hostAllowed('dev.box:8080', { bindHost: '127.0.0.1', allowed: ['dev.box'] })).toBe(true);
    expect(hostAllowed('[fd00::1]:80', { bindHost: '127.0.0.1', allowed: ['[fd00::1]'] })).toBe(true);
  });
  it('parses Host headers', () => {
    expect(hostOfHeader('Example.COM.:443')).toBe('example.com');
    expect(hostOfHeader('[::1]')).toBe('::1');
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });
});
