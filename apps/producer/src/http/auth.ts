import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { API_SCOPES, type ApiCredential, type ApiScope } from '@podpreview/shared';
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

/** Loopback binds are the only ones allowed without a credential. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
