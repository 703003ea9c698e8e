"""Rebuilds the audio models' ONNX graphs from the weights in the current files, without training:
for a change of graph (graphs.py) that leaves what the models compute as it is. Writes
weights/audio-spectra.onnx, sed-mini.onnx and voice-embed.onnx, the version and file fields of
their training reports and golden files, and their manifest entries (update_manifest.py).
The golden outputs stay: they are the numpy reference of the same computation, and the
TypeScript golden tests check the rebuilt graphs against them.
Usage: regraph.py '{"sed-mini": MB, "voice-embed": MB, "audio-spectra": MB}' (measure_memory.mjs)
"""
import json
import os
import sys

import onnx
from onnx import numpy_helper

import golden
import graphs
import train_sed
import train_voice
import update_manifest


def initializers(path: str) -> dict:
    return {t.name: numpy_helper.to_array(t) for t in onnx.load(path).graph.initializer}


def sed_params(path: str) -> dict:
    w = initializers(path)
    layers = sorted(int(k[1:]) for k in w if k.startswith('w') and k[1:].isdigit())
    return {'mean': w['feat_mean'], 'inv_std': w['feat_inv_std'], 'weights': [w[f'w{i}'] for i in layers], 'biases': [w[f'b{i}'] for i in layers]}


def voice_params(path: str) -> dict:
    w = initializers(path)
    return {'mean': w['feat_mean'], 'inv_std': w['feat_inv_std'], 'proj': w['proj']}


def restamp(json_path: str, model_path: str, version: str | None, key: str | None = None) -> None:
    """The file fields (and version) of a report or golden file, for the rebuilt model."""
    with open(json_path) as f:
        doc = json.load(f)
    target = doc['models'][key] if key else doc
    target['sha256'] = golden.sha256_file(model_path)
    if 'bytes' in target:
        target['bytes'] = os.path.getsize(model_path)
    if version:
        doc['version'] = version
    with open(json_path, 'w') as f:
        json.dump(doc, f, indent=1, **({'sort_keys': True} if key else {}))
        f.write('\n')


def main() -> None:
    memory = json.loads(sys.argv[1])
    sed, voice = sed_params(train_sed.OUT), voice_params(train_voice.OUT)
    onnx.save(graphs.build_front(graphs.FRONT_DOC), graphs.FRONT_OUT)
    onnx.save(graphs.build_sed(sed, train_sed.DOC), train_sed.OUT)
    onnx.save(graphs.build_voice(voice, train_voice.DOC), train_voice.OUT)
    restamp(train_sed.REPORT, train_sed.OUT, train_sed.VERSION)
    restamp(train_voice.REPORT, train_voice.OUT, train_voice.VERSION)
    restamp(golden.PATH, train_sed.OUT, None, 'sed-mini')
    restamp(train_voice.GOLDEN, train_voice.OUT, None, 'voice-embed')
    update_manifest.write(memory)


if __name__ == '__main__':
    main()
