export * from './podpreview.error.ts';
export * from './input.errors.ts';

/** Returns a stable code for any thrown value, for result rows and metrics. */
export function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return 'internal';
}

export function errorClass(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
