/** Blob keys for one run's artefacts; every stage finds its inputs by these names. */
export const runKeys = (episodeId: string, runId: string) => {
  const base = `episodes/${episodeId}/${runId}`;
  return {
    source: `${base}/source`,
    pcm: `${base}/pcm.f32`,
    transcript: `${base}/transcript.json`,
    track: (name: string) => `${base}/tracks/${name}.f32`,
    candidates: `${base}/candidates.json`,
    selection: `${base}/selection.json`,
    clip: `${base}/preview.mp3`,
  };
};

export function float32ToBytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Copies into a fresh buffer: storage may hand back a Buffer at an offset not divisible by 4. */
export function bytesToFloat32(b: Uint8Array): Float32Array {
  const out = new Float32Array(Math.floor(b.byteLength / 4));
  new Uint8Array(out.buffer).set(b.subarray(0, out.length * 4));
  return out;
}

export const toJsonBytes = (v: unknown) => Buffer.from(JSON.stringify(v));
export const fromJsonBytes = <T>(b: Uint8Array): T => JSON.parse(Buffer.from(b).toString('utf8')) as T;
