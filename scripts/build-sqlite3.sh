#!/usr/bin/env bash
# Builds sqlite3's native binary inside PROJECT_DIR/node_modules/sqlite3 from source, against the
# headers in NODE_DIR/include/node, then loads it with NODE. One line on stderr when it starts,
# one when it fails (with the log's path); the compiler's output goes to the log only.
#
# Usage: build-sqlite3.sh PROJECT_DIR NODE_DIR NODE
#
# Explicit on purpose: --ignore-scripts=false because a project .npmrc with ignore-scripts=true
# reaches every script npm runs (npm_config_ignore_scripts=true) and `npm rebuild` then builds
# nothing yet prints success; npm_config_nodedir because a user's npm has no nodedir setting and
# node-gyp would download headers; build-from-source because prebuild-install's download fails
# without a network. sqlite3 is an N-API addon built for N-API 6 (as its published binaries are;
# the headers of Node 24 alone would ask for its newest N-API), so one build serves Node 20 and 24.
set -euo pipefail
project="$1"
nodedir="$2"
node="$3"
log="$project/sqlite3-build.log"
say() { echo "[build-sqlite3] $*" >&2; }

for tool in python3 make g++; do
  if ! command -v "$tool" >/dev/null; then
    say "FAILED: sqlite3 needs $tool to compile; install it (Debian: apt-get install -y python3 make g++) and run again"
    exit 1
  fi
done
if [ ! -f "$nodedir/include/node/node_api.h" ]; then
  say "FAILED: no Node.js headers in $nodedir/include/node; delete $nodedir and run again"
  exit 1
fi

say "building sqlite3 from source for $("$node" --version) (about a minute, once)"
if ! (cd "$project" && PATH="$(dirname "$node"):$PATH" npm_config_nodedir="$nodedir" \
  npm_config_build_from_source=true npm_config_napi_build_version=6 npm rebuild sqlite3 --ignore-scripts=false \
  --foreground-scripts --loglevel=error >"$log" 2>&1); then
  say "FAILED: compiling sqlite3 in $project (the compiler's output is in $log)"
  exit 1
fi
if ! (cd "$project" && "$node" -e "require('sqlite3')" >>"$log" 2>&1); then
  say "FAILED: sqlite3 was built in $project but $("$node" --version) cannot load it (see $log); delete $project/node_modules/sqlite3/build and run again"
  exit 1
fi
