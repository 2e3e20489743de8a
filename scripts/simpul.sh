#!/usr/bin/env bash
# Entry point behind `npm start`, `npm test`, `npm run bench`: same Node, same dependencies everywhere.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
# When the command began, install and build included: `simpul start` times its banner from here.
export SIMPUL_COMMAND_STARTED_AT="${SIMPUL_COMMAND_STARTED_AT:-$(simpul_now)}"
cd "$SIMPUL_ROOT"
simpul_install_deps
export PATH="$SIMPUL_ROOT/node_modules/.bin:$PATH"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

# Build progress and errors go to stderr: stdout is the command's own (`TOKEN=$(npm run -s simpul -- token petugas)`).
build() { turbo run build --output-logs=errors-only "$@" >&2; }

cmd="${1:-}"; shift || true
case "$cmd" in
  start)
    started="$(simpul_now)"
    echo "simpul: building the workspaces (the first time takes minutes; later starts reuse the build)" >&2
    # One line per workspace as its build starts (cache hits are not news), and any compiler error.
    turbo run build --output-logs=new-only 2>&1 | sed -u '/cache hit, suppressing logs/d' >&2
    echo "simpul: built in $(simpul_seconds_since "$started") s" >&2
    exec node packages/cli/dist/main.js start "$@"
    ;;
  test)
    build
    node gateway/dist/scripts/compose.js --check
    turbo run lint --output-logs=errors-only --continue
    # Jest's per-package summaries, added up into one closing line for whoever reads the log.
    log="$(mktemp)"
    status=0
    # --continue: one failing package must not hide the results of the others.
    turbo run test --concurrency=1 --continue "$@" 2>&1 | tee "$log" || status=$?
    awk '/Tests:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed,?$/) p += $(i-1); if ($(i) ~ /^failed,?$/) f += $(i-1); if ($(i) ~ /^skipped,?$/) s += $(i-1) } }
         END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
    rm -f "$log"
    exit "$status"
    ;;
  bench)
    build
    exec node loadtests/dist/run.js "$@"
    ;;
  compose)
    build --filter=@simpul/gateway...
    exec node gateway/dist/scripts/compose.js "$@"
    ;;
  simpul)
    build
    exec node packages/cli/dist/main.js "$@"
    ;;
  *)
    exec "$cmd" "$@"
    ;;
esac
