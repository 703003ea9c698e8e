"""Trains sed-mini: per-second speech / music / noise-silence probabilities, exported as one ONNX
graph that computes its own log-mel features. Run through train.sh.

Steps: render voices, songs and chords (sources.py), assemble labelled pseudo-episodes and pass
many through lossy codecs (episodes.py), cut 1 s windows every 0.5 s, pool log-mel statistics
(dsp.py), train three small MLPs merged into one, check it on held-out voices and instruments,
export it (graphs.py), and write golden vectors.
"""
import json
import os
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import onnx
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import dsp
import episodes
import golden
import graphs
import real
import rooms
import sources

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.abspath(os.path.join(HERE, '..', '..'))
OUT = os.path.join(MODELS_DIR, 'weights', 'sed-mini.onnx')
REPORT = os.path.join(HERE, 'sed-mini.report.json')
VERSION = '1.2'
SEED = 20250601

# How much material each split gets (paragraphs of 3-6 sentences; songs of 8-20 s).
# espeak: paragraphs over the named variants; espeakRandom: one paragraph per random variant.
# real: recorded voices and music (real.py) join the training split; realMusic excerpts of
# 8-20 s; museScore: share of song batches rendered with MuseScore's soundfont, not Fluid's.
RECIPE = {
    'train': {'espeak': 120, 'espeakRandom': 160, 'flite': 28, 'festival': 66, 'songs': 260, 'sox': 60, 'real': True, 'realMusic': 120, 'museScore': 0.4},
    'heldout': {'espeak': 45, 'espeakRandom': 0, 'flite': 8, 'festival': 10, 'songs': 60, 'sox': 12, 'real': False, 'realMusic': 0, 'museScore': 0.0},
}
HIDDEN = 64  # units per MLP
ENSEMBLE = 3  # MLPs from different seeds, averaged in logit space
ALPHA = 0.1  # L2 penalty

DOC = (
    f'podpreview sed-mini {VERSION}: spectra float32 [batch, 49, 208] (one 1 s window\'s frames of the audio-spectra '
    'front end) -> probs float32 [batch, 3], independent sigmoids for [speech, music, noise] (noise = neither speech nor '
    'music: silence, hum, hiss, room tone). Log-mel (25 ms Hann frames every 20 ms, 512-point DFT, 48 mel bands '
    '50-8000 Hz, logged under a floor that follows the window\'s loudest frame), pooled statistics, MLP. Trained on synthetic voices and General '
    'MIDI music plus recorded voices and music from Debian packages (weights/NOTICE.md), dry and in '
    'reverberant rooms, by '
    'packages/models/training/audio/train.sh. Apache-2.0.'
)


def log(msg: str) -> None:
    print(f'[{time.strftime("%H:%M:%S")}] {msg}', file=sys.stderr, flush=True)


def render_split(split: str, seed: int) -> tuple[list[np.ndarray], list[str], list[np.ndarray], list[str], dict]:
    r = RECIPE[split]
    with tempfile.TemporaryDirectory() as espeak_root:
        variants = sources.make_espeak_variants(espeak_root, r['espeakRandom'], seed + 4) if r['espeakRandom'] else []
        jobs = sources.speech_jobs(split, r, seed, (espeak_root, variants) if variants else None)
        clips = sources.render_speech_all(jobs)
    # A voice that cannot say a text renders (almost) nothing: leave that paragraph out.
    kept = [i for i, c in enumerate(clips) if len(c) >= dsp.SR]
    speech = [clips[i] for i in kept]
    speakers = [f'{jobs[i]["engine"]}:{jobs[i]["voice"]}' for i in kept]
    songs = sources.render_music_all(sources.song_batches(split, r['songs'], 10, seed + 1, r['museScore']))
    chords = sources.render_sox_all(sources.sox_chord_jobs(split, r['sox'], seed + 2))
    music = [c for c, _ in songs] + chords
    music_names = [_song_name(d) for _, d in songs] + ['sox chords'] * len(chords)
    real_info = {}
    if r['real']:
        rng = np.random.default_rng(seed + 5)
        voices, voice_names = real.speech_paragraphs(rng, sources.WORKERS)
        speech += voices
        speakers += voice_names
        tracks, track_names, _, _ = real.music_tracks(sources.WORKERS)
        excerpts, excerpt_names = real.music_excerpts(tracks, track_names, r['realMusic'], rng)
        music += excerpts
        music_names += excerpt_names
        real_info = {
            'realSpeechMinutes': round(sum(len(v) for v in voices) / dsp.SR / 60, 1),
            'realSpeakers': sorted(set(voice_names)),
            'realMusicMinutes': round(sum(len(m) for m in excerpts) / dsp.SR / 60, 1),
            'realMusicTracks': len(tracks),
        }
    programs = sorted({p for _, d in songs for k, p in d['programs'].items() if k != 'drums'})
    info = {
        'randomEspeakVariants': len(variants),
        'speechMinutes': round(sum(len(s) for s in speech) / dsp.SR / 60, 1),
        'musicMinutes': round(sum(len(m) for m in music) / dsp.SR / 60, 1),
        'voices': sorted({_voice_name(j) for j in jobs}),
        'programs': programs,
        'songs': len(songs),
        'soxChordClips': len(chords),
        **real_info,
    }
    return speech, speakers, music, music_names, info


