import type { NextFunction, Request, Response } from 'express';
import type { CostlyWork } from '@podpreview/runs';
import { type Config, InputNotAllowedError, InputNotFoundError } from '@podpreview/shared';
import { assertPublicHost, BlockedAddressError, checkInput } from '@podpreview/storage';
import { sendProblem } from './problem.ts';

/** Submissions are JSON: anything else is refused before the body is read. */
export function requireJson(req: Request, res: Response, next: NextFunction): void {
  if (req.is('application/json')) next();
  else sendProblem(res, 'unsupported_media_type');
}

/** A credential has as many runs of one kind of expensive work in flight as it may (429). */
export class TooManyInFlight extends Error {
  constructor(kind: CostlyWork, max: number) {
    super(`at most ${max} runs ${kind === 'web' ? 'with an http(s) input' : 'with speech-to-text'} in flight per credential`);
  }
}

/** "outside PODPREVIEW_INPUT_ROOTS" and the like, without echoing the resolved path. */
const reasonOf = (err: Error) => /\(([^)]*)\)$/.exec(err.message)?.[1] ?? 'not allowed';

/** A host that does not resolve is the caller's mistake; DNS itself failing (EAI_AGAIN, a timeout) is a dependency down, thrown (503). */
const unresolvable = (err: unknown) => ['ENOTFOUND', 'ENODATA'].includes((err as { code?: string }).code ?? '');

/**
 * Why an input is refused at submit, or undefined. Local paths and buckets by the input policy;
 * http(s) hosts must be public now (the worker checks again, on the address it connects to).
 */
export async function refusedInput(config: Config, uri: string): Promise<string | undefined> {
  try {
    const where = await checkInput(uri, config.inputs, { mustExist: false });
    if (where.kind === 'web') await assertPublicHost(where.url, config.inputs.allowPrivateUrls);
    return undefined;
  } catch (err) {
    if (err instanceof InputNotAllowedError) return reasonOf(err);
    if (err instanceof InputNotFoundError) return 'names no file';
    if (err instanceof BlockedAddressError) return 'the host is not a public address';
    if (unresolvable(err)) return 'the host does not resolve';
    throw err;
  }
}

/** Why a callback target is refused, or undefined: the credential needs a signing secret, the host must be public. */
export async function refusedCallbackTarget(config: Config, caller: string, url: string): Promise<string | undefined> {
  if (!config.callbacks.secrets.some((s) => s.name === caller))
    return `no callback secret is configured for credential ${caller} (PODPREVIEW_CALLBACK_SECRETS)`;
  try {
    await assertPublicHost(new URL(url), config.callbacks.allowPrivateUrls);
    return undefined;
  } catch (err) {
    if (err instanceof BlockedAddressError) return 'the host is not a public address';
    if (unresolvable(err)) return 'the host does not resolve';
    throw err;
  }
}
