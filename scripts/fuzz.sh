#!/usr/bin/env bash
# Fuzzes the running API from its own OpenAPI document with schemathesis, once
# per role, against a fresh SQLite database on a free local port.
# Usage: scripts/fuzz.sh [max-examples]   (needs: pip install schemathesis)
set -euo pipefail
cd "$(dirname "$0")/.."
max_examples="${1:-25}"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export DATA_DIR="$work/data" BIND="127.0.0.1:$port" RUST_LOG="${RUST_LOG:-warn}"
export RATE_LIMIT_PER_SECOND=100000 RATE_LIMIT_BURST=100000
unset DATABASE_URL
cargo build -q -p api --bin quota-api
bin="${CARGO_TARGET_DIR:-target}/debug/quota-api"
"$bin" serve > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/health/ready" > /dev/null || { echo "server did not start:"; cat "$work/server.log"; exit 1; }
status=0
for role in employer officer commission admin; do
  if [ "$role" = employer ]; then
    token="$("$bin" token --role employer --tin 1012345061)"
  else
    token="$("$bin" token --role "$role")"
  fi
  echo "== schemathesis as $role"
  schemathesis run "http://127.0.0.1:$port/api-docs/openapi.json" \
    --url "http://127.0.0.1:$port" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
    --max-examples "$max_examples" \
    --seed "${FUZZ_SEED:-20261121}" \
    --phases examples,coverage,fuzzing \
    --no-color || status=1
done
if [ $status -ne 0 ]; then
  echo "--- server log (tail)"; tail -n 50 "$work/server.log"
fi
exit $status
