#!/usr/bin/env bash
# npm start: builds the package, then runs it in n8n 2.40.7 (installed once into a cache folder)
# on 127.0.0.1 with the starter workflows, in the foreground until Ctrl-C. See scripts/start.js.
#
# Environment: N8N_USER_FOLDER (default $HOME, so ~/.n8n as in a normal n8n), N8N_PORT (default
# 5678, or a free port when that one is busy), N8N_MONITORING_OWNER_EMAIL and
# N8N_MONITORING_OWNER_PASSWORD (first run only; a password is generated when unset).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo "[n8n-nodes-monitoring] $*"; }

step "n8n runtime: $(bash scripts/ensure-n8n.sh)"
if bash scripts/ensure-sqlite3.sh; then
  step "sqlite3: loads in $(node --version)"
else
  step "sqlite3: not built; n8n's store uses node:sqlite instead (the standalone dashboard then needs Node.js 22.5+)"
fi
# The build is skipped when nothing it reads changed since the last one, so a second start is quick.
stamp=dist/.build-stamp
newest=$(find nodes credentials core migrations dashboard scripts/build-dashboard.js scripts/copy-assets.js \
  package.json tsconfig.build.json -type f -newer "$stamp" -print -quit 2>/dev/null || echo rebuild)
if [ ! -f "$stamp" ] || [ -n "$newest" ]; then
  npm run --silent build >/tmp/n8n-nodes-monitoring-build.$$.log 2>&1 || {
    cat /tmp/n8n-nodes-monitoring-build.$$.log >&2
    step "FAILED: npm run build (output above)"
    exit 1
  }
  rm -f /tmp/n8n-nodes-monitoring-build.$$.log
  touch "$stamp"
  step "built dist/"
else
  step "dist/ is up to date"
fi
# exec: Ctrl-C and SIGTERM go straight to start.js, which stops n8n before it exits.
exec bash scripts/node24.sh node scripts/start.js
