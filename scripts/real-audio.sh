#!/usr/bin/env bash
# Real recordings from Debian packages, for the checks of VAD, sed-mini and selection on audio
# that no synthesizer made: Dutch dialog lines recorded by voice actors (fillets-ng-data-nl),
# recorded musical loops and textures (sonic-pi-samples) and ALSA's test voice and noise
# (alsa-utils). With --training it also unpacks what sed-mini and voice-embed train on and the
# further held-out speakers their reports use (the list is in
# packages/models/training/audio/real.py; licences in packages/models/weights/NOTICE.md).
# Downloaded once with `apt-get download` and unpacked (not installed) under .data/real-audio;
# nothing is committed. Prints the directory. Needs Debian's archive.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.data/real-audio
pkgs=(fillets-ng-data-nl sonic-pi-samples alsa-utils)
if [ "${1:-}" = "--training" ]; then
  pkgs+=(
    # trained on (CC-BY-3.0 / CC-BY-SA-3.0 recordings, MIT soundfont)
    asterisk-core-sounds-en-g722 asterisk-core-sounds-es-g722 asterisk-core-sounds-fr-g722
    asterisk-core-sounds-it-g722 asterisk-core-sounds-ru-g722 asterisk-prompt-it-menardi-wav
    asterisk-moh-opsound-g722 singularity-music musescore-general-soundfont-small
    # held out: evaluation only
    fillets-ng-data-cs asterisk-prompt-es-co asterisk-prompt-fr-armelle
  )
fi
mkdir -p "$dir/debs" "$dir/x"
updated=0
for p in "${pkgs[@]}"; do
  [ -f "$dir/.unpacked-$p" ] && continue
  # The first layout marked only the default set as a whole.
  if [ -f "$dir/.complete" ] && [[ " fillets-ng-data-nl sonic-pi-samples alsa-utils " == *" $p "* ]]; then
    touch "$dir/.unpacked-$p"
    continue
  fi
  if ! ls "$dir/debs/${p}"_*.deb >/dev/null 2>&1; then
    if ! (cd "$dir/debs" && apt-get download "$p" >/dev/null 2>&1); then
      [ "$updated" = 1 ] || { apt-get update -qq; updated=1; }
      (cd "$dir/debs" && apt-get download "$p" >/dev/null)
    fi
  fi
  for deb in "$dir/debs/${p}"_*.deb; do dpkg -x "$deb" "$dir/x"; done
  touch "$dir/.unpacked-$p"
done
echo "$PWD/$dir/x"
