#!/usr/bin/env bash
# Real recordings from Debian packages, for the checks of VAD, sed-mini and selection on audio
# that no synthesizer made: Dutch dialog lines recorded by voice actors (fillets-ng-data-nl),
# recorded musical loops and textures (sonic-pi-samples) and ALSA's test voice and noise
# (alsa-utils). Downloaded once with `apt-get download` and unpacked (not installed) under
# .data/real-audio; nothing is committed. Prints the directory. Needs Debian's archive.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.data/real-audio
pkgs=(fillets-ng-data-nl sonic-pi-samples alsa-utils)
if [ ! -f "$dir/.complete" ]; then
  mkdir -p "$dir/debs" "$dir/x"
  (cd "$dir/debs" && for p in "${pkgs[@]}"; do ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download "$p" >/dev/null 2>&1 || { apt-get update -qq && apt-get download "$p" >/dev/null; }; done)
  for deb in "$dir"/debs/*.deb; do dpkg -x "$deb" "$dir/x"; done
  touch "$dir/.complete"
fi
echo "$PWD/$dir/x"
