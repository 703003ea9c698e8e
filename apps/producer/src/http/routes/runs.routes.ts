import { runStatus } from '@podpreview/runs';
import { CancelReceipt, Run } from '../api.schemas.ts';
import { COMMON, json, problem, ref } from '../doc.ts';
import { sendProblem } from '../problem.ts';
import { pathParam, type RouteSpec } from '../route.ts';
import { readRun } from '../runs.ts';
import { mayCancel } from '../tenancy.ts';

/** One run: read it, cancel it. */
export const RUNS_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/episodes/:id/runs/:runId',
    doc: {
      operationId: 'getRun',
      summary: 'One run',
      responses: { '200': { description: 'the run', content: json(ref('Run')) }, ...problem('invalid_request', 'not_found', ...COMMON) },
    },
    handlers: (ctx) => [
      async (req, res) => {
        const [id, runId] = [pathParam(req, 'id'), pathParam(req, 'runId')];
        const run = await readRun(ctx.readerDeps(req), id, runId, ctx.clips(true));
        if (!run) return sendProblem(res, 'not_found', { detail: `no run ${runId} of episode ${id}` });
        ctx.served(res, Run, run);
      },
    ],
  },
  {
    method: 'delete',
    path: '/v1/episodes/:id/runs/:runId',
    doc: {
      operationId: 'cancelRun',
      summary: 'Cancel a queued or running run; workers stop it at the next stage boundary and it ends as `cancelled`',
      responses: {
        '202': { description: 'cancellation requested', content: json(ref('CancelReceipt')) },
        ...problem('invalid_request', 'forbidden', 'not_found', 'run_ended', ...COMMON),
      },
    },
    handlers: (ctx) => [
      async (req, res) => {
        const [id, runId] = [pathParam(req, 'id'), pathParam(req, 'runId')];
        const before = await readRun(ctx.readerDeps(req), id, runId, ctx.clips(false));
        if (!before) return sendProblem(res, 'not_found', { detail: `no run ${runId} of episode ${id}` });
        const holders = await runStatus(ctx.queues, runId);
        if (!mayCancel(ctx.config, req.caller, holders))
          return sendProblem(res, 'forbidden', { detail: 'only the credential that started the run may cancel it' });
        // A run handed to the fallback variant (or routed there) is cancelled in that variant's keys.
        const holder = ctx.ownerOf(before.variant);
        const outcome = await holder.runs.requestCancel(runId);
        if (outcome === 'unknown') return sendProblem(res, 'not_found', { detail: `no run ${runId} of episode ${id}` });
        if (outcome === 'ended') return sendProblem(res, 'run_ended', { detail: `run ${runId} ended as ${before.status}` });
        ctx.served(res, CancelReceipt, { runId, status: before.status, cancelRequested: true }, 202);
      },
    ],
  },
];
