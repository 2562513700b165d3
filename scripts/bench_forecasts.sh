#!/usr/bin/env bash
# Benchmark (SPEC §11, issue 15), side by side in one run, at each connection
# count given (default 8 and 32), the API's pool set to the same count:
#  - PostgreSQL: create-and-submit of a 10-line forecast through the API, as
#    an ERP system sends it (with an Idempotency-Key), against pgbench running
#    the same inserts (forecast, 10 lines, 2 history rows, the idempotency
#    row holding an answer of the same size) as one statement;
#  - PostgreSQL: reading one forecast with its lines through the API against
#    pgbench running the same two selects;
#  - SQLite: create-and-submit through the API against a bare SQLite insert
#    of the same rows, one transaction each, with the server's pragmas.
# Throughput and p50/p99 latency for both sides; the ratios at the end.
# Each created forecast is another employer's (an employer has one forecast a
# year, SPEC §15.2): EMPLOYERS TINs per run (default 100,000) with confirmed
# e-mails; pgbench numbers its TINs from a sequence.
# Usage: [BIN_DIR=dir] [WARM=s] [PROFILE_DIR=dir] scripts/bench_forecasts.sh [seconds] [connections ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
# WARM: seconds of load before each measured run, on both sides.
warm="${WARM:-2}"
shift || true
conn_counts=("$@")
[ ${#conn_counts[@]} -gt 0 ] || conn_counts=(8 32)
admin="${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db=quota_bench_forecasts
url="${admin%/*}/$db"
work="$(mktemp -d)"
server=""
stop_server() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi; }
trap 'stop_server; psql "$admin" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; rm -rf "$work"' EXIT
psql "$admin" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
# BIN_DIR: binaries built elsewhere (e.g. an earlier commit's, for a before/after).
if [ -n "${BIN_DIR:-}" ]; then
  target="$BIN_DIR"
else
  cargo build -q --release -p api --bin quota-api -p quota-tests --bin quota-load
  target="${CARGO_TARGET_DIR:-target}/release"
fi
export DATA_DIR="$work/data" RUST_LOG=warn RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000
employers="${EMPLOYERS:-100000}"
runs=$(( ${#conn_counts[@]} + 1 ))
"$target/quota-load" tins $((employers * runs)) > "$work/tins.txt"
# The campaign of next year stays open for the run, whatever today's date.
year="$(( $(TZ=Asia/Baku date +%Y) + 1 ))"
campaign="($year, '$((year - 1))-01-01', '$((year - 1))-12-20', '$((year - 1))-12-25', '$((year - 1))-12-26', '$((year - 1))-12-27', '$((year - 1))-12-28', '2026-01-01 00:00:00', 'bench')"

# serve URL POOL: starts the release server on a free port; sets $base.
serve() {
  stop_server
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  DATABASE_URL="$1" DATABASE_POOL_SIZE="$2" BIND="127.0.0.1:$port" "$target/quota-api" serve >> "$work/server.log" 2>&1 &
  server=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 150); do curl -fsS "$base/health/ready" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "the server did not become ready:"; tail -20 "$work/server.log"; exit 1
}

# cpu PID: CPU seconds (user + system) the process has used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
# pg_cpu: CPU seconds used by PostgreSQL so far: its live processes, and
# the backends that ended (counted in the postmaster's children's time).
pg_cpu() {
  local hz post
  hz="$(getconf CLK_TCK)"; post="$(pgrep -o -x postgres)"
  { for p in $(pgrep -x postgres); do cat "/proc/$p/stat" 2>/dev/null; done; } \
    | awk -v hz="$hz" -v post="$post" '{t += $14 + $15; if ($1 == post) t += $16 + $17} END {printf "%.2f", t / hz}'
}

# pct FILE...: p50 and p99 (ms) of pgbench's per-transaction logs.
pct() {
  python3 - "$@" <<'PY'
import sys
v = sorted(int(l.split()[2]) for f in sys.argv[1:] for l in open(f) if l.strip())
p = lambda q: v[min(len(v) - 1, len(v) * q // 100)] / 1000 if v else float("nan")
print(f"p50_ms={p(50):.2f} p99_ms={p(99):.2f}")
PY
}

# settle: a checkpoint before a measured run, so that neither side pays for
# the other's dirty pages (and the full-page writes after a checkpoint fall
# on each side alike).
settle() { psql "$url" -q -c "CHECKPOINT"; }

# bench_pg SCRIPT CONNS: pgbench's tps and latencies for one script.
bench_pg() {
  local dir="$work/pgb.$RANDOM"
  mkdir -p "$dir"
  local tps
  tps="$( (cd "$dir" && pgbench -n -c "$2" -j 2 -T "$seconds" -l -f "$1" "$url" 2>/dev/null) | awk '/^tps/ {print $3; exit}')"
  echo "tps=$tps $(pct "$dir"/pgbench_log.*)"
  rm -rf "$dir"
}

echo "== PostgreSQL"
DATABASE_URL="$url" "$target/quota-api" migrate
psql "$url" -q -v ON_ERROR_STOP=1 \
  -c "INSERT INTO campaigns VALUES $campaign" \
  -c "CREATE TEMP TABLE t (tin TEXT)" \
  -c "\\copy t FROM '$work/tins.txt'" \
  -c "INSERT INTO employer_contacts (tin, email, confirmed_at, attempts_left, updated_at) SELECT tin, 'hr@' || tin || '.bench.az', now(), 0, now() FROM t" \
  -c "CREATE SEQUENCE bench_tin"
# The loaded employers vacuumed and analysed now, not by autovacuum during
# a measured run. (Not the empty forecasts: statistics taken of an empty
# table make PostgreSQL scan it whole until autovacuum analyses it again.)
psql "$url" -q -c "VACUUM ANALYZE employer_contacts"
serve "$url" "${conn_counts[0]}"
# The forecasts read below are many employers': an officer reads them all.
token="$(DATABASE_URL="$url" "$target/quota-api" token --role officer --ttl 3600)"
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
# The size of the answer the API stores with an idempotency key: one filing
# by the last employer of the last slice, which no run reaches.
answer_len="$("$target/quota-load" --concurrency 1 --seconds 0 --employers 1 --offset $((employers * runs - 1)) --post "$work/forecast.json" --print-body "$base/api/v1/forecasts" | wc -c)"
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
  RETURNING id, tin
), l AS (
  INSERT INTO forecast_lines (id, forecast_id, position, occupation_code, occupation_title, demand_total,
    demand_foreigners, justification, quota_usage)
  SELECT gen_random_uuid()::text, f.id, o.k, o.code, o.title, 3, 2, 'No local specialists', 'other'
  FROM f, (VALUES $values) AS o(k, code, title)
), k AS (
  INSERT INTO idempotency_keys (caller, idem_key, request_hash, status_code, response_body, location, etag, created_at)
  SELECT 'bench-' || f.tin, gen_random_uuid()::text, md5(f.id), 201, repeat('x', $answer_len), '/api/v1/forecasts/' || f.id, '"1"', now() FROM f
)
INSERT INTO forecast_history (forecast_id, from_status, to_status, actor, role, at)
SELECT f.id, s.f, s.t, 'bench', 'employer', now() FROM f, (VALUES (NULL, 'draft'), ('draft', 'submitted')) AS s(f, t);
SQL
summary=()
slice=0
for conns in "${conn_counts[@]}"; do
  serve "$url" "$conns"
  echo "== create-and-submit, $conns connections, ${seconds}s"
  # PROFILE_DIR: a CPU profile of the server during the first run (perf).
  if [ -n "${PROFILE_DIR:-}" ] && [ "$slice" = 0 ]; then
    mkdir -p "$PROFILE_DIR"
    perf record -e cpu-clock -F 499 -g -p "$server" -o "$PROFILE_DIR/perf.data" -- sleep "$seconds" 2>/dev/null &
    perf_pid=$!
  fi
  # Both sides warm up for $warm seconds first (connections opened, statements
  # prepared, caches filled): the API on the slice's last employers, which
  # the measured run does not reach.
  "$target/quota-load" --concurrency "$conns" --seconds "$warm" --employers $((employers / 2)) --offset $((slice * employers + employers / 2)) --idempotency --post "$work/forecast.json" "$base/api/v1/forecasts" > /dev/null
  settle
  api_cpu0="$(cpu "$server")"; pg_cpu0="$(pg_cpu)"
  api="$("$target/quota-load" --concurrency "$conns" --seconds "$seconds" --employers $((employers / 2)) --offset $((slice * employers)) --idempotency --post "$work/forecast.json" "$base/api/v1/forecasts")"
  slice=$((slice + 1))
  echo "API:     $api"
  echo "CPU seconds during the API run: server $(awk -v a="$(cpu "$server")" -v b="$api_cpu0" 'BEGIN {printf "%.1f", a - b}'), PostgreSQL $(awk -v a="$(pg_cpu)" -v b="$pg_cpu0" 'BEGIN {printf "%.1f", a - b}') (of $((2 * seconds)) on 2 cores)"
  if [ -n "${perf_pid:-}" ]; then wait "$perf_pid" || true; perf_pid=""; fi
  pgbench -n -c "$conns" -j 2 -T "$warm" -f "$work/create.sql" "$url" > /dev/null 2>&1
  settle
  pg_cpu0="$(pg_cpu)"
  pg="$(bench_pg "$work/create.sql" "$conns")"
  echo "pgbench: $pg"
  echo "CPU seconds during the pgbench run: PostgreSQL $(awk -v a="$(pg_cpu)" -v b="$pg_cpu0" 'BEGIN {printf "%.1f", a - b}')"
  summary+=("create-and-submit PostgreSQL, $conns connections|$api|$pg")
done
# Statistics as autovacuum would leave them after the writes, for both readers.
psql "$url" -q -c "ANALYZE"
# Reads: 200 forecasts made above, by id through the API and by number in pgbench.
mapfile -t ids < <(psql "$url" -At -c "SELECT id FROM forecasts WHERE created_by <> 'bench' ORDER BY number LIMIT 200")
max="$(psql "$url" -At -c "SELECT max(number) FROM forecasts")"
urls=(); for id in "${ids[@]}"; do urls+=("/api/v1/forecasts/$id"); done
cat > "$work/read.sql" <<SQL
\set n random(1, $max)
SELECT * FROM forecasts WHERE number = :n;
SELECT l.* FROM forecast_lines l JOIN forecasts f ON f.id = l.forecast_id WHERE f.number = :n ORDER BY l.position;
SQL
for conns in "${conn_counts[@]}"; do
  serve "$url" "$conns"
  echo "== read one forecast with its lines, $conns connections"
  "$target/quota-load" --concurrency "$conns" --seconds "$warm" --token "$token" "${urls[@]/#/$base}" > /dev/null
  if [ -n "${PROFILE_DIR:-}" ] && [ "$conns" = "${conn_counts[0]}" ]; then
    perf record -e cpu-clock -F 499 -g -p "$server" -o "$PROFILE_DIR/perf-read.data" -- sleep "$seconds" 2>/dev/null &
    perf_pid=$!
  fi
  api_cpu0="$(cpu "$server")"; pg_cpu0="$(pg_cpu)"
  api="$("$target/quota-load" --concurrency "$conns" --seconds "$seconds" --token "$token" "${urls[@]/#/$base}")"
  echo "API:     $api"
  echo "CPU seconds during the API run: server $(awk -v a="$(cpu "$server")" -v b="$api_cpu0" 'BEGIN {printf "%.1f", a - b}'), PostgreSQL $(awk -v a="$(pg_cpu)" -v b="$pg_cpu0" 'BEGIN {printf "%.1f", a - b}')"
  if [ -n "${perf_pid:-}" ]; then wait "$perf_pid" || true; perf_pid=""; fi
  pgbench -n -c "$conns" -j 2 -T "$warm" -f "$work/read.sql" "$url" > /dev/null 2>&1
  pg="$(bench_pg "$work/read.sql" "$conns")"
  echo "pgbench: $pg"
  summary+=("read one forecast PostgreSQL, $conns connections|$api|$pg")
done
stop_server

echo "== SQLite: create-and-submit, ${conn_counts[0]} connections, ${seconds}s"
lite="$work/bench.sqlite"
DATABASE_URL="sqlite://$lite" "$target/quota-api" migrate
python3 - "$lite" "$work/tins.txt" "$campaign" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute(f"INSERT INTO campaigns VALUES {sys.argv[3]}")
db.executemany("INSERT INTO employer_contacts (tin, email, confirmed_at, attempts_left, updated_at) VALUES (?, ?, '2026-01-01 00:00:00', 0, '2026-01-01 00:00:00')",
               ((t, f"hr@{t}.bench.az") for t in (l.strip() for l in open(sys.argv[2])) if t))
db.commit()
PY
serve "sqlite://$lite" "${conn_counts[0]}"
api="$("$target/quota-load" --concurrency "${conn_counts[0]}" --seconds "$seconds" --employers "$employers" --offset $((slice * employers)) --idempotency --post "$work/forecast.json" "$base/api/v1/forecasts")"
echo "API:         $api"
stop_server
# The same rows inserted by one connection in a loop, one transaction each.
bare="$(python3 - "$lite" "$seconds" "$year" "$answer_len" "${occ[@]}" <<'PY'
import sqlite3, sys, time, uuid
db = sqlite3.connect(sys.argv[1], isolation_level=None)
for p in ("busy_timeout = 5000", "journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
    db.execute(f"PRAGMA {p}")
seconds, year, answer = float(sys.argv[2]), int(sys.argv[3]), "x" * int(sys.argv[4])
occ = [o.split("\t") for o in sys.argv[5:]]
lat, n, start = [], 0, time.monotonic()
while time.monotonic() - start < seconds:
    t0 = time.monotonic()
    fid, tin, now = str(uuid.uuid4()), f"9{n:09d}", time.strftime("%Y-%m-%d %H:%M:%S")
    db.execute("BEGIN IMMEDIATE")
    db.execute("""INSERT INTO forecasts (id, tin, target_year, status, version, created_at, updated_at, submitted_at, created_by,
        person_type, organization_name, legal_form, legal_address, current_address, workplace_address, tin_issued_on,
        employees_total, foreign_workers, economic_activity, employer_search, line_count, foreigners_total, search_text,
        activity_section) VALUES (?, ?, ?, 'submitted', 1, ?, ?, ?, 'bench', 'legal', 'Bench MMC', 'MMC', 'Bakı', 'Bakı', 'Bakı',
        '2015-03-02', 120, 4, 'F', 'bench mmc', 10, 20, 'bench', 'F')""", (fid, tin, year, now, now, now))
    db.execute("INSERT INTO forecast_lines (id, forecast_id, position, occupation_code, occupation_title, demand_total, demand_foreigners, justification, quota_usage) VALUES "
               + ", ".join(["(?, ?, ?, ?, ?, 3, 2, 'No local specialists', 'other')"] * len(occ)),
               [v for k, (c, t) in enumerate(occ, 1) for v in (str(uuid.uuid4()), fid, k, c, t)])
    db.execute("INSERT INTO forecast_history (forecast_id, from_status, to_status, actor, role, at) VALUES (?, NULL, 'draft', 'bench', 'employer', ?), (?, 'draft', 'submitted', 'bench', 'employer', ?)",
               (fid, now, fid, now))
    db.execute("INSERT INTO idempotency_keys (caller, idem_key, request_hash, status_code, response_body, location, etag, created_at) VALUES (?, ?, ?, 201, ?, ?, '\"1\"', ?)",
               ("bench-" + tin, str(uuid.uuid4()), fid, answer, "/api/v1/forecasts/" + fid, now))
    db.execute("COMMIT")
    lat.append(time.monotonic() - t0)
    n += 1
el = time.monotonic() - start
lat.sort()
p = lambda q: lat[min(len(lat) - 1, len(lat) * q // 100)] * 1000
print(f"tps={n / el:.1f} p50_ms={p(50):.2f} p99_ms={p(99):.2f}")
PY
)"
echo "bare SQLite: $bare"
summary+=("create-and-submit SQLite, ${conn_counts[0]} connections (bare: 1)|$api|$bare")

echo "== summary"
python3 - "${summary[@]}" <<'PY'
import re, sys
get = lambda s, k: float(re.search(k + r"=([0-9.]+|nan)", s).group(1))
for row in sys.argv[1:]:
    name, api, base = row.split("|")
    a, b = get(api, "rps"), get(base, "tps")
    print(f"{name}: API {a:.0f}/s (p50 {get(api, 'p50_ms'):.1f} ms, p99 {get(api, 'p99_ms'):.1f} ms) vs "
          f"{b:.0f}/s (p50 {get(base, 'p50_ms'):.1f} ms, p99 {get(base, 'p99_ms'):.1f} ms) -> ratio {a / b:.2f}"
          + ("" if "SQLite" in name else " (target >= 0.8)"))
PY
