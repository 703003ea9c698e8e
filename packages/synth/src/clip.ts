/** A sound ready for placement: `pcm` includes `leadPad`/`tailPad` samples around the content. */
export interface Clip {
  pcm: Float32Array;
  leadPad: number;
  tailPad: number;
}
