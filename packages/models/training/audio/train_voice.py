"""Trains voice-embed: a 32-dimensional voice embedding per 1 s window, so selection can tell
when someone else is speaking (an announcer's ad read, a guest) without any words.

Steps: render many synthetic speakers (random and named espeak-ng variants, festival voices, each
also pitch/tempo-warped), two paragraphs each, some under music beds or noise; cut 1 s windows
every 0.5 s; pool voiced-frame envelope and pitch statistics (voice_dsp.py); learn a linear
discriminant projection that keeps speakers apart; check speaker separation on voices it never
heard (the evaluation set's voices, flite, held-out espeak variants, and two human voice actors
from Debian's fillets-ng-data-nl when unpacked); export one ONNX graph; write golden vectors.
"""
import glob
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import onnx
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

import dsp
import golden
import graphs
import real
import sources
import text
import voice_dsp

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.abspath(os.path.join(HERE, '..', '..'))
REPO = os.path.abspath(os.path.join(MODELS_DIR, '..', '..'))
OUT = os.path.join(MODELS_DIR, 'weights', 'voice-embed.onnx')
REPORT = os.path.join(HERE, 'voice-embed.report.json')
GOLDEN = os.path.join(HERE, 'voice-golden.json')
VERSION = '1.1'
SEED = 20261202

# The evaluation set's voices (eval/src/content/voices.ts) are held out: their espeak variants
# and every flite voice are never trained on.
EVAL_VARIANTS = {'m4', 'm5', 'm6', 'm7', 'f1', 'f5'}
EVAL_VOICES = [
    {'engine': 'espeak', 'voice': 'en-gb-scotland+m4', 'speed': 158, 'pitch': 42},
    {'engine': 'espeak', 'voice': 'en-us-nyc+m5', 'speed': 168, 'pitch': 48},
    {'engine': 'espeak', 'voice': 'en-029+f1', 'speed': 155, 'pitch': 60},
    {'engine': 'espeak', 'voice': 'en-gb-x-gbclan+f5', 'speed': 162, 'pitch': 64},
    {'engine': 'espeak', 'voice': 'en-gb-x-gbcwmd+m6', 'speed': 150, 'pitch': 38},
    {'engine': 'espeak', 'voice': 'en-gb-x-rp+f1', 'speed': 160, 'pitch': 56},
    {'engine': 'espeak', 'voice': 'en-us+m7', 'speed': 172, 'pitch': 44},
    {'engine': 'flite', 'voice': 'slt', 'stretch': 1.05},
    {'engine': 'flite', 'voice': 'awb', 'stretch': 1.0},
    {'engine': 'flite', 'voice': 'rms', 'stretch': 1.0},
    {'engine': 'flite', 'voice': 'kal16', 'stretch': 1.1},
]
RECIPE = {'random': 170, 'namedRepeats': 2, 'festivalRepeats': 3, 'paragraphs': 2}
BED_SHARE = 0.4  # paragraphs under a music bed or noise
FILLETS = os.path.join(REPO, '.data', 'real-audio', 'x', 'usr', 'share', 'games', 'fillets-ng', 'sound')
SEGMENT_WINDOWS = 3  # 2 s: 3 windows 0.5 s apart
DOC = (
    f'podpreview voice-embed {VERSION}: spectra float32 [batch, 49, 208] (one 1 s window\'s frames of the audio-spectra front '
    'end) -> embedding float32 [batch, 32], unit length; windows of one voice point the same way (cosine similarity), another '
    'voice elsewhere. sed-mini\'s log-mel, voiced-frame envelope and pitch statistics, linear discriminant projection trained on synthetic speakers by '
    'packages/models/training/audio/train_voice.sh. Apache-2.0.'
)


def log(msg: str) -> None:
    print(f'[{time.strftime("%H:%M:%S")}] {msg}', file=sys.stderr, flush=True)


def speaker_jobs(rng: random.Random, espeak_root: str, variants: list[str]) -> list[dict]:
    named = [v for v in sources.ESPEAK_TRAIN_VARIANTS if v not in EVAL_VARIANTS]
    speakers = []
    for v in variants:
        speakers.append({'engine': 'espeak', 'voice': f'{rng.choice(sources.ESPEAK_LANGS)}+{v}', 'path': espeak_root})
    for _ in range(RECIPE['namedRepeats']):
        for v in named:
            speakers.append({'engine': 'espeak', 'voice': f'{rng.choice(sources.ESPEAK_LANGS)}+{v}'})
    for _ in range(RECIPE['festivalRepeats']):
        for v in sources.FESTIVAL_VOICES['train']:
            speakers.append({'engine': 'festival', 'voice': v})
    for s in speakers:
        if s['engine'] == 'espeak':
            s['speed'], s['pitch'] = rng.randint(120, 210), rng.randint(20, 80)
        else:
            s['stretch'] = round(rng.uniform(0.85, 1.25), 2)
        s['warp'] = round(rng.uniform(0.85, 1.18), 3) if rng.random() < 0.5 else 1.0
    return speakers


