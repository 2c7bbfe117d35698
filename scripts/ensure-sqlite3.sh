#!/usr/bin/env bash
# Builds this checkout's sqlite3 binary when it does not load (.npmrc sets ignore-scripts, so
# `npm install` never builds it), against the headers of the Node.js that ensure-n8n.sh keeps in
# its cache: nothing here depends on npm's nodedir setting or on a headers download. Without the
# binary the store still works through node:sqlite on Node 22.5+ (n8n runs on Node 24), which the
# tests also cover; the standalone dashboard on Node 20 needs the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
if node -e "require('sqlite3')" 2>/dev/null; then exit 0; fi
cache=$(bash scripts/ensure-n8n.sh)
bash scripts/build-sqlite3.sh "$PWD" "$cache/node-${N8N_NODE_VERSION:-24.21.0}" "$(command -v node)"
