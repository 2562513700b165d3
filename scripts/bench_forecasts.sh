#!/usr/bin/env bash
# Benchmark (SPEC §11) on PostgreSQL, at equal connection count:
#  - create-and-submit of a 10-line forecast through the API against pgbench
#    running the same inserts (forecast, 10 lines, 2 history rows) directly;
#  - reading one forecast with its lines through the API against pgbench
#    running the same two selects.
# Each created forecast is another employer's (an employer has one forecast a
# year, SPEC §15.2): EMPLOYERS TINs (default 100,000) with confirmed e-mails,
# and pgbench numbers its TINs from a sequence.
# Usage: scripts/bench_forecasts.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
conns="${2:-8}"
admin="${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db=quota_bench_forecasts
url="${admin%/*}/$db"
work="$(mktemp -d)"
psql "$admin" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
cargo build -q --release -p api --bin quota-api -p quota-tests --bin quota-load
target="${CARGO_TARGET_DIR:-target}/release"
export DATABASE_URL="$url" DATA_DIR="$work/data" RUST_LOG=warn DATABASE_POOL_SIZE="$conns"
export RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000
"$target/quota-api" migrate
# The campaign of next year stays open for the run, whatever today's date.
year="$(( $(TZ=Asia/Baku date +%Y) + 1 ))"
psql "$url" -q -c "INSERT INTO campaigns VALUES ($year, DATE '$((year - 1))-01-01', DATE '$((year - 1))-12-20', DATE '$((year - 1))-12-25', DATE '$((year - 1))-12-26', DATE '$((year - 1))-12-27', DATE '$((year - 1))-12-28', now(), 'bench')"
employers="${EMPLOYERS:-100000}"
"$target/quota-load" tins "$employers" > "$work/tins.txt"
psql "$url" -q -v ON_ERROR_STOP=1 \
  -c "CREATE TEMP TABLE t (tin TEXT)" \
  -c "\\copy t FROM '$work/tins.txt'" \
  -c "INSERT INTO employer_contacts (tin, email, confirmed_at, attempts_left, updated_at) SELECT tin, 'hr@' || tin || '.bench.az', now(), 0, now() FROM t" \
  -c "CREATE SEQUENCE bench_tin"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BIND="127.0.0.1:$port" "$target/quota-api" serve > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; psql "$admin" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
# The forecasts read below are many employers': an officer reads them all.
token="$("$target/quota-api" token --role officer --ttl 3600)"
# Ten distinct occupations of the built-in classification.
mapfile -t occ < <(psql "$url" -At -F $'\t' -c "SELECT code, title FROM occupations WHERE title NOT LIKE '%\"%' ORDER BY code LIMIT 10")
python3 - "$work/forecast.json" "${occ[@]}" <<'PY'
import json, sys
lines = [{"occupation_code": o.split("\t")[0], "occupation_title": o.split("\t")[1], "demand_total": 3, "demand_foreigners": 2,
          "justification": "No local specialists", "quota_usage": "other", "note": None} for o in sys.argv[2:]]
body = {"submit": True, "employer": {"person_type": "legal", "tin": "1012345061", "organization_name": "Bench MMC",
        "legal_form": "MMC", "legal_address": "Bakı", "current_address": "Bakı", "workplace_address": "Bakı",
        "tin_issued_on": "2015-03-02", "employees_total": 120, "foreign_workers": 4, "economic_activity": "F"}, "lines": lines}
json.dump(body, open(sys.argv[1], "w"))
PY
values=""
for i in "${!occ[@]}"; do
  code="${occ[$i]%%$'\t'*}"; title="${occ[$i]#*$'\t'}"; title="${title//\'/\'\'}"
  values+="${values:+, }($((i + 1)), '$code', '$title')"
done
cat > "$work/create.sql" <<SQL
WITH f AS (
  INSERT INTO forecasts (id, tin, target_year, status, version, created_at, updated_at, submitted_at, created_by,
    person_type, organization_name, legal_form, legal_address, current_address, workplace_address, tin_issued_on,
    employees_total, foreign_workers, economic_activity, employer_search, line_count, foreigners_total, search_text,
    activity_section)
  VALUES (gen_random_uuid()::text, lpad(nextval('bench_tin')::text, 10, '0'), $year, 'submitted', 1, now(), now(), now(), 'bench', 'legal',
    'Bench MMC', 'MMC', 'Bakı', 'Bakı', 'Bakı', DATE '2015-03-02', 120, 4, 'F', 'bench mmc', 10, 20, 'bench', 'F')
  RETURNING id
), l AS (
  INSERT INTO forecast_lines (id, forecast_id, position, occupation_code, occupation_title, demand_total,
    demand_foreigners, justification, quota_usage)
  SELECT gen_random_uuid()::text, f.id, o.k, o.code, o.title, 3, 2, 'No local specialists', 'other'
  FROM f, (VALUES $values) AS o(k, code, title)
)
INSERT INTO forecast_history (forecast_id, from_status, to_status, actor, role, at)
SELECT f.id, s.f, s.t, 'bench', 'employer', now() FROM f, (VALUES (NULL, 'draft'), ('draft', 'submitted')) AS s(f, t);
SQL
echo "== create-and-submit, $conns connections, ${seconds}s"
api_create="$("$target/quota-load" --concurrency "$conns" --seconds "$seconds" --employers "$employers" --post "$work/forecast.json" "http://127.0.0.1:$port/api/v1/forecasts")"
echo "API:     $api_create"
pg_create="$(pgbench -n -c "$conns" -j 2 -T "$seconds" -f "$work/create.sql" "$url" 2>/dev/null | awk '/^tps/ {print $3; exit}')"
echo "pgbench: tps=$pg_create"
# Statistics as autovacuum would leave them after the writes, for both readers.
psql "$url" -q -c "ANALYZE"
# Reads: 200 forecasts made above, by id through the API and by number in pgbench.
mapfile -t ids < <(psql "$url" -At -c "SELECT id FROM forecasts WHERE created_by <> 'bench' ORDER BY number LIMIT 200")
max="$(psql "$url" -At -c "SELECT max(number) FROM forecasts")"
urls=(); for id in "${ids[@]}"; do urls+=("http://127.0.0.1:$port/api/v1/forecasts/$id"); done
cat > "$work/read.sql" <<SQL
\set n random(1, $max)
SELECT * FROM forecasts WHERE number = :n;
SELECT l.* FROM forecast_lines l JOIN forecasts f ON f.id = l.forecast_id WHERE f.number = :n ORDER BY l.position;
SQL
echo "== read one forecast with its lines"
api_read="$("$target/quota-load" --concurrency "$conns" --seconds "$seconds" --token "$token" "${urls[@]}")"
echo "API:     $api_read"
pg_read="$(pgbench -n -c "$conns" -j 2 -T "$seconds" -f "$work/read.sql" "$url" 2>/dev/null | awk '/^tps/ {print $3; exit}')"
echo "pgbench: tps=$pg_read"
python3 - "$api_create" "$pg_create" "$api_read" "$pg_read" <<'PY'
import re, sys
rps = lambda s: float(re.search(r"rps=([0-9.]+)", s).group(1))
ac, pc, ar, pr = rps(sys.argv[1]), float(sys.argv[2]), rps(sys.argv[3]), float(sys.argv[4])
print(f"create-and-submit: API {ac:.0f}/s vs pgbench {pc:.0f}/s -> ratio {ac/pc:.2f} (target >= 0.8)")
print(f"read one forecast: API {ar:.0f}/s vs pgbench {pr:.0f}/s -> ratio {ar/pr:.2f} (target >= 0.8)")
PY
