#!/usr/bin/env bash
# Offline checks of the Kubernetes material: renders both overlays with `kubectl kustomize`
# and checks what the design promises. Exits 1 if a check fails; skips (exit 0) with a
# reason when kubectl is missing. No cluster or network needed.
#
#   infra/check.sh
#
# Checks, per overlay (local, gke):
#   - every stage in packages/shared/src/stages.ts has a Deployment worker-<stage> running
#     `--stages <stage>`;
#   - the GPU stages (gpu: true there) request nvidia.com/gpu, select T4 nodes and run the GPU
#     image in gke, and do none of that in local; the CPU stages never request a GPU;
#   - every worker's terminationGracePeriodSeconds exceeds PODPREVIEW_SHUTDOWN_GRACE_MS;
#   - Redis runs with maxmemory-policy noeviction and appendonly yes;
#   - the producer's containerPort equals PODPREVIEW_HTTP_PORT;
#   - the rendered ConfigMap (plus each GPU Deployment's own env) holds every variable of
#     packages/shared/src/config.ts and passes its loadConfig (only when the repo's
#     node_modules are installed; skipped with a message otherwise).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

if ! command -v kubectl >/dev/null 2>&1; then
  echo "check.sh: SKIP: kubectl not found (install kubectl >= 1.27, which bundles kustomize v5)"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
ok() { echo "  ok    $*"; }
bad() { echo "  FAIL  $*"; failures=$((failures + 1)); }

# The stage registry is the source of truth; fall back to the known list if its format moves.
stages_ts="$root/packages/shared/src/stages.ts"
all_stages=$(sed -n "s/.*{ name: '\([a-z-]*\)'.*gpu: [a-z]*.*/\1/p" "$stages_ts" 2>/dev/null)
gpu_stages=$(sed -n "s/.*{ name: '\([a-z-]*\)'.*gpu: true.*/\1/p" "$stages_ts" 2>/dev/null)
if [ -z "$all_stages" ]; then
  echo "check.sh: could not read the stage list from $stages_ts; using the built-in one"
  all_stages="preprocess ensemble-a ensemble-b selection sink"
  gpu_stages="ensemble-a ensemble-b"
