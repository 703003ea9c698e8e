import { describe, expect, it } from 'vitest';
import { STAGE_NAMES, type StageName } from '@podpreview/shared';
import { lineChart, overviewCharts } from './charts.svg.ts';
import type { History } from './history.ts';

const MIN = 60_000;
const perStage = <T>(f: (s: StageName) => T) => Object.fromEntries(STAGE_NAMES.map((s) => [s, f(s)])) as Record<StageName, T>;

describe('lineChart', () => {
  it('draws one path per line, broken where values are missing, on a round axis from 0', () => {
    const svg = lineChart({
      id: 'backlog',
      window: 'hour',
      title: 'Backlog <jobs>',
      unit: '',
      fromMs: 0,
      stepMs: MIN,
      lines: [
        { name: 'a', color: '#000', values: [1, 2, null, 7] },
        { name: 'b', color: '#111', values: [null, null, null, null] },
      ],
    });
    expect(svg).toMatch(/^<svg class="chart" data-chart="backlog" data-window="hour"/);
    expect(svg).toContain('Backlog &#60;jobs&#62;');
    const a = /<path data-series="a" data-points="3" data-sum="10" data-last="7" d="([^"]+)"/.exec(svg);
    expect(a).not.toBeNull();
    // Two pieces: the gap starts a new one.
    expect(a![1]!.match(/M/g)).toHaveLength(2);
    expect(svg).toContain('<path data-series="b" data-points="0"');
    // 7 rounds up to an axis of 10; its middle line is 5.
    expect(svg).toContain('>10</text>');
    expect(svg).toContain('>5</text>');
  });
});

describe('overviewCharts', () => {
  const now = 1000 * MIN + 20_000;
  const history: History = {
    atMs: now,
    points: [
      { atMs: 998 * MIN, backlog: perStage(() => 4), ingestP50Ms: 2000, ingestP95Ms: 5000, stageP95Ms: perStage(() => 1000) },
      { atMs: 1000 * MIN, backlog: perStage((s) => (s === 'sink' ? 9 : 0)), ingestP50Ms: null, ingestP95Ms: null, stageP95Ms: perStage(() => null) },
    ],
    throughput: { fromMs: (1000 - 1439) * MIN, perMinute: perStage(() => [...new Array(1438).fill(0), 6, 3]) },
  };

  it('draws backlog, throughput and latency per stage over the hour, ending with the current minute', () => {
    const [backlog, throughput, latency] = overviewCharts(history, 'hour');
    expect(backlog).toContain('data-chart="backlog" data-window="hour"');
    expect(backlog).toMatch(/data-series="sink" data-points="2" data-sum="13" data-last="9"/);
    expect(throughput).toMatch(/data-series="preprocess" data-points="60" data-sum="9" data-last="3"/);
    expect(latency).toMatch(/data-series="ingest→preview p95" data-points="1" data-sum="5" data-last="5"/);
    expect(latency).toMatch(/data-series="selection p95" data-points="1"/);
  });

  it('over the day, 10-minute buckets: the highest backlog, the mean throughput per minute', () => {
    const [backlog, throughput] = overviewCharts(history, 'day');
    expect(backlog).toContain('data-window="day"');
    // Minutes 998 and 1000 share the last bucket (991-1000): the higher backlog.
    expect(backlog).toMatch(/data-series="sink" data-points="1" data-sum="9"/);
    expect(throughput).toMatch(/data-series="sink" data-points="144" data-sum="0.9"/);
  });
});
