import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { type CostlyWork, enqueueCallbacks, enqueueEpisode, isTerminal, releaseInFlight, reserveInFlight, runStatus } from '@podpreview/runs';
import { describeIssues, EnqueueRequest, RunInFlightDiffersError } from '@podpreview/shared';
import { SubmitReceipt } from '../api.schemas.ts';
import { hasScope } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { COMMON, json, problem, ref } from '../doc.ts';
import { IDEMPOTENCY_KEY } from '../idempotency.ts';
import { sendProblem } from '../problem.ts';
import type { RouteSpec } from '../route.ts';
import { runStatusOf } from '../run-view.ts';
import { refusedCallbackTarget, refusedInput, requireJson, TooManyInFlight } from '../submit.checks.ts';

/**
 * A submission: checked (body, scopes, inputs, callback target), claimed (Idempotency-Key),
 * given its place among the credential's expensive runs, then enqueued or joined to the run in
 * flight. Whatever it took is given back when it fails.
 */
async function submit(ctx: ApiContext, req: Request, res: Response): Promise<void> {
  const { config, queues, idempotency } = ctx;
  const idemKey = req.get('idempotency-key');
  const caller = req.caller?.name ?? 'anonymous';
  let claimed = false;
  const reserved: CostlyWork[] = [];
  const runId = randomUUID();
  const giveBack = async (kinds: CostlyWork[]) => {
    for (const kind of kinds) await releaseInFlight(queues, kind, caller, runId);
  };
  try {
    if (idemKey !== undefined && !IDEMPOTENCY_KEY.test(idemKey)) {
      return sendProblem(res, 'invalid_request', { errors: [{ field: 'Idempotency-Key', message: '1 to 200 printable ASCII characters' }] });
    }
    const parsed = EnqueueRequest.safeParse(req.body);
    if (!parsed.success) return sendProblem(res, 'invalid_request', { errors: describeIssues(parsed.error) });
    const body = parsed.data;
    // Speech-to-text is the most expensive path there is: a scope of its own, like priority and force.
    for (const scope of ['priority', 'force', 'transcribe'] as const) {
      if (body[scope] && !hasScope(req.caller, scope)) return sendProblem(res, 'forbidden', { detail: `"${scope}": true needs the ${scope} scope` });
    }
    for (const field of ['audioUri', 'transcriptUri'] as const) {
      const uri = body[field];
      const refused = uri ? await refusedInput(config, uri) : undefined;
      if (refused) return sendProblem(res, 'input_not_allowed', { errors: [{ field, message: refused }] });
    }
    if (body.callbackUrl) {
      const refused = await refusedCallbackTarget(config, caller, body.callbackUrl);
      if (refused) return sendProblem(res, 'callback_not_allowed', { errors: [{ field: 'callbackUrl', message: refused }] });
    }
    if (idemKey !== undefined) {
      const claim = await idempotency.claim(caller, idemKey, body);
      if (claim.kind === 'conflict') return sendProblem(res, 'idempotency_key_reused');
      if (claim.kind === 'in-progress') {
        res.set('retry-after', '1');
        return sendProblem(res, 'idempotency_key_in_use');
      }
      if (claim.kind === 'replay') return void res.status(claim.status).set('idempotent-replayed', 'true').json(claim.body);
      claimed = true;
    }
    const costly: [CostlyWork, boolean, number][] = [
      ['web', /^https?:/i.test(body.audioUri), config.apiMaxWebRunsPerCredential],
      ['transcribe', body.transcribe === true, config.apiMaxTranscribeRunsPerCredential],
    ];
    for (const [kind, applies, max] of costly) {
      if (!applies) continue;
      if (!(await reserveInFlight(queues, { kind, credential: caller, runId, max, ttlMs: config.runStateTtlMs }))) throw new TooManyInFlight(kind, max);
      reserved.push(kind);
    }
    const started = performance.now();
    const callback = body.callbackUrl ? { url: body.callbackUrl, credential: caller } : undefined;
    const receipt = await enqueueEpisode(queues, config, body, Date.now(), { runId, owner: caller, ...(callback ? { callback } : {}) });
    // A request that joined a run in flight holds no place of its own.
    if (receipt.runId !== runId) await giveBack(reserved.splice(0));
    ctx.metrics.enqueueSeconds.observe({ outcome: receipt.joined ? 'joined' : 'new' }, (performance.now() - started) / 1000);
    const status = receipt.joined ? await runStatus(queues, receipt.runId) : undefined;
    if (callback && status && isTerminal(status.state)) {
      // The joined run ended while this request joined it: its end did not see our callback.
      const holder = ctx.ownerOf(receipt.variant);
      await enqueueCallbacks(ctx.callbackQueue, config, { runId: receipt.runId, episodeId: receipt.episodeId }, await holder.runs.takeCallbacks(receipt.runId));
    }
    const answer: SubmitReceipt = {
      id: receipt.episodeId,
      runId: receipt.runId,
      jobId: receipt.runId,
      joined: receipt.joined,
      status: status ? runStatusOf(status.state) : 'queued',
    };
    if (claimed && idemKey !== undefined) await idempotency.complete(caller, idemKey, body, { status: 202, body: answer });
    res.location(`/v1/episodes/${receipt.episodeId}/runs/${receipt.runId}`);
    ctx.served(res, SubmitReceipt, answer, 202);
  } catch (err) {
    if (claimed && idemKey !== undefined) await idempotency.release(caller, idemKey).catch(() => {});
    await giveBack(reserved).catch(() => {});
    if (err instanceof RunInFlightDiffersError) {
      // Not the run's id: it may be another credential's.
      return sendProblem(res, 'run_in_flight_differs', {
        detail: `a run of this episode is in flight with another ${err.fields.join(', ')}`,
        errors: err.fields.map((field) => ({ field, message: 'differs from the run in flight' })),
      });
    }
    if (err instanceof TooManyInFlight) {
      res.set('retry-after', '30');
      return sendProblem(res, 'too_many_in_flight', { detail: err.message });
    }
    throw err;
  }
}