fi
is_gpu() { case " $(echo $gpu_stages) " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# Prints the rendered document of kind $1 named $2 (metadata.name) from file $3.
doc() {
  awk -v kind="$1" -v name="$2" '
    function flush() {
      if (d ~ ("\nkind: " kind "\n") && d ~ ("\n  name: " name "\n")) printf "%s", d
      d = "\n"
    }
    BEGIN { d = "\n" }
    /^---$/ { flush(); next }
    { d = d $0 "\n" }
    END { flush() }' "$3"
}

# Prints KEY=VALUE for every entry of the rendered ConfigMap podpreview-config-<hash>.
configmap_env() {
  awk '
    function flush() {
      if (d ~ /\nkind: ConfigMap\n/ && d ~ /\n  name: podpreview-config/) printf "%s", data
      d = "\n"; data = ""; indata = 0
    }
    BEGIN { d = "\n" }
    /^---$/ { flush(); next }
    { d = d $0 "\n" }
    /^data:/ { indata = 1; next }
    /^[^ ]/ { indata = 0 }
    indata && /^  [A-Za-z0-9_]+:/ {
      line = $0; sub(/^  /, "", line)
      key = line; sub(/:.*/, "", key)
      val = line; sub(/^[^:]*: ?/, "", val)
      if (val ~ /^".*"$/ || val ~ /^'\''.*'\''$/) val = substr(val, 2, length(val) - 2)
      data = data key "=" val "\n"
    }
    END { flush() }' "$1"
}

have_tsx=0
if command -v node >/dev/null 2>&1 && [ -d "$root/node_modules/tsx" ]; then have_tsx=1; fi

for overlay in local gke; do
  out="$tmp/$overlay.yaml"
  echo "overlay $overlay"
  if ! kubectl kustomize "$here/k8s/overlays/$overlay" >"$out" 2>"$tmp/err"; then
    bad "kubectl kustomize infra/k8s/overlays/$overlay: $(cat "$tmp/err")"
    continue
  fi
  ok "renders ($(grep -c '^kind:' "$out") objects)"

  configmap_env "$out" >"$tmp/$overlay.env"
  grace_ms=$(sed -n 's/^PODPREVIEW_SHUTDOWN_GRACE_MS=//p' "$tmp/$overlay.env")
  http_port=$(sed -n 's/^PODPREVIEW_HTTP_PORT=//p' "$tmp/$overlay.env")
  [ -n "$grace_ms" ] || grace_ms=30000
  [ -n "$http_port" ] || http_port=8080

  for stage in $all_stages; do
    d=$(doc Deployment "worker-$stage" "$out")
    if [ -z "$d" ]; then bad "no Deployment worker-$stage"; continue; fi
    if ! printf '%s\n' "$d" | grep -A2 -e '- --stages$' | grep -qx -e "        - $stage"; then
      bad "worker-$stage does not run --stages $stage"
    fi
    tgp=$(printf '%s\n' "$d" | sed -n 's/^ *terminationGracePeriodSeconds: *//p')
    if [ -z "$tgp" ] || [ $((tgp * 1000)) -le "$grace_ms" ]; then
      bad "worker-$stage terminationGracePeriodSeconds=${tgp:-unset} not above PODPREVIEW_SHUTDOWN_GRACE_MS=${grace_ms}"
    fi
    gpu_limit=$(printf '%s\n' "$d" | grep -c 'nvidia.com/gpu: ')
    t4=$(printf '%s\n' "$d" | grep -c 'cloud.google.com/gke-accelerator: nvidia-tesla-t4')
    gpu_image=$(printf '%s\n' "$d" | grep -c 'image: .*podpreview-gpu')
    if is_gpu "$stage" && [ "$overlay" = gke ]; then
      if [ "$gpu_limit" -ge 1 ] && [ "$t4" -ge 1 ] && [ "$gpu_image" -ge 1 ]; then
        ok "worker-$stage requests nvidia.com/gpu on T4 nodes with the GPU image"
      else
        bad "worker-$stage (GPU stage) in gke: nvidia.com/gpu=$gpu_limit t4-selector=$t4 gpu-image=$gpu_image"
      fi
    elif is_gpu "$stage"; then
      if [ "$gpu_limit" -eq 0 ] && [ "$t4" -eq 0 ] && [ "$gpu_image" -eq 0 ]; then
        ok "worker-$stage runs CPU-only (no nvidia.com/gpu, no T4 selector, CPU image)"
      else
        bad "worker-$stage in $overlay still has GPU fields: nvidia.com/gpu=$gpu_limit t4-selector=$t4 gpu-image=$gpu_image"
      fi
    elif [ "$gpu_limit" -ne 0 ] || [ "$t4" -ne 0 ]; then
      bad "worker-$stage (CPU stage) requests a GPU or T4 node"
    fi
  done
  ok "stages ${all_stages//$'\n'/, } have workers; grace periods exceed ${grace_ms} ms"

  r=$(doc StatefulSet redis "$out")
  if printf '%s\n' "$r" | grep -A1 -e '- --maxmemory-policy$' | grep -q -e '- noeviction$' &&
     printf '%s\n' "$r" | grep -A1 -e '- --appendonly$' | grep -q -e '- "yes"$'; then
    ok "redis: maxmemory-policy noeviction, appendonly yes"
  else
    bad "redis StatefulSet lacks --maxmemory-policy noeviction or --appendonly yes"
  fi

  p=$(doc Deployment producer "$out")
  if printf '%s\n' "$p" | grep -q "containerPort: $http_port\$" &&
     printf '%s\n' "$p" | grep -q -e '- serve$'; then
    ok "producer: podpreview serve on containerPort $http_port"
  else
    bad "producer does not run serve on containerPort $http_port (PODPREVIEW_HTTP_PORT)"
  fi

  if [ "$have_tsx" = 1 ]; then
    for stage in $gpu_stages; do
      provider=$(doc Deployment "worker-$stage" "$out" |
        awk '/name: PODPREVIEW_EXECUTION_PROVIDER$/ { getline; sub(/^ *value: */, ""); print; exit }')
      (grep -v '^PODPREVIEW_EXECUTION_PROVIDER=' "$tmp/$overlay.env"
       echo "PODPREVIEW_EXECUTION_PROVIDER=${provider:-$(sed -n 's/^PODPREVIEW_EXECUTION_PROVIDER=//p' "$tmp/$overlay.env")}") \
        >"$tmp/$overlay-$stage.env"
    done
    for envfile in "$tmp/$overlay.env" $(for s in $gpu_stages; do echo "$tmp/$overlay-$s.env"; done); do
      label=$(basename "$envfile" .env)
      if msg=$(cd "$root" && node --import tsx --input-type=module -e '
          import { readFileSync } from "node:fs";
          import { CONFIG_VARIABLES, loadConfig } from "./packages/shared/src/config.ts";
          const env = Object.fromEntries(readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
          const missing = CONFIG_VARIABLES.filter((v) => !(v in env));
          if (missing.length) { console.log(`ConfigMap lacks ${missing.join(", ")}`); process.exit(1); }
          try {
            const c = loadConfig(env, "/app");
            console.log(`storage=${c.storage.kind} sink=${c.sink.kind} provider=${c.executionProvider}`);
          } catch (err) { console.log(err.message); process.exit(1); }
        ' "$envfile" 2>&1); then
        ok "config ($label) passes loadConfig: $msg"
      else
        bad "config ($label): $(printf '%s' "$msg" | tail -n 3)"
      fi
    done
  fi
done

if [ "$have_tsx" = 0 ]; then
  echo "check.sh: config validation skipped: needs node and the repo's node_modules (npm ci)"
fi
if [ "$failures" -gt 0 ]; then
  echo "check.sh: $failures check(s) failed"
  exit 1
fi
echo "check.sh: all checks passed"
