#!/usr/bin/env bash
# Runs a command with the cached Node.js 24 first on PATH (n8n 2.x and node:sqlite need it).
set -euo pipefail
cache=$(bash "$(dirname "$0")/ensure-n8n.sh")
export N8N_MONITORING_CACHE="$cache"
export PATH="$cache/node-${N8N_NODE_VERSION:-24.21.0}/bin:$PATH"
exec "$@"
