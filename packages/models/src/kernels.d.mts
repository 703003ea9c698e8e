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

export interface KernelPlans {
  silero: SileroPlan;
  windows: WindowsPlan;
}
export type KernelName = keyof KernelPlans;

export interface KernelResult {
  values: Float32Array;
  /** Per inference call: its items and milliseconds. */
  items: number[];
  ms: number[];
}

export function copyPcm(dst: Float32Array, at: number, src: Pcm, from: number, to: number): void;
export function copyPcmHalfRate(dst: Float32Array, at: number, src: Pcm, from: number, to: number): void;
export const VAD_FRAME_SAMPLES: 512;
export function sileroGroup(model: KernelModel, samples: Pcm, plan: SileroPlan): Promise<KernelResult>;
export function windows(model: KernelModel, samples: Pcm, plan: WindowsPlan): Promise<KernelResult>;
export const KERNELS: { [K in KernelName]: (model: KernelModel, samples: Pcm, plan: KernelPlans[K]) => Promise<KernelResult> };
