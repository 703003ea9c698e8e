import type { RouteSpec } from '../route.ts';
import { CLIPS_ROUTES } from './clips.routes.ts';
import { EPISODES_ROUTES } from './episodes.routes.ts';
import { META_ROUTES } from './meta.routes.ts';
import { RUNS_ROUTES } from './runs.routes.ts';
import { SUBMIT_ROUTE } from './submit.route.ts';

/** Every operation of the API, in mounting order: createApi mounts these, openApiDocument describes these. */
export const API_ROUTES: readonly RouteSpec[] = [...META_ROUTES, SUBMIT_ROUTE, ...EPISODES_ROUTES, ...RUNS_ROUTES, ...CLIPS_ROUTES];
