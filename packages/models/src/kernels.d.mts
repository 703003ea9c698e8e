import type * as ort from 'onnxruntime-node';

/** Mono PCM as the models read it: 16-bit integers as decoded and stored, or float32 in ±1. */
export type Pcm = Int16Array | Float32Array;

/** What a kernel needs of a model: one inference call, and the tensor type to build its feeds. */
export interface KernelModel {
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
  Tensor: typeof ort.Tensor;
}

export interface SileroPlan {
  sampleRateHz: 16_000 | 8000;
  segments: { first: number; keepFrom: number; end: number }[];
}

export interface WindowsPlan {
  first: number;
  count: number;
  hop: number;
  width: number;
  maxBatch: number;
  output: string;
  outputWidth: number;
  /** Names the model in errors. */
  label: string;
}

/** One model reading the front end's frames: 1 s windows every `hopFrames` frames. */
export interface SpectralHeadPlan {
  /** The model's key on the model threads (ModelSession.key). */
  key: string;
  hopFrames: number;
  /** Windows the head has at most: the whole episode's, or (audio still arriving) those starting in the rows so far; those starting in this stretch are run. */
  windows: number;
  maxBatch: number;
  output: string;
  outputWidth: number;
  label: string;
}

export interface SpectralPlan {
  /** Rows (one per second of audio, `rowStep` samples apart) whose windows this stretch runs. */
  firstRow: number;
  rows: number;
  rowSamples: number;
  rowStep: number;
  framesPerRow: number;
  /** Values per frame. */
  width: number;
  /** Frames of one window. */
  windowFrames: number;
  /** Rows per front-end call. */
  maxBatch: number;
  heads: SpectralHeadPlan[];
  label: string;
}

export interface KernelPlans {
  silero: SileroPlan;
  windows: WindowsPlan;
  spectral: SpectralPlan;
}
export type KernelName = keyof KernelPlans;

export interface KernelResult {
  values: Float32Array;
  /** Per inference call: its items and milliseconds. */
  items: number[];
  ms: number[];
  /** The spectral kernel's heads, in plan order: their windows in `values` and their calls. */
  parts?: { first: number; count: number; items: number[]; ms: number[] }[];
}

/** The model of another key, for kernels that drive several (the spectral kernel's heads). */
export type ModelOf = (key: string) => KernelModel;

export function copyPcm(dst: Float32Array, at: number, src: Pcm, from: number, to: number): void;
export function copyPcmHalfRate(dst: Float32Array, at: number, src: Pcm, from: number, to: number): void;
export const VAD_FRAME_SAMPLES: 512;
export function sileroGroup(model: KernelModel, samples: Pcm, plan: SileroPlan): Promise<KernelResult>;
export function windows(model: KernelModel, samples: Pcm, plan: WindowsPlan): Promise<KernelResult>;
export function spectral(front: KernelModel, samples: Pcm, plan: SpectralPlan, modelOf: ModelOf): Promise<KernelResult>;
export const KERNELS: { [K in KernelName]: (model: KernelModel, samples: Pcm, plan: KernelPlans[K], modelOf: ModelOf) => Promise<KernelResult> };
