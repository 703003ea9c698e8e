import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * HTTP basic auth (browsers ask for it themselves), with `name:password` compared as SHA-256
 * digests in constant time against every configured user. No users: everyone is let in, which
 * the dashboard allows only on a loopback bind.
 */
export function basicAuth(users: readonly { name: string; password: string }[]) {
  const known = users.map((u) => digest(`${u.name}:${u.password}`));
  return (req: Request, res: Response, next: NextFunction): void => {
    if (known.length === 0) {
      next();
      return;
    }
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.get('authorization') ?? '');
    const presented = digest(match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '');
    let ok = false;
    for (const k of known) ok = timingSafeEqual(k, presented) || ok;
    if (ok) {
      next();
      return;
    }
    res.set('www-authenticate', 'Basic realm="podpreview", charset="UTF-8"').status(401).type('text/plain').send('credentials required');
  };
}
