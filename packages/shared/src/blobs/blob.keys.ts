/**
 * The blob keys of one run's artefacts, built here and nowhere else: every stage finds its
 * inputs by these names, and the dashboard finds a run's explanation by them.
 */
export const runBlobKeys = (episodeId: string, runId: string) => {
  const base = `episodes/${episodeId}/${runId}`;
  return {
    source: `${base}/source`,
    pcm: `${base}/pcm.s16`,
    transcript: `${base}/transcript.json`,
    tracks: `${base}/tracks`,
    track: (name: string) => `${base}/tracks/${name}.f32`,
    sentences: `${base}/sentences.json`,
    selection: `${base}/selection.json`,
    clip: `${base}/preview.mp3`,
  };
};
