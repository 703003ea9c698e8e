"""Writes the manifest entries of the audio models built here (audio-spectra, sed-mini, voice-embed)
from the built files and their training reports, leaving every other entry as it is. Only the
models named in the argument are written; batching an operator tuned in the manifest is kept.
Usage: update_manifest.py '{"sed-mini": MB, "voice-embed": MB, "audio-spectra": MB}'
"""
import json
import os
import sys

import dsp
import golden

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.abspath(os.path.join(HERE, '..', '..'))
MANIFEST = os.path.join(MODELS_DIR, 'manifest.json')
BATCHING = {'maxBatch': 64, 'maxWaitMs': 5}
FRONT_END = 'audio-spectra'
INPUTS = {
    'spectra': f'float32 [batch, {dsp.N_FRAMES}, {dsp.SPECTRA_WIDTH}]: the {dsp.N_FRAMES} frames of a 1 s window from the {FRONT_END} '
    'front end (frames every 20 ms: 48 mel-band powers, then the powers of the 160 DFT bins under 5 kHz)'
}


def file_fields(name: str) -> dict:
    path = os.path.join(MODELS_DIR, 'weights', name)
    return {'file': f'weights/{name}', 'sha256': golden.sha256_file(path), 'bytes': os.path.getsize(path)}


def voice_summary(info: dict) -> str:
    named = [v for v in info['voices'] if v.startswith('espeak:') and v != 'espeak:random variants']
    count = lambda engine: sum(v.startswith(engine + ':') for v in info['voices'])  # noqa: E731
    return (
        f'{len(named)} named and {info["randomEspeakVariants"]} random espeak-ng variants in 13 accents, '
        f'{count("flite")} flite and {count("festival")} festival voices'
    )


def sed_entry(report: dict, memory_mb: int) -> dict:
    d, h = report['data'], report['heldOut']
    tr, ho = d['train'], d['heldout']
    recipe = (
        f'{tr["episodes"]} assembled episodes ({tr["minutes"]} min, {tr["windows"]} windows of 1 s every 0.5 s) mixing '
        f'{tr["speechMinutes"]} min of speech ({voice_summary(tr)}; {tr["realSpeechMinutes"]} min of it recorded prompts of '
        f'{len(tr["realSpeakers"])} voice talents from Debian\'s asterisk sound packages), {tr["musicMinutes"]} min of music ({tr["songs"]} General MIDI songs with '
        f'{len(tr["programs"])} programs rendered by fluidsynth with FluidR3_GM or MuseScore General, {tr["soxChordClips"]} sox chord clips, '
        f'{tr["realMusicMinutes"]} min of excerpts of {tr["realMusicTracks"]} recorded tracks from asterisk-moh-opsound and singularity-music), '
        'noise/silence (zero, dither, white, pink, brown, hum, room tone, fan, crackle) and mixtures (speech over '
        'music beds 4-16 dB down, speech in noise 3-25 dB SNR) at -36..-12 dBFS; 70 % of episodes through mp3 (24-128 kbps), '
        'opus (16-48 kbps), low-quality Vorbis or a 300 Hz-3.4/4/5 kHz band limit. Labels from each clean component\'s activity.'
    )
    rooms = d.get('trainRooms')
    if rooms:
        recipe += (
            f' Plus {rooms["episodes"]} episodes ({rooms["minutes"]} min, {rooms["windows"]} windows) of the same recorded voices '
            f'({rooms["speechMinutes"]} min, two in three lowered in pitch) and recorded music ({rooms["musicMinutes"]} min) in reverberant rooms '
            f'(RT60 {rooms["rt60Sec"][0]}-{rooms["rt60Sec"][1]} s, direct-to-reverberant {rooms["directToReverberantDb"][0]:g}..{rooms["directToReverberantDb"][1]:g} dB).'
        )
    return {
        'id': 'sed-mini',
        'version': report['version'],
        'stage': 'ensemble-a',
        'kind': 'sound-events',
        'frontEnd': FRONT_END,
        **file_fields('sed-mini.onnx'),
        'licence': 'Apache-2.0',
        'source': 'podpreview sed-mini, trained by this repository (packages/models/training/audio/train.sh) on synthetic audio and recordings from Debian packages (weights/NOTICE.md)',
        'inputs': INPUTS,
        'outputs': {
            'probs': 'float32 [batch, 3]: independent sigmoid probabilities of [speech, music, noise] in the window; '
            'noise = neither speech nor music (silence, hum, hiss, room tone)'
        },
        'batching': BATCHING,
        'memoryMb': memory_mb,
        'training': {
            'script': 'packages/models/training/audio/train.sh',
            'data': recipe,
            'heldOut': {
                'speechAccuracy': h['speechAccuracy'],
                'musicAccuracy': h['musicAccuracy'],
                'noiseAccuracy': h['noiseAccuracy'],
                'exactMatch': h['exactMatch'],
                'windows': ho['windows'],
                'voices': ', '.join(ho['voices']),
                'programs': 'GM ' + ', '.join(map(str, ho['programs'])) + ' + sox triangle/pluck chords',
                'note': 'held out: whole voices and GM programs never used in training (incl. every voice variant and '
                'program of samples/), own seeds; accuracy per class at p >= 0.5',
                **{f'recordings.{k}': f'{v["truth"]} {v["right"]}/{v["clips"]} = {v["recall"]} (95 % {v["ci95"][0]}-{v["ci95"][1]})' for k, v in report['heldOutRecordings'].items()},
            },
        },
        'params': {
            'classes': dsp.CLASSES,
            'sampleRateHz': dsp.SR,
            'windowSec': dsp.WINDOW / dsp.SR,
            'hopSec': 0.5,
            'featureFrameSec': dsp.FRAME_LEN / dsp.SR,
            'featureHopSec': dsp.CHUNK * dsp.HOP_CHUNKS / dsp.SR,
            'melBands': dsp.N_MELS,
            'features': dsp.N_FEATURES,
        },
    }


