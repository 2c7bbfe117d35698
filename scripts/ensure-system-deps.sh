#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks need, when missing (a fresh machine):
# PostgreSQL and MariaDB for the store and database tests, Chromium and a Korean font for the dashboard tests, prometheus-node-exporter as the reference for collection cost and the target of the Prometheus collector's integration test, Redis for n8n's queue mode, Docker (docker.io) and busybox-static for the container collector's tests (they start their own dockerd and build their image from busybox, since no registry is reachable).
# Usage: ensure-system-deps.sh [postgres] [mariadb] [chromium] [node-exporter] [redis] [docker] [podman]   (no argument: all but chromium)
set -euo pipefail
want=("$@")
[ ${#want[@]} -eq 0 ] && want=(postgres mariadb node-exporter redis docker podman)
missing=()
for w in "${want[@]}"; do
  case "$w" in
    postgres) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null || missing+=(postgresql postgresql-contrib) ;;
    # fonts-nanum (10 MB) covers Hangul; fonts-noto-cjk (57 MB) would too. Without one, the Korean dashboard tests see boxes.
    chromium) command -v chromium >/dev/null || missing+=(chromium)
      fc-list :lang=ko 2>/dev/null | grep -q . || missing+=(fonts-nanum) ;;
    mariadb) command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server) ;;
    node-exporter) command -v prometheus-node-exporter >/dev/null || missing+=(prometheus-node-exporter) ;;
    redis) command -v redis-server >/dev/null || missing+=(redis-server) ;;
    docker) command -v dockerd >/dev/null || [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
      # A static busybox is the whole image the tests import (a dynamic one would need its libc inside).
      dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static) ;;
    # Rootful Podman for the claim that the collector reads Podman's Docker-compatible socket.
    podman) command -v podman >/dev/null || missing+=(podman)
      dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static) ;;
    *) echo "unknown dependency: $w" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Install them as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "[ensure-system-deps] apt-get install ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# Debian starts a default cluster on 5432; the tests start private clusters, so stop it.
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  (command -v pg_ctlcluster >/dev/null && for c in /etc/postgresql/*/main; do
    v=$(basename "$(dirname "$c")"); pg_ctlcluster "$v" main stop 2>/dev/null || true; done) || true
fi
if [[ " ${missing[*]} " == *" mariadb-server "* ]]; then
  (command -v systemctl >/dev/null && systemctl stop mariadb 2>/dev/null) || true
  (command -v service >/dev/null && service mariadb stop >/dev/null 2>&1) || true
fi
# The node-exporter package starts a service on :9100 where systemd runs; benchmarks start their own.
if [[ " ${missing[*]} " == *" prometheus-node-exporter "* ]]; then
  (command -v systemctl >/dev/null && systemctl stop prometheus-node-exporter 2>/dev/null) || true
fi
# The redis-server package starts a service on :6379 where systemd runs; tests start their own.
if [[ " ${missing[*]} " == *" redis-server "* ]]; then
  (command -v systemctl >/dev/null && systemctl stop redis-server 2>/dev/null) || true
  (command -v service >/dev/null && service redis-server stop >/dev/null 2>&1) || true
fi
# docker.io enables a system dockerd on /var/run/docker.sock where systemd runs; tests start their own.
if [[ " ${missing[*]} " == *" docker.io "* ]]; then
  (command -v systemctl >/dev/null && systemctl stop docker.socket docker 2>/dev/null) || true
  (command -v service >/dev/null && service docker stop >/dev/null 2>&1) || true
fi
