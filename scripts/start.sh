#!/usr/bin/env bash
# npm start: builds the package, then runs it in n8n 2.40.7 (installed once into a cache folder)
# on 127.0.0.1 with the starter workflows, in the foreground until Ctrl-C. See scripts/start.js.
#
# Environment: N8N_USER_FOLDER (default $HOME, so ~/.n8n as in a normal n8n), N8N_PORT (default
# 5678, or a free port when that one is busy), N8N_MONITORING_OWNER_EMAIL and
# N8N_MONITORING_OWNER_PASSWORD (first run only; a password is generated when unset).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-sqlite3.sh || echo "[start] sqlite3 did not build; the store uses node:sqlite" >&2
npm run build
# exec: Ctrl-C and SIGTERM go straight to start.js, which stops n8n before it exits.
exec bash scripts/node24.sh node scripts/start.js
