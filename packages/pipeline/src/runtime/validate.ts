import { InvalidPayloadError, MAX_PAYLOAD_BYTES, STAGE_INPUTS, type StageInput, type StageName } from '@podpreview/shared';

/** Checks a payload against its queue's contract; used both when adding and when picking up. */
export function parseStageInput<S extends StageName>(stage: S, data: unknown): StageInput<S> {
  const parsed = STAGE_INPUTS[stage].safeParse(data);
  if (!parsed.success) {
    throw new InvalidPayloadError(stage, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  const size = Buffer.byteLength(JSON.stringify(parsed.data));
  if (size > MAX_PAYLOAD_BYTES) throw new InvalidPayloadError(stage, `payload is ${size} bytes; jobs carry keys, not data (limit ${MAX_PAYLOAD_BYTES})`);
  return parsed.data as StageInput<S>;
}
