import { median, timeBareDecode } from './common.ts';

/**
 * How free the machine's second core is: two bare decodes of `file` at once against one alone
 * (1.0: both cores free). A shared VM's neighbours take some of a core at times, and every
 * two-core figure moves with it (the throughput figure went from 261 to 192 between two runs
 * of one commit here, while two decodes took 1.1-1.3 times one); the summary keeps the check
 * from the start and the end of a run, so a reader can tell such a run.
 */
export async function twoCoreRatio(file: string): Promise<number> {
  const decode = () => timeBareDecode(file);
  const one: number[] = [];
  const two: number[] = [];
  for (let i = 0; i < 3; i++) {
    one.push(await decode());
    const t0 = performance.now();
    await Promise.all([decode(), decode()]);
    two.push((performance.now() - t0) / 1000);
  }
  return median(two) / median(one);
}
