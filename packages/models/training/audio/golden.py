"""golden.json: a few fixed 1 s inputs and the numpy reference outputs of each model.

Inputs are stored as base64 little-endian int16 (exact in float32 after /32768), so the file
stays small and the TypeScript test feeds onnxruntime exactly what numpy saw.
"""
import base64
import hashlib
import json
import os

import numpy as np

import dsp

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden.json')


def encode_pcm16(x: np.ndarray) -> str:
    q = np.clip(np.round(x * 32768.0), -32768, 32767).astype('<i2')
    return base64.b64encode(q.tobytes()).decode('ascii')


def decode_pcm16(s: str) -> np.ndarray:
    return (np.frombuffer(base64.b64decode(s), dtype='<i2').astype(np.float32) / 32768.0).astype(np.float32)


def quantize(x: np.ndarray) -> np.ndarray:
    """What an input becomes after the int16 round trip."""
    return decode_pcm16(encode_pcm16(x))


def read() -> dict:
    if not os.path.exists(PATH):
        return {}
    with open(PATH) as f:
        return json.load(f)


def inputs(doc: dict) -> np.ndarray:
    if not doc.get('inputs'):
        raise SystemExit(f'{PATH} has no inputs yet: run train_sed.py first')
    return np.stack([decode_pcm16(i['pcm16']) for i in doc['inputs']])


def sha256_file(path: str) -> str:
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def write(doc: dict) -> None:
    doc['about'] = (
        'Golden vectors for packages/models (sed-mini): 1 s 16 kHz inputs as base64 int16 '
        '(divide by 32768), and the numpy reference outputs of each model. Written by '
        'packages/models/training/audio/train_sed.py; do not edit by hand.'
    )
    doc['sampleRateHz'] = dsp.SR
    with open(PATH, 'w') as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write('\n')


def rounded(a: np.ndarray, digits: int = 6) -> list:
    return np.round(a.astype(np.float64), digits).tolist()