def _song_name(desc: dict) -> str:
    return ' '.join(f'{role}:{p}' for role, p in desc['programs'].items())


def _voice_name(job: dict) -> str:
    if job['engine'] != 'espeak':
        return f'{job["engine"]}:{job["voice"]}'
    return 'espeak:random variants' if 'path' in job else f'espeak:{job["voice"].split("+")[-1]}'


def featurize(audio: np.ndarray) -> np.ndarray:
    c = dsp.sed_constants()
    return np.concatenate([dsp.pooled_features(*dsp.spectra(audio[i : i + 256], c), c) for i in range(0, len(audio), 256)])


def window_meta(ep: dict, n: int, speakers: list[str], music_names: list[str]) -> list[dict]:
    """What each window's centre falls on: segment kind, voice, codec (for error breakdowns)."""
    out = []
    for i in range(n):
        mid = i * episodes.HOP + dsp.WINDOW // 2
        seg = next((s for s in ep['segments'] if s['start'] <= mid < s['end']), None)
        out.append({
            'kind': seg['kind'] if seg else 'pause',
            'speaker': speakers[seg['speech']] if seg and 'speech' in seg else None,
            'music': ' + '.join(music_names[j] for j in seg.get('music', [])) if seg else None,
            'codec': ep['codec'].split()[0],
        })
    return out


CACHE = os.path.abspath(os.path.join(MODELS_DIR, '..', '..', '.data', 'sed-mini-windows'))


def cached_split(split: str, seed: int, keep_audio: bool = False) -> dict:
    """build_split, kept under .data/sed-mini-windows keyed by the recipe and the code that renders
    it: re-running the fit alone (another MLP size, say) then takes minutes, not the render."""
    import hashlib
    import pickle

    h = hashlib.sha256(json.dumps([split, seed, keep_audio, RECIPE[split]]).encode())
    for name in ('sources.py', 'episodes.py', 'real.py', 'midi.py', 'text.py', 'dsp.py', 'train_sed.py'):
        with open(os.path.join(HERE, name), 'rb') as f:
            h.update(f.read() if name != 'train_sed.py' else f.read().split(b'def render_split', 1)[1].split(b'def golden_examples', 1)[0])
    path = os.path.join(CACHE, f'{split}-{h.hexdigest()[:16]}.pkl')
    if os.path.exists(path):
        log(f'{split}: windows from {path}')
        with open(path, 'rb') as f:
            return pickle.load(f)
    out = build_split(split, seed, keep_audio)
    os.makedirs(CACHE, exist_ok=True)
    with open(path + '.tmp', 'wb') as f:
        pickle.dump(out, f, protocol=4)
    os.replace(path + '.tmp', path)
    return out