def render_speakers(speakers: list[dict], rng: random.Random) -> list[list[np.ndarray]]:
    jobs = [dict(s, text=text.paragraph(rng), warp=s.get('warp', 1.0), speaker=i) for i, s in enumerate(speakers) for _ in range(RECIPE['paragraphs'])]
    clips = sources.render_speech_all(jobs)
    out: list[list[np.ndarray]] = [[] for _ in speakers]
    for j, c in zip(jobs, clips):
        if len(c) >= dsp.SR:
            out[j['speaker']].append(c)
    return out


def with_bed(x: np.ndarray, rng: np.random.Generator, chords: list[np.ndarray]) -> np.ndarray:
    """Speech under a music bed (8-20 dB down) or in noise (10-30 dB SNR): a voice stays itself."""
    level = np.sqrt(np.mean(np.square(x))) + 1e-6
    if chords and rng.random() < 0.5:
        bed = chords[int(rng.integers(len(chords)))]
        bed = np.resize(bed, len(x))
        db = rng.uniform(8, 20)
    else:
        bed = sources.noise(str(rng.choice(['pink', 'room', 'hum', 'white', 'fan'])), len(x), rng)
        db = rng.uniform(10, 30)
    bed = bed / (np.sqrt(np.mean(np.square(bed))) + 1e-9) * level * 10 ** (-db / 20)
    return (x + bed).astype(np.float32)


