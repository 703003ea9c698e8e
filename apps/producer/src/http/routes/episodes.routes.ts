import { describeIssues } from '@podpreview/shared';
import { Episode, ListQuery, RunPage } from '../api.schemas.ts';
import { COMMON, json, problem, queryParam, ref } from '../doc.ts';
import { sendProblem } from '../problem.ts';
import { pathParam, type RouteSpec } from '../route.ts';
import { publicResult } from '../run-view.ts';
import { decodeCursor, listRuns, readEpisodeAnswer, readEpisodeRuns } from '../runs.ts';

/** Reading episodes: the runs across episodes, one episode's answer, one episode's runs. */
export const EPISODES_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/episodes',
    doc: {
      operationId: 'listRuns',
      summary: 'Runs across episodes, newest first (the Redis window of PODPREVIEW_RUN_STATE_TTL_MS)',
      parameters: [
        { name: 'status', in: 'query', required: false, description: 'only runs with this status', schema: ref('RunStatus') },
        queryParam('since', 'only runs enqueued at or after this time'),
        queryParam('cursor', 'nextCursor of the previous page'),
        queryParam('limit', 'page size (at most PODPREVIEW_API_PAGE_MAX)'),
      ],
      responses: { '200': { description: 'a page of runs', content: json(ref('RunPage')) }, ...problem('invalid_request', ...COMMON) },
    },
    handlers: (ctx) => [
      async (req, res) => {
        const q = ListQuery.safeParse(req.query);
        if (!q.success) return sendProblem(res, 'invalid_request', { errors: describeIssues(q.error) });
        const cursor = q.data.cursor === undefined ? undefined : decodeCursor(q.data.cursor);
        if (q.data.cursor !== undefined && !cursor)
          return sendProblem(res, 'invalid_request', { errors: [{ field: 'cursor', message: 'not a cursor this API gave out' }] });
        const page = await listRuns(
          ctx.readerDeps(req),
          {
            ...(q.data.status ? { status: q.data.status } : {}),
            sinceMs: q.data.since ? Date.parse(q.data.since) : 0,
            ...(cursor ? { cursor } : {}),
            limit: Math.min(q.data.limit ?? ctx.config.apiPageMax, ctx.config.apiPageMax),
          },
          ctx.clips(false),
        );
        ctx.served(res, RunPage, page);
      },
    ],
  },
  {
    method: 'get',
    path: '/v1/episodes/:id',
    doc: {
      operationId: 'getEpisode',
      summary: "An episode's newest run and result",
      responses: { '200': { description: 'the episode', content: json(ref('Episode')) }, ...problem('invalid_request', 'not_found', ...COMMON) },
    },
    handlers: (ctx) => [
      async (req, res) => {
        const id = pathParam(req, 'id');
        const answer = await readEpisodeAnswer(ctx.readerDeps(req), id, ctx.clips(true));
        if (!answer) return sendProblem(res, 'not_found', { detail: `no episode ${id}` });
        ctx.served(res, Episode, { id, ...answer.run, result: answer.row ? publicResult(answer.row) : null });
      },
    ],
  },
  {
    method: 'get',
    path: '/v1/episodes/:id/runs',
    doc: {
      operationId: 'listEpisodeRuns',
      summary: "An episode's runs, newest first",
      responses: { '200': { description: 'its runs', content: json(ref('RunPage')) }, ...problem('invalid_request', 'not_found', ...COMMON) },
    },
    handlers: (ctx) => [
      async (req, res) => {
        const id = pathParam(req, 'id');
        const items = await readEpisodeRuns(ctx.readerDeps(req), id, ctx.config.apiPageMax, ctx.clips(false));
        if (items.length === 0) return sendProblem(res, 'not_found', { detail: `no episode ${id}` });
        ctx.served(res, RunPage, { items, nextCursor: null });
      },
    ],
  },
];