def build_split(split: str, seed: int, keep_audio: bool = False) -> dict:
    t0 = time.time()
    speech, speakers, music, music_names, info = render_split(split, seed)
    log(f'{split}: rendered {info["speechMinutes"]} min speech, {info["musicMinutes"]} min music ({time.time() - t0:.0f} s)')
    rng = np.random.default_rng(seed + 3)
    eps = episodes.draw_episodes(speech, music, rng)
    with ThreadPoolExecutor(sources.WORKERS) as pool:
        for ep, audio in zip(eps, pool.map(lambda e: episodes.codec_roundtrip(e['audio'], e['codec']), eps)):
            ep['audio'], ep['codec'] = audio, episodes.codec_name(ep['codec'])
    log(f'{split}: {len(eps)} episodes, {sum(len(e["audio"]) for e in eps) / dsp.SR / 60:.1f} min ({time.time() - t0:.0f} s)')

    def one(ep: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, list[dict]]:
        audio, labels = episodes.windows(ep)
        return featurize(audio), labels, audio if keep_audio else None, window_meta(ep, len(audio), speakers, music_names)

    with ThreadPoolExecutor(sources.WORKERS) as pool:
        parts = list(pool.map(one, eps))
    feats = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    meta = [m for p in parts for m in p[3]]
    keep = (labels != episodes.IGNORE).all(axis=1)
    info['episodes'] = len(eps)
    info['minutes'] = round(sum(len(e['audio']) for e in eps) / dsp.SR / 60, 1)
    info['windows'] = int(keep.sum())
    info['ambiguousWindowsDropped'] = int((~keep).sum())
    info['codecs'] = {k: sum(e['codec'].split()[0] == k for e in eps) for k in ('none', 'mp3', 'opus', 'vorbis', 'band-limited')}
    log(f'{split}: {keep.sum()} windows kept, {(~keep).sum()} ambiguous dropped ({time.time() - t0:.0f} s)')
    out = {'x': feats[keep], 'y': labels[keep].astype(np.int64), 'meta': [m for m, k in zip(meta, keep) if k], 'info': info}
    if keep_audio:
        out['audio'] = np.concatenate([p[2] for p in parts])[keep]
    return out


