/**
 * Topical centrality of each sentence of an episode: how close it is to what the rest of the
 * episode is about. Each sentence is a document; its unit TF-IDF vector (content words only) is
 * compared with the centroid of the *other* sentences' vectors (leaving itself out, so a sentence
 * of rare words does not score high on its own words alone), and the scores are scaled so the
 * most central sentence gets 1. Sentences without content words (empty, "Yeah.", "Right, so…")
 * get 0; when no two sentences share a content word (e.g. a single sentence) there is no topic to
 * measure against, and every sentence with content words gets 1.
 */

/** Function words that say nothing about the topic (a small list; content words stay). */
const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing done down during each even ever every few for from further get gets getting go goes going gone got ' +
    'had has have having he her here hers herself him himself his how i if in into is it its itself just know let lets like ' +
    'll made make many may me might more most much must my myself no nor not now of off oh ok okay on once one only or other ' +
    'our ours ourselves out over own quite rather re really right s said same say says see she should so some still such sure ' +
    't than that thats the their theirs them themselves then there these they thing things think this those though through to ' +
    'too um uh under until up us very ve want was way we well were what when where whether which while who whom whose why will ' +
    'with would yeah yes yet you your yours yourself yourselves d m don didn doesn isn wasn aren weren won wouldn couldn shouldn ' +
    'im youre theyre weve ive youve id youd hes shes dont didnt doesnt isnt wasnt cant wont back actually lot kind ' +
    'mean guess gonna wanna kinda sorta basically literally maybe probably pretty something anything everything nothing ' +
    'someone anyone everyone stuff'
  ).split(' '),
);

const APOSTROPHES = /['\u2019\u2018`]/g;
const WORD = /[a-z]+/g;

/** Content words of a sentence: lowercased, apostrophes dropped, stop words and 1-letter words out, a plural "s" trimmed. */
export function contentWords(sentence: string): string[] {
  const out: string[] = [];
  for (const m of sentence.toLowerCase().replace(APOSTROPHES, '').matchAll(WORD)) {
    let w = m[0];
    if (w.length < 2 || STOP_WORDS.has(w)) continue;
    // Crude plural folding so "trees" meets "tree"; not a stemmer ("news" → "new" is harmless here).
    if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
    out.push(w);
  }
  return out;
}

export function sentenceCentrality(sentences: readonly string[]): Float32Array {
  const n = sentences.length;
  const scores = new Float32Array(n);
  if (n === 0) return scores;

  // Term ids and per-sentence term counts.
  const ids = new Map<string, number>();
  const docs: Map<number, number>[] = [];
  const df: number[] = [];
  for (const s of sentences) {
    const tf = new Map<number, number>();
    for (const w of contentWords(s)) {
      let id = ids.get(w);
      if (id === undefined) {
        id = ids.size;
        ids.set(w, id);
        df.push(0);
      }
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    for (const id of tf.keys()) df[id]!++;
    docs.push(tf);
  }

  // Smoothed idf (as scikit-learn's): a word in every sentence still weighs 1, never 0.
  const idf = df.map((d) => Math.log((1 + n) / (1 + d)) + 1);
  // Unit-length sentence vectors (sublinear tf), summed into the centroid.
  const vectors: { ids: number[]; weights: Float64Array }[] = [];
  const centroid = new Float64Array(ids.size);
  for (const tf of docs) {
    const vIds = [...tf.keys()];
    const weights = new Float64Array(vIds.length);
    let sq = 0;
    vIds.forEach((id, j) => {
      const w = (1 + Math.log(tf.get(id)!)) * idf[id]!;
      weights[j] = w;
      sq += w * w;
    });
    const norm = Math.sqrt(sq);
    for (let j = 0; j < vIds.length; j++) {
      weights[j]! /= norm;
      centroid[vIds[j]!]! += weights[j]!;
    }
    vectors.push({ ids: vIds, weights });
  }
  // v·(centroid − v) = v·centroid − 1 for a unit vector v. The cosine's denominator (the norm of
  // the others' centroid) barely varies between sentences and cancels in the rescaling below.
  let best = 0;
  for (let i = 0; i < n; i++) {
    const { ids: vIds, weights } = vectors[i]!;
    if (vIds.length === 0) continue;
    let dot = 0;
    for (let j = 0; j < vIds.length; j++) dot += weights[j]! * centroid[vIds[j]!]!;
    scores[i] = Math.max(0, dot - 1);
    if (scores[i]! > best) best = scores[i]!;
  }
  // Below 1e-9 is rounding noise of "shares no word with any other sentence".
  for (let i = 0; i < n; i++) scores[i] = best > 1e-9 ? Math.min(1, scores[i]! / best) : vectors[i]!.ids.length > 0 ? 1 : 0;
  return scores;
}
