#!/usr/bin/env bash
# Re-trains voice-embed: weights/voice-embed.onnx, voice-golden.json, voice-embed.report.json and
# its manifest entry. Deterministic for the same Debian package versions; about 1.5 minutes on
# 2 cores. Needs what train.sh installs, and Debian's archive once for the recorded voices its
# report holds out (scripts/real-audio.sh --training).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
py=/usr/bin/python3
"$py" -c 'import numpy, scipy, sklearn, onnx' 2>/dev/null || { echo "run train.sh first: it installs the Debian packages this needs" >&2; exit 1; }
bash "$here/../../../../scripts/real-audio.sh" --training >/dev/null
"$py" train_voice.py
memory="$(node measure_memory.mjs voice-embed)"
"$py" update_manifest.py "$memory"
