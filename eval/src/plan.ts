import { chance, intBetween, mulberry32, pick, shuffled, uniform, type Container, type Rng, type SongSpec } from '@podpreview/synth';
import { SPONSORS } from './content/ads.ts';
import { STORY_ADS } from './content/heldout.wording.ts';
import { songOf, type Style } from './content/music.ts';
import { HOSTS, SHOWS } from './content/shows.ts';
import type { TopicLine } from './content/topics.ts';
import { ContentPool } from './content-pool.ts';
import { familiesOf, type Families } from './families.ts';
import type { Speaker, SpeechKind } from './labels.ts';
import { castOf, stylesOf } from './plan.families.ts';
import { adLines, introLines, outroLines, type Line, type ShowContext } from './script.ts';
import { soloIntroLines, soloOutroLines, storyAdLines } from './script.heldout.ts';

/**
 * The seeded planner: decides each episode's structure and words before any audio exists.
 * Planning is pure and fast, so the whole set's plan (and its use of the content pool) can be
 * checked without rendering.
 */

export interface BedPlan {
  style: Style;
  gain: number;
}

export type Part =
  | { type: 'music'; song: SongSpec; gapSec: number; note: string }
  /** Dead air: replaces the gap before the next part. */
  | { type: 'silence'; seconds: number }
  | { type: 'speech'; kind: SpeechKind; lines: Line[]; gapSec: number; bed: BedPlan | null; note: string };

export interface EpisodePlan {
  id: string;
  /** Seeds the renderer's pauses. */
  seed: number;
  show: string;
  container: Container;
  bitrateK: number;
  transcript: { format: 'vtt' | 'srt'; sentencesPerCue: 1 | 2 } | null;
  /** Keys into VOICES (or UNHEARD_VOICES). */
  voices: Record<Speaker, string>;
  /** What the episode is made of; held-out values only in leave-one-family-out draws. */
  families: Families;
  parts: Part[];
  /** Rough length from word counts, for planning only. */
  estimatedSec: number;
}

export const MASTER_SEED = 0xe7a1_2024;
export const EPISODE_COUNT = 24;
/** Planned lengths are spread evenly over this range (the rendered ones land within 2-7 min). */
const TARGET_SEC: readonly [number, number] = [125, 370];
/** Every episode gets one content block at least this long (estimated), so an ideal 60 s window exists. */
const MIN_LONG_BLOCK_SEC = 78;

/** Speaking time from word count: about 190 words a minute (measured on the voices used), plus the pause before the sentence. */
export const estimateLineSec = (text: string): number => text.split(/\s+/).length * 0.32 + 0.55;
const estimateLines = (lines: readonly { text: string }[]): number => lines.reduce((s, l) => s + estimateLineSec(l.text), 0);

function estimatePlan(parts: readonly Part[]): number {
  return parts.reduce((s, p) => s + (p.type === 'music' ? p.song.seconds + p.gapSec : p.type === 'silence' ? p.seconds : estimateLines(p.lines) + p.gapSec), 0);
}

/** Splits chunks into `n` contiguous blocks, retrying cut points until one block is long enough. */
function splitBlocks(chunks: TopicLine[][], wanted: number, rng: Rng): TopicLine[][][] {
  const sec = chunks.map((c) => estimateLines(c));
  for (let n = Math.min(wanted, chunks.length); n > 1; n--) {
    for (let attempt = 0; attempt < 30; attempt++) {
      const cuts = shuffled(
        rng,
        Array.from({ length: chunks.length - 1 }, (_, i) => i + 1),
      )
        .slice(0, n - 1)
        .sort((a, b) => a - b);
      const bounds = [0, ...cuts, chunks.length];
      const blocks = bounds.slice(1).map((end, i) => chunks.slice(bounds[i]!, end));
      const longest = Math.max(...bounds.slice(1).map((end, i) => sec.slice(bounds[i]!, end).reduce((a, b) => a + b, 0)));
      if (longest >= MIN_LONG_BLOCK_SEC) return blocks;
    }
  }
  return [chunks];
}

const toLines = (chunk: TopicLine[]): Line[] => chunk.map((l) => ({ speaker: l.speaker, text: l.text }));

