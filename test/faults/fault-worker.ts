// A real worker process for the fault suite: the production wiring (services, stage functions,
// runtime) with one addition, a pause before the stages named in FAULT_PAUSE_STAGES, so a
// kill -9 lands mid-job even in stages that take milliseconds. Test code only.
import { createHandlers, createServices, type StageHandlers, startStageWorkers } from '@podpreview/pipeline/worker';
import { createLogger, loadConfig, parseStageList, redisTargetOf, type StageName } from '@podpreview/shared';

const config = loadConfig();
const stages = parseStageList(process.env.FAULT_STAGES);
const pauseMs = Number(process.env.FAULT_PAUSE_MS ?? 0);
const paused = new Set(parseStageList(process.env.FAULT_PAUSE_STAGES ?? stages.join(',')));
const log = createLogger(config.logLevel, { app: 'fault-worker', pid: process.pid });
const services = createServices(config, log);
const real = await createHandlers(stages, services);
const handlers: Partial<StageHandlers> = {};
for (const stage of stages) {
  const handler = real[stage] as (input: unknown, ctx: { signal: AbortSignal }) => Promise<unknown>;
  (handlers as Record<StageName, unknown>)[stage] = paused.has(stage)
    ? async (input: unknown, ctx: { signal: AbortSignal }) => {
        await new Promise((r) => setTimeout(r, pauseMs));
        return handler(input, ctx);
      }
    : handler;
}
await startStageWorkers({ config, redis: redisTargetOf(config)!, stages, handlers, results: services.results, log });
// The parent waits for this line before it acts.
process.stdout.write('ready\n');
