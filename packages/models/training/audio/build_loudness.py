"""Builds weights/loudness.onnx (no training) and its golden outputs.

Run through train.sh, after train_sed.py, which writes the golden inputs both models share.
"""
import os
import sys

import onnx

import dsp
import golden
import graphs

MODELS_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(MODELS_DIR, 'weights', 'loudness.onnx')

DOC = (
    'podpreview loudness 1.0: audio float32 [batch, 16000] (1 s, 16 kHz mono) -> rms_db [batch, 100] '
    '(dBFS per 10 ms frame, floored at -100) and flux [batch, 100] (half-wave-rectified spectral flux '
    'of 20 ms Hann spectra, divided by the frame magnitude sum + 0.15, in [0, 1)). Apache-2.0.'
)


def main() -> None:
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    model = graphs.build_loudness(DOC)
    onnx.save(model, OUT)

    doc = golden.read()
    x = golden.inputs(doc)
    rms_db, flux = dsp.loudness_forward(x)
    doc.setdefault('models', {})['loudness'] = {
        'sha256': golden.sha256_file(OUT),
        'rms_db': golden.rounded(rms_db, 4),
        'flux': golden.rounded(flux, 6),
    }
    golden.write(doc)
    print(f'loudness: wrote {OUT} ({os.path.getsize(OUT)} bytes, sha256 {golden.sha256_file(OUT)})', file=sys.stderr)


if __name__ == '__main__':
    main()
