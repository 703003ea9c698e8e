import { PodpreviewError } from './podpreview.error.ts';

export * from './podpreview.error.ts';
export * from './input.errors.ts';
export * from './internal.errors.ts';
export * from './config.error.ts';
export * from './dependency.errors.ts';

/** A stable code for any thrown value, for result rows and metrics: ours carry one, the rest are `internal`. */
export function errorCode(err: unknown): string {
  return err instanceof PodpreviewError ? err.code : 'internal';
}

export function errorClass(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
export * from './request.errors.ts';
export * from './display-uri.ts';
