#!/usr/bin/env bash
# Prints the path of a kustomize able to render infra/k8s (kustomize v5: `labels`, targeted
# `patches`, `replacements`). kubectl 1.27 or newer bundles one (`kubectl kustomize`); Debian 12's
# kubernetes-client is kubectl 1.20, whose kustomize v2.0.3 rejects these manifests. Otherwise
# Debian 13's kustomize package (a static binary) is downloaded once from Debian's archive with a
# private apt configuration (the system's sources are left alone) and unpacked, not installed,
# under .data/tools/kustomize. Prints "kubectl" when kubectl's own kustomize will do.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v kubectl >/dev/null 2>&1 && kubectl version --client 2>/dev/null | grep -qE '^Kustomize Version: v5'; then
  echo kubectl
  exit 0
fi
dir=$PWD/.data/tools/kustomize
bin=$dir/x/usr/bin/kustomize
if [ ! -x "$bin" ]; then
  mkdir -p "$dir/lists/partial" "$dir/debs"
  echo 'deb http://deb.debian.org/debian trixie main' > "$dir/sources.list"
  apt=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$dir/lists" -o APT::Get::List-Cleanup=0)
  apt-get "${apt[@]}" update -qq >/dev/null
  (cd "$dir/debs" && apt-get "${apt[@]}" download kustomize >/dev/null 2>&1)
  dpkg -x "$dir"/debs/kustomize_*.deb "$dir/x"
  rm -rf "$dir/lists"
fi
echo "$bin"