function planEpisode(index: number, pool: ContentPool, set: SetChoices, setSeed: number): EpisodePlan {
  const seed = (setSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  const rng = mulberry32(seed);
  const id = `${set.idPrefix}ep${String(index + 1).padStart(set.count > 99 ? 3 : 2, '0')}`;
  const { families } = set;
  const solo = families.format === 'solo';
  // A solo host reads the whole conversation, questions and answers alike.
  const take = (): TopicLine[] => (solo ? pool.take().map((l) => ({ ...l, speaker: 'host' as const })) : pool.take());
  const [lo, hi] = TARGET_SEC;
  const targetSec = lo + ((hi - lo) * (set.lengthSlots[index]! + rng())) / EPISODE_COUNT;
  // Short episodes get a leaner frame (one ad, shorter music), as short real shows do.
  const lean = targetSec < 190;

  const cast = castOf(families);
  const styles = stylesOf(families);
  const [hostVoice, guestVoice] = shuffled(rng, cast.hostsAndGuests);
  const hostRead = chance(rng, 0.45);
  const announcerVoice = hostRead
    ? hostVoice!
    : pick(
        rng,
        cast.announcers.filter((v) => v !== hostVoice && v !== guestVoice),
      );
  const { topic, guest } = pool.peek();
  const ctx: ShowContext = { show: SHOWS[index % SHOWS.length]!, host: HOSTS[index % HOSTS.length]!, guest, role: topic.guestRole, subject: topic.subject };
  const theme = styles.theme(rng);
  const bed = (gain: readonly [number, number]): BedPlan => ({ style: styles.bed(rng), gain: uniform(rng, gain[0], gain[1]) });
  const gap = (a: number, b: number): number => Math.round(uniform(rng, a, b) * 1000) / 1000;
  const sponsors = shuffled(rng, SPONSORS);
  const stories = families.ads === 'story' ? shuffled(rng, STORY_ADS) : [];
  // At most two ad reads an episode: each pool holds more than that.
  const nextStory = () => {
    const story = stories.pop();
    if (!story) throw new Error('more ad reads than story ads');
    return story;
  };
  const reader: Speaker = hostRead ? 'host' : 'announcer';
  const ad = (note: string, withLead: boolean): Part => ({
    type: 'speech',
    kind: 'ad',
    lines: families.ads === 'story' ? storyAdLines(ctx, nextStory(), reader, withLead, rng) : adLines(ctx, sponsors.pop()!, reader, withLead, rng),
    gapSec: gap(0.7, 1.3),
    bed: chance(rng, 0.4) ? bed([0.35, 0.5]) : null,
    note: `${note}${hostRead ? ', host-read' : ''}`,
  });

  const head: Part[] = [];
  const opening = pick(rng, ['music', 'music', 'cold-open', 'straight'] as const);
  let teaserChunk: TopicLine[] | undefined;
  let teaser: TopicLine[] = [];
  if (opening === 'music') {
    head.push({ type: 'music', song: songOf(theme, gap(5, lean ? 12 : 25)), gapSec: gap(0, 1), note: 'music intro' });
  } else if (opening === 'cold-open') {
    // A teaser from this episode's own conversation, then the theme.
    teaserChunk = take();
    teaser = solo ? teaserChunk.slice(1, 3) : teaserChunk.filter((l) => l.speaker === 'guest').slice(0, 2);
    head.push({ type: 'speech', kind: 'content', lines: toLines(teaser), gapSec: gap(0.2, 1), bed: null, note: 'cold open' });
    head.push({ type: 'music', song: songOf(theme, gap(4, 10)), gapSec: gap(0.6, 1), note: 'theme after cold open' });
  }
  const preRoll = chance(rng, 0.4) ? pick(rng, ['before intro', 'after intro'] as const) : null;
  if (preRoll === 'before intro') head.push(ad('pre-roll', false));
  head.push({
    type: 'speech',
    kind: 'intro',
    lines: solo ? soloIntroLines(ctx, rng) : introLines(ctx, rng),
    gapSec: head.length === 0 ? gap(0.2, 1.2) : gap(0.5, 1),
    bed: opening !== 'straight' && chance(rng, 0.45) ? bed([0.35, 0.5]) : null,
    note: 'spoken intro',
  });
  if (preRoll === 'after intro') head.push(ad('pre-roll', false));

  const tail: Part[] = [
    {
      type: 'speech',
      kind: 'outro',
      lines: solo ? soloOutroLines(ctx, rng) : outroLines(ctx, rng),
      gapSec: gap(0.7, 1.2),
      bed: chance(rng, 0.3) ? bed([0.35, 0.5]) : null,
      note: 'spoken outro',
    },
  ];
  if (chance(rng, 0.7)) tail.push({ type: 'music', song: songOf(theme, gap(4, lean ? 8 : 15)), gapSec: gap(0.5, 1), note: 'outro music' });

  // Interludes between content blocks: at most two ads in all, at least one.
  const midRolls = preRoll ? (!lean && chance(rng, 0.4) ? 1 : 0) : !lean && chance(rng, 0.3) ? 2 : 1;
  const silences = chance(rng, 0.5) ? intBetween(rng, 1, lean ? 1 : 2) : 0;
  const contentBed = chance(rng, 0.25);
  const interludeSec = midRolls * 30 + silences * 4 + 5;
  const needSec = Math.max(MIN_LONG_BLOCK_SEC, targetSec - estimatePlan(head) - estimatePlan(tail) - interludeSec);

  const chunks: TopicLine[][] = [];
  let have = 0;
  if (teaserChunk) {
    // The rest of the teaser's chunk still opens the conversation; the teaser lines are not repeated.
    const rest = teaserChunk.filter((l) => !teaser.includes(l));
    if (rest.length >= 3 && rest[0]?.speaker === 'host') {
      chunks.push(rest);
      have += estimateLines(rest);
    }
  }
  while (have < needSec) {
    const c = take();
    chunks.push(c);
    have += estimateLines(c);
  }
  const blocks = splitBlocks(chunks, Math.max(1 + midRolls, intBetween(rng, 2, 4)), rng);

  const kinds = shuffled(rng, [
    ...Array<string>(midRolls).fill('mid-roll'),
    ...Array<string>(silences).fill('silence'),
    ...Array<string>(Math.max(0, blocks.length - 1 - midRolls - silences)).fill('music'),
  ]);
  const body: Part[] = [];
  blocks.forEach((block, b) => {
    if (b > 0) {
      const kind = kinds[b - 1] ?? 'music';
      if (kind === 'mid-roll') {
        if (chance(rng, 0.3)) body.push({ type: 'silence', seconds: gap(2, 4) });
        body.push(ad('mid-roll', chance(rng, 0.5)));
      } else if (kind === 'silence') {
        body.push({ type: 'silence', seconds: gap(2, 6) });
        if (chance(rng, 0.3)) body.push({ type: 'music', song: songOf(theme, gap(2, 5)), gapSec: 0, note: 'sting after dead air' });
      } else {
        const long = chance(rng, 0.3);
        body.push({
          type: 'music',
          song: songOf(long ? styles.bed(rng) : theme, long ? gap(8, 15) : gap(2, 6)),
          gapSec: gap(0.5, 1),
          note: long ? 'music interlude' : 'sting',
        });
      }
    }
    const withBed = contentBed && (b === 0 || chance(rng, 0.6));
    body.push({
      type: 'speech',
      kind: 'content',
      lines: block.flatMap(toLines),
      gapSec: gap(0.6, 1.1),
      bed: withBed ? bed([0.25, 0.4]) : null,
      note: 'content',
    });
  });
  // Interludes left over (more planned than block boundaries) come after the last block.
  for (const extra of kinds.slice(blocks.length - 1)) {
    if (extra === 'mid-roll') body.push(ad('late mid-roll', chance(rng, 0.5)));
    if (extra === 'silence' && body.at(-1)?.type !== 'silence') body.push({ type: 'silence', seconds: gap(2, 6) });
  }

  const container = set.containers[index]!;
  const bitrateK = container === 'mp3' ? pick(rng, [32, 48, 64]) : container === 'm4a' ? pick(rng, [48, 64]) : pick(rng, [24, 32]);
  const parts = [...head, ...body, ...tail];
  return {
    id,
    seed,
    show: ctx.show,
    container,
    bitrateK,
    transcript: set.transcripts[index] ? { format: chance(rng, 0.5) ? 'vtt' : 'srt', sentencesPerCue: chance(rng, 0.5) ? 1 : 2 } : null,
    voices: { host: hostVoice!, guest: solo ? hostVoice! : guestVoice!, announcer: announcerVoice },
    families,
    parts,
    estimatedSec: Math.round(estimatePlan(parts)),
  };
}

/** Choices balanced over the whole set rather than drawn per episode. */
interface SetChoices {
  count: number;
  families: Families;
  /** Prepended to episode ids, so draws of several families can share a directory. */
  idPrefix: string;
  lengthSlots: number[];
  containers: Container[];
  transcripts: boolean[];
}

/**
 * The planned set. `seed` other than MASTER_SEED draws another set from the same sources (other
 * lengths, structures, voices, topics and orders): a check that tuning on the default set did
 * not fit its particular draws.
 */
export function planEvalSet(count = EPISODE_COUNT, seed = MASTER_SEED, o: { families?: Partial<Families>; idPrefix?: string } = {}): EpisodePlan[] {
  const rng = mulberry32(seed);
  const set: SetChoices = {
    count,
    families: familiesOf(o.families),
    idPrefix: o.idPrefix ?? '',
    lengthSlots: shuffled(
      rng,
      Array.from({ length: count }, (_, i) => (i * EPISODE_COUNT) / count),
    ),
    containers: shuffled(
      rng,
      Array.from({ length: count }, (_, i) => (['mp3', 'm4a', 'ogg'] as const)[i % 3]!),
    ),
    transcripts: shuffled(
      rng,
      Array.from({ length: count }, (_, i) => i % 2 === 0),
    ),
  };
  const pool = new ContentPool(rng);
  return Array.from({ length: count }, (_, i) => planEpisode(i, pool, set, seed));
}
