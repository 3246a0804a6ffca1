#!/usr/bin/env bash
# Rebuilds a projection of a running Quota Ledger from its event store, and follows the progress.
#
#   QUOTA_LEDGER_URL=http://localhost:8080 QUOTA_LEDGER_ADMIN=admin:secret ops/rebuild-projection.sh [projection]
#
# The projection (default: balances) is emptied and replayed; until it has caught up, balances
# are served with "X-Projection-Rebuilding: true". Progress and ETA are also in the service log and
# in the metric ledger_projection_rebuild_progress. On several nodes, run it against any one: the
# others stop that projection until the rebuild is over.
set -euo pipefail

projection="${1:-balances}"
url="${QUOTA_LEDGER_URL:-http://localhost:8080}"
: "${QUOTA_LEDGER_ADMIN:?set QUOTA_LEDGER_ADMIN to user:password of an ADMIN}"

curl -sSf -u "$QUOTA_LEDGER_ADMIN" -X POST "$url/api/v1/admin/projections/$projection/rebuild" > /dev/null
echo "Rebuilding $projection..."
while :; do
  status=$(curl -sSf -u "$QUOTA_LEDGER_ADMIN" "$url/api/v1/admin/projections/$projection")
  echo "$status"
  case "$status" in
    *'"rebuilding":false'*) echo "Done."; exit 0 ;;
  esac
  sleep 2
done
