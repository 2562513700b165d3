#!/usr/bin/env bash
# Runs scripts/erp_scenario.py: an ERP system registered, confirmed, filing a
# forecast that is returned, corrected, accepted and exported, all through the
# Python client generated from openapi/openapi.json, against a throw-away
# server (SQLite in a temporary folder, a free local port).
# Usage: scripts/erp_scenario.sh   (SUMMARY_EXPORT=query|auto|MODULE: see the .py)
set -euo pipefail
. "$(dirname "$0")/lib/tools.sh"
. "$(dirname "$0")/lib/server.sh"
cd "$REPO_ROOT"

python_tools
gen="$(mktemp -d)"
on_exit "rm -rf '$gen'"
# Without --fail-on-warning: an operation the generator leaves out is
# scripts/generated_clients.sh's to report; the scenario uses the rest.
generate_python_client "$gen" > "$gen/generate.log" 2>&1 || { cat "$gen/generate.log"; exit 1; }
echo "-- Python client generated from openapi/openapi.json"

start_server
if ! PYTHONPATH="$gen" python scripts/erp_scenario.py; then
  server_log_tail
  exit 1
fi
