#!/usr/bin/env bash
# Re-trains sed-mini: weights/sed-mini.onnx, golden.json, sed-mini.report.json and its manifest
# entry. Deterministic for the same Debian package versions; about 2.5 minutes on 2 cores. Needs
# Debian's python3-numpy/scipy/sklearn/onnx and the audio tools below (installed from Debian's
# packages when run as root), and node with the repo's onnxruntime-node (for the memory figure).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

# One BLAS thread: bit-identical weights on any machine (parallelism comes from the tools).
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
py=/usr/bin/python3

packages=(python3-numpy python3-scipy python3-sklearn python3-onnx espeak-ng flite fluidsynth fluid-soundfont-gm sox ffmpeg
  festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts festvox-ca-ona-hts festvox-czech-dita festvox-czech-krb
  festvox-czech-machac festvox-czech-ph festvox-suopuhe-lj festvox-suopuhe-mv festvox-italp16k festvox-itapc16k)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing Debian packages; install with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "installing ${missing[*]} from Debian's packages…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Recorded voices and music (trained on) and held-out recordings, from Debian's archive.
bash "$here/../../../../scripts/real-audio.sh" --training >/dev/null
"$py" train_sed.py
memory="$(node measure_memory.mjs)"
"$py" update_manifest.py "$memory"
