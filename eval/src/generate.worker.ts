/**
 * One generator worker: `node --import tsx generate.worker.ts DIR DRAWS_JSON`, forked by
 * generate.ts. It plans the draws, then renders each episode index it is sent into DIR and
 * answers `{ index, error }` (error: why the labels could not be made, e.g. an edge the codec
 * moved past the check's limit). It exits when the parent disconnects.
 */
import type { DrawSpec } from './draws.ts';
import { planDraws } from './draws.ts';
import { renderPlanned, type RenderReply } from './generate.ts';

const [dir, drawsJson] = process.argv.slice(2);
if (!dir || !drawsJson || !process.send) {
  console.error('usage: generate.worker.ts DIR DRAWS_JSON (forked, with an IPC channel)');
  process.exit(2);
}
const plans = planDraws(JSON.parse(drawsJson) as DrawSpec[]);
process.on('message', (m: { index: number }) => {
  const plan = plans[m.index];
  let error: string | null = null;
  try {
    if (!plan) throw new Error(`no episode ${m.index}`);
    renderPlanned(plan, dir);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const reply: RenderReply = { index: m.index, error };
  process.send?.(reply);
});