def voice_entry(report: dict, memory_mb: int) -> dict:
    d, h = report['data'], report['heldOut']
    recipe = (
        f'{d["trainSpeakers"]} synthetic speakers ({d["randomEspeakVariants"]} random espeak-ng variants, '
        f'{len(d["namedEspeakVariants"])} named variants in random accents, pitches and speeds, {len(d["festivalVoices"])} festival voices; '
        f'half also pitch/tempo-warped by 0.85-1.18), two paragraphs each ({d["trainMinutes"]} min, {d["trainWindows"]} windows of 1 s every 0.5 s), '
        f'{round(100 * d["bedShare"])} % of paragraphs under a sox chord bed (8-20 dB down) or noise (10-30 dB SNR), at -18..-3 dB peak'
    )
    return {
        'id': 'voice-embed',
        'version': report['version'],
        'stage': 'ensemble-a',
        'kind': 'voice-embedding',
        'frontEnd': FRONT_END,
        **file_fields('voice-embed.onnx'),
        'licence': 'Apache-2.0',
        'source': 'podpreview voice-embed, trained by this repository (packages/models/training/audio/train_voice.sh) on synthetic speakers only',
        'inputs': INPUTS,
        'outputs': {'embedding': 'float32 [batch, 32]: unit-length voice embedding of the window; cosine similarity near 1 means the same voice'},
        'batching': BATCHING,
        'memoryMb': memory_mb,
        'training': {
            'script': 'packages/models/training/audio/train_voice.sh',
            'data': recipe,
            'heldOut': {
                **{f'{k}.eer': v['eer'] for k, v in h.items() if k != 'train'},
                **{f'{k}.threshold': v['threshold'] for k, v in h.items() if k != 'train'},
                'voices': d['heldOutVoices'],
                'note': 'equal error rate of "same voice" by cosine similarity over all pairs of 2 s segments (mean of three windows) of voices never trained on',
            },
        },
        'params': {'sampleRateHz': dsp.SR, 'windowSec': dsp.WINDOW / dsp.SR, 'hopSec': 1.0, 'embeddingDim': report['embeddingDim'], 'sameVoiceCosine': h['evalVoices']['threshold']},
    }


def front_entry(_report: None, memory_mb: int) -> dict:
    return {
        'id': FRONT_END,
        'version': '1.0',
        'stage': 'ensemble-a',
        'kind': 'spectra',
        **file_fields(f'{FRONT_END}.onnx'),
        'licence': 'Apache-2.0',
        'source': 'podpreview: built (not trained) by packages/models/training/audio/graphs.py; the front end of sed-mini and voice-embed',
        'inputs': {'audio': f'float32 [batch, {dsp.FRONT_SAMPLES}]: one second of 16 kHz mono plus one 20 ms hop, full scale +-1'},
        'outputs': {
            'spectra': f'float32 [batch, {dsp.FRONT_FRAMES}, {dsp.SPECTRA_WIDTH}]: for each 25 ms Hann frame starting in that second '
            '(every 20 ms), its power in 48 mel bands (50-8000 Hz), then in the 160 DFT bins under 5 kHz (512-point DFT); '
            'rows one second apart tile the episode\'s frame grid'
        },
        'batching': {'maxBatch': 16, 'maxWaitMs': 5},
        'memoryMb': memory_mb,
        'params': {
            'sampleRateHz': dsp.SR,
            'rowSamples': dsp.FRONT_SAMPLES,
            'framesPerRow': dsp.FRONT_FRAMES,
            'frameSamples': dsp.FRAME_LEN,
            'hopSamples': dsp.CHUNK * dsp.HOP_CHUNKS,
            'width': dsp.SPECTRA_WIDTH,
            'windowFrames': dsp.N_FRAMES,
        },
    }


ENTRIES = {
    FRONT_END: (None, front_entry),
    'sed-mini': ('sed-mini.report.json', sed_entry),
    'voice-embed': ('voice-embed.report.json', voice_entry),
}


def main() -> None:
    write(json.loads(sys.argv[1]))


def write(memory: dict) -> None:
    with open(MANIFEST) as f:
        manifest = json.load(f)
    current = {m['id']: m for m in manifest['models']}
    ours = {}
    for model_id, mb in memory.items():
        report_file, build = ENTRIES[model_id]
        report = None
        if report_file:
            with open(os.path.join(HERE, report_file)) as f:
                report = json.load(f)
        entry = build(report, mb)
        if model_id in current:
            entry['batching'] = current[model_id]['batching']
        ours[model_id] = entry
    models = [ours.pop(m['id'], m) for m in manifest['models']]
    # Not listed yet: a front end goes before the first model that reads it, others last.
    for new_id, entry in ours.items():
        readers = [i for i, m in enumerate(models) if m.get('frontEnd') == new_id]
        models.insert(readers[0] if readers else len(models), entry)
    manifest['models'] = models
    with open(MANIFEST, 'w') as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print(f'updated {MANIFEST}', file=sys.stderr)

if __name__ == '__main__':
    main()
