#!/usr/bin/env bash
# npm run bench: the benchmarks, results printed and written to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
bash scripts/ensure-sqlite3.sh
npm run build >/dev/null
scripts/node24.sh node bench/host-cost.js "${HOST_COST_RUNS:-100}"
scripts/node24.sh node bench/ingest.js "${INGEST_COLLECTIONS:-200}" "${INGEST_SIZE:-1000}"
scripts/node24.sh node bench/storage.js "${STORAGE_FLAT_DAYS:-10}"
scripts/node24.sh node bench/query.js "${QUERY_RUNS:-500}"
scripts/node24.sh node bench/gpu-cost.js "${GPU_COST_RUNS:-30}"
# Starts its own dockerd (root) with 20 busybox containers, stopped at the end.
scripts/node24.sh node bench/container-cost.js "${CONTAINER_COST_RUNS:-20}"
scripts/node24.sh node bench/model-server-cost.js "${MODEL_SERVER_COST_RUNS:-100}"
scripts/node24.sh node bench/database-cost.js "${DATABASE_COST_RUNS:-40}"
scripts/node24.sh node bench/endpoint-cost.js "${ENDPOINT_COST_RUNS:-200}"
scripts/node24.sh node bench/n8n-sync.js "${N8N_SYNC_EXECUTIONS:-10000}" "${N8N_SYNC_REAL:-1000}"
scripts/node24.sh node bench/fleet-overview.js "${FLEET_HOSTS:-1000}" "${FLEET_RUNS:-100}"
scripts/node24.sh node bench/anomaly-eval.js
scripts/node24.sh node bench/dashboard-bundle.js
# Load: ~3 min of seeding (30 days x 10 hosts of 1-minute data) + 60 s of 100 clients.
scripts/node24.sh node bench/dashboard-load.js "${DASHBOARD_LOAD_SECONDS:-60}" "${DASHBOARD_LOAD_CLIENTS:-100}"
# The same on PostgreSQL seeds for ~6 min, so only on request.
if [ -n "${DASHBOARD_LOAD_POSTGRES:-}" ]; then
	scripts/node24.sh node bench/dashboard-load.js "${DASHBOARD_LOAD_SECONDS:-60}" "${DASHBOARD_LOAD_CLIENTS:-100}" postgres
fi
# A real n8n: ~1 min to start, then idle / scheduled starters / collectors.json, 60 s each, twice.
scripts/node24.sh node bench/n8n-collection-cost.js "${N8N_COLLECTION_COST_SECONDS:-60}" "${N8N_COLLECTION_COST_PASSES:-2}"
# A real n8n: ~30 s to start, then a baseline and a collectors-active phase of 75 s each.
scripts/node24.sh node bench/n8n-responsiveness.js "${N8N_RESPONSIVENESS_SECONDS:-75}" "${N8N_RESPONSIVENESS_INTERVAL:-10}"
