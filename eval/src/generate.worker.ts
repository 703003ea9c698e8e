/**
 * One generator worker: `node --import tsx generate.worker.ts DIR INDEX` renders episode INDEX
 * of the planned set into DIR. Forked by generate.ts so episodes render on every core.
 */
import { planEvalSet } from './plan.ts';
import { renderPlanned } from './generate.ts';

const [dir, index] = process.argv.slice(2);
const plan = planEvalSet()[Number(index)];
if (!dir || !plan) {
  console.error('usage: generate.worker.ts DIR INDEX');
  process.exit(2);
}
renderPlanned(plan, dir);
