import { ModelRegistry, toSharedPcm } from '@podpreview/models';
import { AUDIO_RUNNERS } from '@podpreview/pipeline/worker';
import { decodeAudio } from '@podpreview/audio';
const one = (await decodeAudio('samples/interview.mp3')).samples;
const samples = toSharedPcm(new Int16Array(1800 * 16000));
for (let at = 0; at < samples.length; at += one.length) samples.set(one.subarray(0, Math.min(one.length, samples.length - at)), at);
const registry = await ModelRegistry.open({ stage: 'ensemble-a', provider: 'cpu', threads: 2 });
const lease = await registry.lease();
for (const mode of ['each', 'all', 'all']) {
  const t0 = performance.now();
  if (mode === 'each') {
    for (const e of lease.entries) { const t = performance.now(); await AUDIO_RUNNERS[e.kind]!.run(lease.get(e.id), e, samples); console.log(e.id, (performance.now() - t).toFixed(0)); }
  } else {
    await Promise.all(lease.entries.map(async (e) => { const t = performance.now(); await AUDIO_RUNNERS[e.kind]!.run(lease.get(e.id), e, samples); console.log('  ', e.id, 'done at', (performance.now() - t).toFixed(0)); }));
  }
  console.log(mode, (performance.now() - t0).toFixed(0), 'ms');
}
lease.release(); await registry.dispose();
