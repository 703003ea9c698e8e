/**
 * One generator worker: `node --import tsx generate.worker.ts DIR INDEX SEED` renders episode
 * INDEX of the set planned from SEED into DIR. Forked by generate.ts so episodes render on every core.
 */
import { planEvalSet } from './plan.ts';
import { renderPlanned } from './generate.ts';

const [dir, index, seed] = process.argv.slice(2);
const plan = planEvalSet(undefined, Number(seed))[Number(index)];
if (!dir || !plan || !seed) {
  console.error('usage: generate.worker.ts DIR INDEX SEED');
  process.exit(2);
}
renderPlanned(plan, dir);
