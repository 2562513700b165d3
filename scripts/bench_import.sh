#!/usr/bin/env bash
# Benchmark (issue 27): importing a classification file takes time linear in
# the file. Uploads CSV files of 10,000 and 80,000 rows (titles of their own)
# to a fresh server, each into a fresh database, and prints the times and the
# ratio (80k time / 10k time) / 8: near 1 is linear, a quadratic reader gives
# about 8. Uses the debug build unless PROFILE=release; SQLite unless
# DATABASE_URL names a PostgreSQL database (emptied by the run's migrations
# only if fresh). Usage: scripts/bench_import.sh [small-rows] [large-rows]
set -euo pipefail
cd "$(dirname "$0")/.."
small="${1:-10000}"
large="${2:-80000}"
profile="${PROFILE:-debug}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ "$profile" = release ]; then cargo build -q --release -p api --bin quota-api; else cargo build -q -p api --bin quota-api; fi
bin="${CARGO_TARGET_DIR:-target}/$profile/quota-api"
export RUST_LOG=warn RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000

# upload ROWS: prints the seconds one import of ROWS rows takes over HTTP.
upload() {
  local rows="$1" dir="$work/$1" port server secs
  mkdir -p "$dir"
  python3 - "$dir/file.csv" "$rows" <<'PY'
import sys
codes = ["1120","2149","2512","3112","4110","5120","6123","7112","7123","7212","7411","8322","9312","9622"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("Kod,Ad\n")
    for i in range(int(sys.argv[2])):
        f.write(f'{codes[i % len(codes)]},"Sınaq peşəsi, sahə {i}"\n')
PY
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  DATA_DIR="$dir/data" BIND="127.0.0.1:$port" "$bin" serve > "$dir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  token="$(DATA_DIR="$dir/data" "$bin" token --role admin)"
  secs="$(curl -sS -o "$dir/answer.json" -w '%{time_total}' -X POST "http://127.0.0.1:$port/api/v1/occupations/imports?mode=extend" \
    -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary "@$dir/file.csv")"
  kill "$server"; wait "$server" 2>/dev/null || true
  grep -q '"added"' "$dir/answer.json" || { echo "import of $rows rows failed: $(head -c 300 "$dir/answer.json")" >&2; exit 1; }
  echo "$secs"
}
t_small="$(upload "$small")"
t_large="$(upload "$large")"
python3 - "$small" "$large" "$t_small" "$t_large" <<'PY'
import sys
small, large, ts, tl = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"import {small} rows: {ts:.2f} s ({small/ts:.0f} rows/s)")
print(f"import {large} rows: {tl:.2f} s ({large/tl:.0f} rows/s)")
print(f"time ratio / row ratio: {(tl/ts)/(large/small):.2f} (1.0 is linear; target <= 1.5)")
PY