def windows(x: np.ndarray) -> np.ndarray:
    """1 s windows every 0.5 s with speech in them (window RMS within 20 dB of the clip's)."""
    hop = dsp.SR // 2
    n = max(0, (len(x) - dsp.SR) // hop + 1)
    w = np.stack([x[i * hop : i * hop + dsp.SR] for i in range(n)]) if n else np.zeros((0, dsp.SR), np.float32)
    rms = np.sqrt(np.mean(np.square(w), axis=1)) if n else np.zeros(0)
    return w[rms > 0.1 * np.sqrt(np.mean(np.square(x)))]


def featurize(audio: np.ndarray) -> np.ndarray:
    c, vc = dsp.sed_constants(), voice_dsp.voice_constants()
    parts = [voice_dsp.voice_features(*dsp.spectra(audio[i : i + 256], c), vc) for i in range(0, len(audio), 256)]
    return np.concatenate(parts) if parts else np.zeros((0, voice_dsp.N_VOICE_FEATURES), np.float32)


def speaker_windows(clips_by_speaker: list[list[np.ndarray]], beds: list[np.ndarray] | None, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, speaker label and paragraph label of every window."""
    rng = np.random.default_rng(seed)
    items = []
    for s, clips in enumerate(clips_by_speaker):
        for p, c in enumerate(clips):
            x = c * np.float32(10 ** (rng.uniform(-18, -3) / 20) / (np.abs(c).max() + 1e-6))
            if beds is not None and rng.random() < BED_SHARE:
                x = with_bed(x, rng, beds)
            items.append((s, p, x))

    def one(item):
        s, p, x = item
        f = featurize(windows(x))
        return f, np.full(len(f), s), np.full(len(f), p)

    with ThreadPoolExecutor(sources.WORKERS) as pool:
        parts = list(pool.map(one, items))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]), np.concatenate([p[2] for p in parts])


def train(x: np.ndarray, y: np.ndarray) -> dict:
    mean = x.mean(axis=0)
    std = x.std(axis=0) + 1e-3
    lda = LinearDiscriminantAnalysis(n_components=voice_dsp.EMBED_DIM, solver='eigen', shrinkage='auto')
    lda.fit((x - mean) / std, y)
    return {'mean': mean.astype(np.float32), 'inv_std': (1.0 / std).astype(np.float32), 'proj': lda.scalings_[:, : voice_dsp.EMBED_DIM].astype(np.float32)}


def segments(emb: np.ndarray, spk: np.ndarray, par: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2 s segments: the mean of 3 consecutive windows of one paragraph, unit length."""
    out, labels = [], []
    for key in sorted(set(zip(spk.tolist(), par.tolist()))):
        rows = np.where((spk == key[0]) & (par == key[1]))[0]
        for i in range(0, len(rows) - SEGMENT_WINDOWS + 1, SEGMENT_WINDOWS):
            m = emb[rows[i : i + SEGMENT_WINDOWS]].mean(axis=0)
            out.append(m / (np.linalg.norm(m) + 1e-9))
            labels.append(key[0])
    return np.array(out), np.array(labels)


def eer(seg: np.ndarray, labels: np.ndarray) -> dict:
    """Equal error rate of "same voice" by cosine similarity over every pair of 2 s segments."""
    sim = seg @ seg.T
    iu = np.triu_indices(len(seg), 1)
    s, same = sim[iu], (labels[:, None] == labels[None, :])[iu]
    order = np.argsort(-s)
    tp = np.cumsum(same[order]) / max(1, same.sum())
    fp = np.cumsum(~same[order]) / max(1, (~same).sum())
    k = int(np.argmin(np.abs((1 - tp) - fp)))
    return {'eer': round(float(((1 - tp[k]) + fp[k]) / 2), 4), 'threshold': round(float(s[order][k]), 3), 'segments': int(len(seg)), 'speakers': int(len(set(labels.tolist())))}


def prompt_voice_clips(limit: int) -> list[list[np.ndarray]]:
    """The held-out recorded prompt voices (Colombian Spanish, French): one list of prompts each."""
    out = []
    for directory in real.HELDOUT_PROMPT_SPEAKERS.values():
        prompts = [p for p in (real._trim(c) for c in real.decode_all(real.prompt_files(directory), sources.WORKERS)) if len(p) >= 2 * dsp.SR]
        out.append(prompts[:limit])
    return out


def closest_pair(seg: np.ndarray, labels: np.ndarray) -> dict:
    """The two voices whose 2 s segments are most alike (mean cross cosine similarity), against
    how alike segments of one voice are: where host and guest could merge into one cluster."""
    spk = sorted(set(labels.tolist()))
    within = float(np.mean([(seg[labels == a] @ seg[labels == a].T)[np.triu_indices(int((labels == a).sum()), 1)].mean() for a in spk]))
    best = (-2.0, 0, 0)
    for i, a in enumerate(spk):
        for b in spk[i + 1 :]:
            best = max(best, (float((seg[labels == a] @ seg[labels == b].T).mean()), a, b))
    return {'voices': [int(best[1]), int(best[2])], 'crossSimilarity': round(best[0], 3), 'meanWithinSimilarity': round(within, 3)}


def fillets_clips(limit: int, seed: int, lang: str = 'nl') -> list[list[np.ndarray]] | None:
    """A dub's two fish, each voiced by one actor: lines whose speaker code is m or v."""
    files = sorted(glob.glob(os.path.join(FILLETS, '*', lang, '*.ogg')))
    if not files:
        return None
    rng = random.Random(seed)
    out = []
    for code in ('m', 'v'):
        pick = [f for f in files if os.path.basename(f).split('-')[1:2] == [code]]
        rng.shuffle(pick)
        clips = []
        for f in pick[:limit]:
            raw = subprocess.run(['ffmpeg', '-v', 'error', '-i', f, '-ac', '1', '-ar', str(dsp.SR), '-f', 's16le', '-'], capture_output=True, check=True).stdout
            x = np.frombuffer(raw, '<i2').astype(np.float32) / 32768.0
            if len(x) >= dsp.SR:
                clips.append(x)
        out.append(clips)
    return out


def main() -> None:
    t0 = time.time()
    if not real.available():
        sys.exit(f'real recordings missing under {real.ROOT}: run bash scripts/real-audio.sh --training (train_voice.sh does)')
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as root:
        variants = sources.make_espeak_variants(root, RECIPE['random'], SEED + 1)
        speakers = speaker_jobs(rng, root, variants)
        train_clips = render_speakers(speakers, rng)
    log(f'rendered {len(speakers)} training speakers ({time.time() - t0:.0f} s)')
    beds = sources.render_sox_all(sources.sox_chord_jobs('train', 30, SEED + 2))
    x, y, _ = speaker_windows(train_clips, beds, SEED + 3)
    log(f'{len(x)} training windows, {x.shape[1]} features ({time.time() - t0:.0f} s)')
    params = train(x, y)

    held_sets = {
        'evalVoices': render_speakers(EVAL_VOICES, random.Random(SEED + 10)),
        'heldOutVoices': render_speakers(
            [{'engine': 'espeak', 'voice': f'en-us+{v}', 'speed': 160, 'pitch': 50} for v in sources.ESPEAK_HELDOUT_VARIANTS]
            + [{'engine': 'festival', 'voice': v, 'stretch': 1.0} for v in sources.FESTIVAL_VOICES['heldout']],
            random.Random(SEED + 11),
        ),
    }
    held_sets['recordedActors'] = fillets_clips(40, SEED + 12)
    held_sets['recordedActorsCzech'] = fillets_clips(40, SEED + 13, 'cs')
    held_sets['recordedPromptVoices'] = prompt_voice_clips(40)
    results, golden_clips = {}, []
    for name, clips in held_sets.items():
        hx, hy, hp = speaker_windows(clips, None, SEED + 20)
        seg, lab = segments(voice_dsp.embed(hx, params), hy, hp)
        results[name] = {**eer(seg, lab), 'closestPair': closest_pair(seg, lab)}
        if name == 'evalVoices':
            results[name]['closestPair']['names'] = [EVAL_VOICES[i]['voice'] for i in results[name]['closestPair']['voices']]
        log(f'{name}: {results[name]}')
        if name in ('evalVoices', 'heldOutVoices', 'recordedActors'):
            golden_clips.append((f'{name}: first voice', clips[0][0]))
    tx, ty, tp = x[::3], y[::3], _[::3]
    results['train'] = eer(*segments(voice_dsp.embed(tx, params), ty, tp))
    log(f'train (every third window): {results["train"]} ({time.time() - t0:.0f} s)')

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    onnx.save(graphs.build_voice(params, DOC), OUT)
    onnx.save(graphs.build_front(graphs.FRONT_DOC), graphs.FRONT_OUT)
    write_golden(params, golden_clips)
    report = {
        'model': 'voice-embed',
        'version': VERSION,
        'seed': SEED,
        'embeddingDim': voice_dsp.EMBED_DIM,
        'features': voice_dsp.N_VOICE_FEATURES,
        'heldOut': results,
        'data': {
            'trainSpeakers': len(speakers),
            'randomEspeakVariants': len(variants),
            'namedEspeakVariants': sorted({s['voice'].split('+')[-1] for s in speakers if s['engine'] == 'espeak' and 'path' not in s}),
            'festivalVoices': sources.FESTIVAL_VOICES['train'],
            'trainWindows': int(len(x)),
            'trainMinutes': round(sum(len(c) for cs in train_clips for c in cs) / dsp.SR / 60, 1),
            'bedShare': BED_SHARE,
            'heldOutVoices': 'the evaluation set voices (espeak-ng variants m4-m7, f1, f5 in their accents; flite slt, awb, rms, kal16); espeak-ng '
            + ', '.join(sources.ESPEAK_HELDOUT_VARIANTS) + '; festival ' + ', '.join(sources.FESTIVAL_VOICES['heldout'])
            + '; recordedActors: 40 lines each of the two fish of fillets-ng-data-nl (Dutch voice actors); recordedActorsCzech: the same for fillets-ng-data-cs; '
            + 'recordedPromptVoices: 40 prompts of at least 2 s each of asterisk-prompt-es-co and asterisk-prompt-fr-armelle',
        },
        'sha256': golden.sha256_file(OUT),
        'bytes': os.path.getsize(OUT),
    }
    with open(REPORT, 'w') as f:
        json.dump(report, f, indent=1)
        f.write('\n')
    log(f'wrote {OUT} ({os.path.getsize(OUT)} bytes), {REPORT} ({time.time() - t0:.0f} s)')


def write_golden(params: dict, clips: list[tuple[str, np.ndarray]]) -> None:
    """A speech window of each held-out set's first voice and one of digital silence then noise."""
    inputs = [(name, golden.quantize(c[dsp.SR // 2 : dsp.SR // 2 + dsp.SR] * np.float32(0.5 / (np.abs(c).max() + 1e-6)))) for name, c in clips]
    quiet = np.zeros(dsp.SR, np.float32)
    quiet[int(0.4 * dsp.SR) :] = sources.noise('pink', dsp.SR - int(0.4 * dsp.SR), np.random.default_rng(SEED)) * np.float32(0.01)
    inputs.append(('0.4 s digital silence, then quiet pink noise', golden.quantize(quiet)))
    x = np.stack([a for _, a in inputs])
    doc = {
        'about': 'Golden vectors for voice-embed: 1 s 16 kHz inputs as base64 int16 (divide by 32768) and the numpy reference '
        'embeddings. Written by packages/models/training/audio/train_voice.py; do not edit by hand.',
        'sampleRateHz': dsp.SR,
        'inputs': [{'name': n, 'pcm16': golden.encode_pcm16(a)} for n, a in inputs],
        'models': {'voice-embed': {'sha256': golden.sha256_file(OUT), 'embedding': golden.rounded(voice_dsp.voice_forward(x, params))}},
    }
    with open(GOLDEN, 'w') as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write('\n')

if __name__ == '__main__':
    main()