const CALLBACK_DOC = {
  runEnded: {
    '{$request.body#/callbackUrl}': {
      post: {
        summary: 'The run ended (succeeded, failed, deduplicated or cancelled)',
        description:
          'Signed in the Standard Webhooks format: `webhook-signature: v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>")>` with the secret of the credential that submitted (a `whsec_` secret base64-decoded, any other as UTF-8); reject timestamps more than 300 s away and repeated webhook-ids. The previous Podpreview-* headers come too for one release (deprecated). Retried with exponential backoff until a 2xx.',
        parameters: [
          { name: 'webhook-id', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'webhook-timestamp', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'webhook-signature', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'Podpreview-Timestamp', in: 'header', required: false, deprecated: true, schema: { type: 'string' } },
          { name: 'Podpreview-Signature', in: 'header', required: false, deprecated: true, schema: { type: 'string' } },
          { name: 'Podpreview-Delivery', in: 'header', required: false, deprecated: true, schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: json(ref('CallbackBody')) },
        responses: { '2XX': { description: 'received' } },
      },
    },
  },
};

export const SUBMIT_ROUTE: RouteSpec = {
  method: 'post',
  path: '/v1/episodes',
  doc: {
    operationId: 'submitEpisode',
    summary: 'Submit an episode (joins its run when one is in flight)',
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'the same key with the same body gets the first answer again; with another body, 422; while the first request is still being answered, 409',
        schema: { type: 'string', minLength: 1, maxLength: 200 },
      },
    ],
    requestBody: { required: true, content: json(ref('SubmitRequest')) },
    responses: {
      '202': { description: 'accepted: a new run, or the run in flight it joined', content: json(ref('SubmitReceipt')) },
      ...problem(
        'invalid_json',
        'invalid_request',
        'input_not_allowed',
        'callback_not_allowed',
        'forbidden',
        'idempotency_key_reused',
        'idempotency_key_in_use',
        'run_in_flight_differs',
        'too_many_in_flight',
        'body_too_large',
        'unsupported_media_type',
        ...COMMON,
      ),
    },
    callbacks: CALLBACK_DOC,
  },
  handlers: (ctx) => [requireJson, express.json({ limit: ctx.config.httpBodyLimitBytes, strict: true }), (req, res) => submit(ctx, req, res)],
};
