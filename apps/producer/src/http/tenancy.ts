import type { Config } from '@podpreview/shared';
import { type Caller, hasScope } from './auth.ts';

/** Who holds a run: the credential that started it, and those whose identical request joined it. */
export interface Holders {
  owner?: string | null | undefined;
  readers?: readonly string[] | undefined;
}

/**
 * PODPREVIEW_API_TENANCY=owner: a run is the business of the credential that started it and of
 * those whose identical request joined it; the `admin` scope sees every run. A run without an
 * owner (from the command line, or from before owners were recorded) is the admin's. `shared`:
 * every credential sees every run.
 */
export function mayRead(config: Pick<Config, 'apiTenancy'>, caller: Caller | undefined, who: Holders): boolean {
  if (config.apiTenancy === 'shared' || hasScope(caller, 'admin')) return true;
  if (!caller || !who.owner) return false;
  return who.owner === caller.name || (who.readers?.includes(caller.name) ?? false);
}

/** Cancelling is the owner's (or an admin's): a credential that only joined the run may not stop it for the others. */
export function mayCancel(config: Pick<Config, 'apiTenancy'>, caller: Caller | undefined, who: Holders): boolean {
  if (config.apiTenancy === 'shared' || hasScope(caller, 'admin')) return true;
  return Boolean(caller && who.owner && who.owner === caller.name);
}
