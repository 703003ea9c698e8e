#!/usr/bin/env bash
# Pins the base images of both Dockerfiles by digest: resolves the tag each NODE_IMAGE / CUDA_IMAGE
# default names to its current multi-platform index digest and writes `<tag>@sha256:<digest>`
# back into the ARG default. Needs registry access and `docker buildx`; run it when the Node or
# CUDA version changes and commit the result (a rebuild then gets the same base, byte for byte).
set -euo pipefail
cd "$(dirname "$0")"
for file in Dockerfile Dockerfile.gpu; do
  for arg in NODE_IMAGE CUDA_IMAGE; do
    line=$(grep -E "^ARG ${arg}=" "$file" || true)
    [ -n "$line" ] || continue
    ref=${line#ARG ${arg}=}
    tag=${ref%@*}
    digest=$(docker buildx imagetools inspect "$tag" --format '{{json .Manifest}}' | sed -nE 's/.*"digest":"(sha256:[0-9a-f]{64})".*/\1/p' | head -1)
    [ -n "$digest" ] || { echo "no digest for $tag" >&2; exit 1; }
    sed -i -E "s|^ARG ${arg}=.*|ARG ${arg}=${tag}@${digest}|" "$file"
    echo "$file: $arg=$tag@$digest"
  done
done
