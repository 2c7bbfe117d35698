#!/usr/bin/env bash
# Builds sqlite3's native binary when it is missing (.npmrc sets ignore-scripts, see README).
# It is an N-API addon: one build serves Node 20 and Node 24. Without it the store still works
# through node:sqlite on Node 22.5+, which the tests also cover; this is for the sqlite3 path.
set -euo pipefail
cd "$(dirname "$0")/.."
if node -e "require('sqlite3')" 2>/dev/null; then exit 0; fi
echo "[ensure-sqlite3] building sqlite3 (about a minute, once)" >&2
npm rebuild --ignore-scripts=false sqlite3 >&2
node -e "require('sqlite3')"
