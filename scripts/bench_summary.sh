#!/usr/bin/env bash
# Benchmark (SPEC §11): the summary of 100,000 forecasts with 1,000,000 lines
# on PostgreSQL, through the API, against the same single SQL query run by
# psql on the same machine in the same run; and the server's memory.
# Usage: scripts/bench_summary.sh [runs]   (ADMIN_URL defaults to the local server)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
admin="${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db=quota_bench_summary
url="${admin%/*}/$db"
work="$(mktemp -d)"
psql "$admin" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
cargo build -q --release -p api --bin quota-api
bin="${CARGO_TARGET_DIR:-target}/release/quota-api"
export DATABASE_URL="$url" DATA_DIR="$work/data" RUST_LOG=warn RATE_LIMIT_PER_SECOND=100000 RATE_LIMIT_BURST=100000
"$bin" migrate
echo "== seeding 100,000 forecasts with 1,000,000 lines"
time psql "$url" -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TEMP TABLE occ AS
  SELECT row_number() OVER (ORDER BY code, title) - 1 AS rn, code, title FROM occupations WHERE NOT retired;
INSERT INTO forecasts (id, tin, target_year, status, version, created_at, updated_at, submitted_at, created_by,
  person_type, organization_name, legal_address, current_address, workplace_address, tin_issued_on,
  employees_total, foreign_workers, economic_activity, employer_search, line_count, foreigners_total,
  search_text, activity_section)
SELECT 'bench-' || g, lpad(g::text, 8, '0') || '01', 2027,
  CASE WHEN g % 10 < 7 THEN 'accepted' WHEN g % 10 < 9 THEN 'submitted' ELSE 'in_review' END,
  1, now(), now(), now(), 'bench', 'legal', 'Org ' || g, 'a', 'a', 'a', DATE '2015-01-01', 100, 1,
  s.sec, 'org', 10, 20, '', s.sec
FROM generate_series(1, 100000) g
CROSS JOIN LATERAL (SELECT (ARRAY['A','B','C','F','G','H','I','J','K','M'])[1 + g % 10] AS sec) s;
INSERT INTO forecast_lines (id, forecast_id, position, occupation_code, occupation_title, demand_total,
  demand_foreigners, justification, quota_usage, note)
SELECT 'bl-' || g || '-' || k, 'bench-' || g, k, o.code, o.title, 3, 2, 'bench',
  CASE WHEN k = 10 THEN 'liberated_territories' ELSE 'other' END, NULL
FROM generate_series(1, 100000) g
CROSS JOIN generate_series(1, 10) k
JOIN occ o ON o.rn = (g * 10 + k) % (SELECT count(*) FROM occ);
ANALYZE;
SQL
query="SELECT f.activity_section AS activity, CASE WHEN f.status = 'accepted' THEN 'accepted' ELSE 'pending' END AS bucket, COUNT(DISTINCT f.tin) AS employers, COUNT(DISTINCT f.id) AS forecasts, COUNT(DISTINCT l.occupation_code || '|' || l.occupation_title) AS occupations, CAST(COALESCE(SUM(l.demand_total), 0) AS BIGINT) AS demand_total, CAST(COALESCE(SUM(CASE WHEN l.quota_usage = 'other' THEN l.demand_foreigners ELSE 0 END), 0) AS BIGINT) AS quota_foreigners, CAST(COALESCE(SUM(CASE WHEN l.quota_usage = 'liberated_territories' THEN l.demand_foreigners ELSE 0 END), 0) AS BIGINT) AS exempt_foreigners FROM forecasts f JOIN forecast_lines l ON l.forecast_id = f.id WHERE f.target_year = 2027 AND f.status IN ('accepted') GROUP BY f.activity_section, CASE WHEN f.status = 'accepted' THEN 'accepted' ELSE 'pending' END ORDER BY f.activity_section, CASE WHEN f.status = 'accepted' THEN 'accepted' ELSE 'pending' END"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BIND="127.0.0.1:$port" "$bin" serve > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; psql "$admin" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
token="$("$bin" token --role commission)"
rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$server/status"; }
echo "server memory before: rss=$(rss) kB peak=$(hwm) kB"
# Warm both paths once (caches), then time alternately.
psql "$url" -q -o /dev/null -c "$query"
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/summaries/2027"
sql_times=(); api_times=()
for _ in $(seq 1 "$runs"); do
  t="$( { psql "$url" -q -o /dev/null -c '\timing on' -c "$query"; } | awk '/^Time:/ {print $2}' | tail -n 1)"
  sql_times+=("$t")
  a="$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/summaries/2027")"
  api_times+=("$a")
done
echo "server memory after:  rss=$(rss) kB peak=$(hwm) kB"
python3 - "${sql_times[*]}" "${api_times[*]}" <<'PY'
import sys, statistics
sql = [float(x) / 1000 for x in sys.argv[1].split()]
api = [float(x) for x in sys.argv[2].split()]
ms, ma = statistics.median(sql), statistics.median(api)
print(f"psql single query: median {ms*1000:.1f} ms over {len(sql)} runs {[round(x*1000,1) for x in sql]}")
print(f"API summary:       median {ma*1000:.1f} ms over {len(api)} runs {[round(x*1000,1) for x in api]}")
print(f"API / SQL time ratio: {ma/ms:.2f} (target <= 1.5)")
PY
