#!/usr/bin/env bash
# Benchmark (SPEC §11): classification search over 10,000+ titles against the
# throughput of /health/live, on the same machine in the same run. Prints the
# ratio; the target is at least 0.3. Uses a release build and SQLite unless
# DATABASE_URL is set. Usage: scripts/bench_search.sh [seconds] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
concurrency="${2:-16}"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export DATA_DIR="$work/data" BIND="127.0.0.1:$port" RUST_LOG=warn
export RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000
cargo build -q --release -p api --bin quota-api -p quota-tests --bin quota-load
target="${CARGO_TARGET_DIR:-target}/release"
# 10,000 titles beyond the built-in 457, spread over real unit groups.
python3 - "$work/titles.csv" <<'PY'
import sys
codes = ["1120","2149","2512","3112","4110","5120","6123","7112","7123","7212","7411","8322","9312","9622"]
words = ["usta","operator","mütəxəssis","köməkçi","texnik","mühəndis","fəhlə","sürücü","aşpaz","qaynaqçı"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("Kod,Ad\n")
    for i in range(10000):
        f.write(f'{codes[i % len(codes)]},"{words[i % len(words)].capitalize()}, sahə {i}"\n')
PY
"$target/quota-api" import-occupations "$work/titles.csv" --mode extend
"$target/quota-api" serve > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
token="$("$target/quota-api" token --role employer --tin 1012345061)"
base="http://127.0.0.1:$port"
echo "== /health/live"
live="$("$target/quota-load" --concurrency "$concurrency" --seconds "$seconds" "$base/health/live")"
echo "$live"
echo "== /api/v1/occupations (word, Azerbaijani without marks, code prefix)"
search="$("$target/quota-load" --concurrency "$concurrency" --seconds "$seconds" --token "$token" \
  "$base/api/v1/occupations?q=qaynaqci" "$base/api/v1/occupations?q=sahe%204321" \
  "$base/api/v1/occupations?q=xarici%20suvaq" "$base/api/v1/occupations?code=712" \
  "$base/api/v1/occupations?q=muhendis&page=3")"
echo "$search"
python3 - "$live" "$search" <<'PY'
import sys, re
rps = lambda s: float(re.search(r"rps=([0-9.]+)", s).group(1))
live, search = rps(sys.argv[1]), rps(sys.argv[2])
print(f"search/live throughput ratio: {search/live:.2f} (target >= 0.30)")
PY