def golden_examples(split: dict, params: dict) -> dict:
    """Held-out windows for the golden vectors: a clear one of each class, and the one the model
    is least sure about (outputs near 0.5 show a wrong graph that saturated ones would hide)."""
    examples = {}
    for name, want in (('speech', (1, 0, 0)), ('music', (0, 1, 0)), ('noise', (0, 0, 1))):
        rows = np.where((split['y'] == want).all(axis=1))[0]
        rows = rows[np.sqrt(np.mean(np.square(split['audio'][rows]), axis=1)) > 1e-3]
        examples[name] = split['audio'][rows[len(rows) // 2]]
    p = dsp.mlp_forward(split['x'], params)
    examples['uncertain'] = split['audio'][int(np.argmin(np.abs(p - 0.5).min(axis=1)))]
    return examples


ROOMS_SEED_OFFSET = 7


def cached_rooms_part(seed: int) -> dict:
    """The reverberant part of the training split (rooms.py), cached under its own key: changing
    it re-renders only this part."""
    import hashlib
    import pickle

    h = hashlib.sha256(str(seed).encode())
    for name in ('rooms.py', 'real.py', 'episodes.py', 'sources.py', 'dsp.py'):
        with open(os.path.join(HERE, name), 'rb') as f:
            h.update(f.read())
    with open(os.path.join(HERE, 'train_sed.py'), 'rb') as f:
        h.update(f.read().split(b'def cached_rooms_part', 1)[1].split(b'def train(', 1)[0])
    path = os.path.join(CACHE, f'rooms-{h.hexdigest()[:16]}.pkl')
    if os.path.exists(path):
        log(f'rooms: windows from {path}')
        with open(path, 'rb') as f:
            return pickle.load(f)
    t0 = time.time()
    rng = np.random.default_rng(seed)
    speech, speakers = rooms.speech_paragraphs(rng, sources.WORKERS)
    music, music_names = rooms.music_excerpts(rng, sources.WORKERS)
    log(f'rooms: {sum(map(len, speech)) / dsp.SR / 60:.1f} min speech, {sum(map(len, music)) / dsp.SR / 60:.1f} min music ({time.time() - t0:.0f} s)')
    eps = episodes.draw_episodes(speech, music, rng)

    def one(ep: dict) -> tuple[np.ndarray, np.ndarray, list[dict]]:
        audio = episodes.codec_roundtrip(ep['audio'], ep['codec'])
        ep['audio'], ep['codec'] = audio, episodes.codec_name(ep['codec'])
        win, labels = episodes.windows(ep)
        return featurize(win), labels, window_meta(ep, len(win), speakers, music_names)

    with ThreadPoolExecutor(sources.WORKERS) as pool:
        parts = list(pool.map(one, eps))
    labels = np.concatenate([p[1] for p in parts])
    keep = (labels != episodes.IGNORE).all(axis=1)
    meta = [m for p in parts for m in p[2]]
    info = {
        'speechMinutes': round(sum(map(len, speech)) / dsp.SR / 60, 1),
        'musicMinutes': round(sum(map(len, music)) / dsp.SR / 60, 1),
        'episodes': len(eps),
        'minutes': round(sum(len(e['audio']) for e in eps) / dsp.SR / 60, 1),
        'windows': int(keep.sum()),
        'rt60Sec': list(rooms.RT60_SEC),
        'directToReverberantDb': list(rooms.DRR_DB),
    }
    out = {'x': np.concatenate([p[0] for p in parts])[keep], 'y': labels[keep].astype(np.int64), 'meta': [m for m, k in zip(meta, keep) if k], 'info': info}
    log(f'rooms: {len(eps)} episodes, {keep.sum()} windows ({time.time() - t0:.0f} s)')
    os.makedirs(CACHE, exist_ok=True)
    with open(path + '.tmp', 'wb') as f:
        pickle.dump(out, f, protocol=4)
    os.replace(path + '.tmp', path)
    return out


def train(x: np.ndarray, y: np.ndarray) -> dict:
    """Trains ENSEMBLE small MLPs (one seed each) and merges them into one wider MLP whose output is
    the mean of their logits: hidden layers side by side, output weights stacked and divided."""
    mean = x.mean(axis=0)
    std = x.std(axis=0) + 1e-3
    z = (x - mean) / std
    nets = []
    for k in range(ENSEMBLE):
        clf = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=ALPHA, batch_size=256, learning_rate_init=1e-3, max_iter=150, random_state=SEED + k, tol=1e-5, n_iter_no_change=15)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', ConvergenceWarning)  # a fixed epoch budget is the point
            clf.fit(z, y)
        nets.append(clf)
        log(f'MLP {k + 1}/{ENSEMBLE}: {clf.n_iter_} epochs, loss {clf.loss_:.4f}')
    return {
        'mean': mean.astype(np.float32),
        'inv_std': (1.0 / std).astype(np.float32),
        'weights': [np.concatenate([n.coefs_[0] for n in nets], axis=1).astype(np.float32), (np.concatenate([n.coefs_[1] for n in nets], axis=0) / ENSEMBLE).astype(np.float32)],
        'biases': [np.concatenate([n.intercepts_[0] for n in nets]).astype(np.float32), np.mean([n.intercepts_[1] for n in nets], axis=0).astype(np.float32)],
        'epochs': [int(n.n_iter_) for n in nets],
    }


def evaluate(params: dict, x: np.ndarray, y: np.ndarray) -> dict:
    pred = (dsp.mlp_forward(x, params) >= 0.5).astype(np.int64)
    out = {f'{c}Accuracy': round(float((pred[:, i] == y[:, i]).mean()), 4) for i, c in enumerate(dsp.CLASSES)}
    out['exactMatch'] = round(float((pred == y).all(axis=1).mean()), 4)
    for name, combo in (('speechOnly', (1, 0, 0)), ('speechOverMusic', (1, 1, 0)), ('musicOnly', (0, 1, 0)), ('noiseOnly', (0, 0, 1))):
        rows = (y == combo).all(axis=1)
        out[f'{name}Windows'] = int(rows.sum())
        out[f'{name}ExactMatch'] = round(float((pred[rows] == y[rows]).all(axis=1).mean()), 4) if rows.any() else 0
    return out


def breakdown(params: dict, split: dict) -> dict:
    """Held-out exact-match rate by voice, segment kind and codec: where the errors are."""
    ok = (((dsp.mlp_forward(split['x'], params) >= 0.5).astype(np.int64)) == split['y']).all(axis=1)
    out: dict = {}
    for key in ('speaker', 'kind', 'codec'):
        groups: dict = {}
        for m, good in zip(split['meta'], ok):
            name = m[key] or '-'
            if key == 'speaker' and name.startswith('espeak:'):
                name = 'espeak:' + name.split('+')[-1]  # the variant; accents pooled
            n, k = groups.get(name, (0, 0))
            groups[name] = (n + 1, k + int(good))
        out[key] = {g: {'windows': n, 'exactMatch': round(k / n, 3)} for g, (n, k) in sorted(groups.items())}
    return out


def clip_windows(x: np.ndarray) -> np.ndarray:
    """A clip's 1 s windows every 0.5 s, the tail zero-padded, as runSoundEvents cuts them."""
    n = 1 if len(x) <= dsp.WINDOW else int(np.ceil((len(x) - dsp.WINDOW) / episodes.HOP)) + 1
    padded = np.zeros((n - 1) * episodes.HOP + dsp.WINDOW, np.float32)
    padded[: len(x)] = x
    return padded[np.arange(n)[:, None] * episodes.HOP + np.arange(dsp.WINDOW)[None, :]]


def real_heldout(params: dict) -> dict:
    """Held-out recordings scored like src/real-recordings.test.ts: a clip is right when the class
    with the highest mean probability over its windows is its truth. Per source, with a 95 % interval."""
    clips = real.heldout_clips(sources.WORKERS)
    _, _, tracks, track_names = real.music_tracks(sources.WORKERS)
    for t, name in zip(tracks, track_names):
        for k in range(3):
            start = int((k + 1) * len(t) / 4 - 5 * dsp.SR)
            clips.append((f'held-out tracks ({name.split(":")[0]})', 'music', t[max(0, start) : max(0, start) + 10 * dsp.SR]))

    def top(x: np.ndarray) -> str:
        p = dsp.mlp_forward(featurize(clip_windows(x)), params).mean(axis=0)
        return dsp.CLASSES[int(np.argmax(p))]

    with ThreadPoolExecutor(sources.WORKERS) as pool:
        tops = list(pool.map(lambda c: top(c[2]), clips))
    out: dict = {}
    for (source, truth, _), got in zip(clips, tops):
        row = out.setdefault(source, {'truth': truth, 'clips': 0, 'right': 0, 'confusedWith': {}})
        row['clips'] += 1
        row['right'] += int(got == truth)
        if got != truth:
            row['confusedWith'][got] = row['confusedWith'].get(got, 0) + 1
    for row in out.values():
        row['recall'] = round(row['right'] / row['clips'], 3)
        row['ci95'] = [round(v, 3) for v in wilson(row['right'], row['clips'])]
    return out


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (float(max(0.0, c - h)), float(min(1.0, c + h)))


def write_golden(params: dict, examples: dict) -> None:
    silence_then_noise = examples['noise'].copy()
    silence_then_noise[: int(0.35 * dsp.SR)] = 0.0  # digital silence: the -100 dB floor
    names = [
        ('held-out speech window', examples['speech']),
        ('held-out music window', examples['music']),
        ('0.35 s digital silence, then held-out noise', silence_then_noise),
        ('the held-out window sed-mini is least sure about', examples['uncertain']),
    ]
    doc = {'inputs': [{'name': n, 'pcm16': golden.encode_pcm16(a)} for n, a in names]}
    x = golden.inputs(doc)
    doc['models'] = {'sed-mini': {'sha256': golden.sha256_file(OUT), 'probs': golden.rounded(dsp.sed_forward(x, params))}}
    golden.write(doc)


def main() -> None:
    t0 = time.time()
    if not real.available():
        sys.exit(f'real recordings missing under {real.ROOT}: run bash scripts/real-audio.sh --training (train.sh does)')
    base = cached_split('train', SEED)
    rooms_part = cached_rooms_part(SEED + ROOMS_SEED_OFFSET)
    held = cached_split('heldout', SEED + 100, keep_audio=True)
    x_train, y_train = np.concatenate([base['x'], rooms_part['x']]), np.concatenate([base['y'], rooms_part['y']])
    log(f'training {ENSEMBLE} MLPs ({HIDDEN} hidden) on {len(x_train)} windows ({len(rooms_part["x"])} reverberant), {x_train.shape[1]} features')
    params = train(x_train, y_train)
    train_metrics = evaluate(params, x_train, y_train)
    held_metrics = evaluate(params, held['x'], held['y'])
    log(f'train: {train_metrics}')
    log(f'held-out: {held_metrics}')
    held_real = real_heldout(params)
    for source, row in held_real.items():
        log(f'held-out real {source}: {row["truth"]} {row["right"]}/{row["clips"]} {row["confusedWith"]}')

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    onnx.save(graphs.build_sed(params, DOC), OUT)
    onnx.save(graphs.build_front(graphs.FRONT_DOC), graphs.FRONT_OUT)
    write_golden(params, golden_examples(held, params))
    report = {
        'model': 'sed-mini',
        'version': VERSION,
        'seed': SEED,
        'classes': dsp.CLASSES,
        'mlp': {'hidden': HIDDEN, 'ensemble': ENSEMBLE, 'alpha': ALPHA, 'epochs': params['epochs']},
        'features': dsp.N_FEATURES,
        'heldOut': held_metrics,
        'heldOutBreakdown': breakdown(params, held),
        'heldOutRecordings': held_real,
        'train': train_metrics,
        'data': {'train': base['info'], 'trainRooms': rooms_part['info'], 'heldout': held['info'], 'heldoutPrograms': sorted(sources.HELDOUT_PROGRAMS)},
        'sha256': golden.sha256_file(OUT),
        'bytes': os.path.getsize(OUT),
    }
    with open(REPORT, 'w') as f:
        json.dump(report, f, indent=1)
        f.write('\n')
    log(f'wrote {OUT} ({report["bytes"]} bytes) in {time.time() - t0:.0f} s')


if __name__ == '__main__':
    main()
