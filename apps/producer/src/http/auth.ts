import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { API_SCOPES, type ApiCredential, type ApiScope, type Config, hostAllowed } from '@podpreview/shared';
import { sendProblem } from './problem.ts';

/** Who is calling: a configured credential, or the trusted local caller of a loopback-only API without tokens. */
export interface Caller {
  name: string;
  scopes: readonly ApiScope[];
}

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

const LOCAL_CALLER: Caller = { name: 'local', scopes: API_SCOPES };

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Bearer-token authentication. Tokens are compared as SHA-256 digests with timingSafeEqual, so
 * neither a token's content nor its length leaks through response times; every configured
 * token is compared, so neither does which one matched. With no tokens configured every caller
 * is trusted: serve refuses to start that way unless bound to loopback.
 */
export function authenticate(credentials: readonly ApiCredential[]) {
  const known = credentials.map((c) => ({ caller: { name: c.name, scopes: c.scopes } as Caller, digest: digest(c.token) }));
  return (req: Request, res: Response, next: NextFunction) => {
    if (known.length === 0) {
      req.caller = LOCAL_CALLER;
      return next();
    }
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(req.get('authorization') ?? '');
    if (!match) {
      res.set('www-authenticate', 'Bearer');
      return sendProblem(res, 'unauthorized');
    }
    const presented = digest(match[1]!);
    let caller: Caller | undefined;
    for (const k of known) if (timingSafeEqual(k.digest, presented)) caller = k.caller;
    if (!caller) {
      res.set('www-authenticate', 'Bearer error="invalid_token"');
      return sendProblem(res, 'unauthorized');
    }
    req.caller = caller;
    next();
  };
}

export const hasScope = (caller: Caller | undefined, scope: ApiScope) => caller?.scopes.includes(scope) ?? false;

/**
 * Against DNS rebinding: an API without tokens trusts every caller, so it answers only requests
 * addressed to it by a loopback name, its bind address or a name in PODPREVIEW_ALLOWED_HOSTS
 * (or PODPREVIEW_API_PUBLIC_URL's). A web page elsewhere that rebinds its own name to 127.0.0.1
 * sends its own name as Host, and gets 421. With tokens the check is the token's.
 */
export function rejectForeignHost(config: Config) {
  const allowed = [...config.allowedHosts, ...(config.apiPublicUrl ? [new URL(config.apiPublicUrl).hostname] : [])];
  return (req: Request, res: Response, next: NextFunction) => {
    if (config.apiTokens.length > 0 || hostAllowed(req.get('host'), { bindHost: config.httpHost, allowed })) return next();
    sendProblem(res, 'host_not_allowed', { detail: 'without API tokens only loopback names and PODPREVIEW_ALLOWED_HOSTS are answered' });
  };
}
