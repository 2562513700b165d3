#!/usr/bin/env bash
# Fuzzes the running API from its own OpenAPI document with schemathesis 4:
# every phase (examples, coverage, fuzzing, stateful) and every check, once
# per role, against a fresh database on a free local port. Before the run the
# next year's campaign is opened, the employer's e-mail confirmed and a quota
# approved, so that requests reach the rules and not only the refusals.
#
# Any finding fails the run unless scripts/fuzz-waivers.toml waives it with
# its reason (scripts/fuzz_findings.py reads schemathesis' reports).
#
# Usage: scripts/fuzz.sh [sqlite|postgres] [max-examples]
#   FUZZ_BACKEND   sqlite (default) or postgres, when not given as argument
#   FUZZ_SEED      another seed (default 20261121)
#   FUZZ_PG_URL    a PostgreSQL server where a database may be created
#                  (default postgres://postgres@127.0.0.1:5432/postgres); the
#                  run creates its own database and drops it at the end
#   FUZZ_ROLES     the roles to fuzz as (default "employer officer commission admin")
#   FUZZ_REPORTS   a directory to keep schemathesis' reports and output in
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
backend="${FUZZ_BACKEND:-sqlite}"
case "${1:-}" in
  sqlite | postgres) backend="$1"; shift ;;
esac
max_examples="${1:-50}"
seed="${FUZZ_SEED:-20261121}"
roles="${FUZZ_ROLES:-employer officer commission admin applicant assessor contributor}"
started=$SECONDS
work="$(mktemp -d)"
reports_dir="${FUZZ_REPORTS:-$work}"
mkdir -p "$reports_dir"
log="$reports_dir/$backend-server.log"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
# The mailer logs at info: that is where the e-mail confirmation code is read.
export DATA_DIR="$work/data" BIND="127.0.0.1:$port" RUST_LOG="${RUST_LOG:-warn},api::mailer=info"
export RATE_LIMIT_PER_SECOND=100000 RATE_LIMIT_BURST=100000 OUTBOX_POLL_MS=100
pg_admin="${FUZZ_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db=""
case "$backend" in
  sqlite) unset DATABASE_URL ;;
  postgres)
    db="quota_fuzz_$(date +%s)_$$"
    psql "$pg_admin" -qAt -c "CREATE DATABASE $db" > /dev/null
    export DATABASE_URL="${pg_admin%/*}/$db"
    ;;
  *) echo "backend must be sqlite or postgres, not $backend"; exit 2 ;;
esac
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "$db" ]; then psql "$pg_admin" -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" > /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# QUOTA_API_BIN: a binary built already (see scripts/lib/server.sh).
bin="${QUOTA_API_BIN:-}"
if [ -z "$bin" ]; then
  cargo build -q -p api --bin quota-api
  bin="${CARGO_TARGET_DIR:-target}/debug/quota-api"
fi
"$bin" serve > "$log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/health/ready" > /dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$base/health/ready" > /dev/null || { echo "server did not start:"; cat "$log"; exit 1; }

tin=1012345061
employer="$("$bin" token --role employer --tin "$tin")"
officer="$("$bin" token --role officer)"
commission="$("$bin" token --role commission)"
admin="$("$bin" token --role admin)"
applicant="$("$bin" token --role applicant)"
assessor="$("$bin" token --role assessor --authority economy)"
contributor="$("$bin" token --role contributor --body labour)"

# call METHOD PATH TOKEN [JSON]: fails the script unless the answer is 2xx.
call() {
  local code
  code="$(curl -sS -o "$work/answer.json" -w '%{http_code}' -X "$1" "$base$2" -H "Authorization: Bearer $3" \
    ${4:+-H 'Content-Type: application/json' --data-binary "$4"})"
  case "$code" in
    2??) ;;
    *) echo "preparing: $1 $2 answered $code: $(cat "$work/answer.json")"; exit 1 ;;
  esac
}
year="$(( $(TZ=Asia/Baku date +%Y) + 1 ))"
last="$((year - 1))-12-31"
call PUT "/api/v1/campaigns/$year" "$admin" "{\"target_year\": $year, \"opens_on\": \"$((year - 1))-01-01\",
  \"submission_deadline\": \"$last\", \"correction_deadline\": \"$last\", \"commission_inputs_deadline\": \"$last\",
  \"proposal_deadline\": \"$last\", \"approval_deadline\": \"$last\"}"
call PUT /api/v1/me/email "$employer" '{"email": "hr@fuzz.example.az"}'
code=""
for _ in $(seq 1 50); do
  code="$(grep -o 'Your confirmation code: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)"
  [ -n "$code" ] && break
  sleep 0.1
done
[ -n "$code" ] || { echo "preparing: no confirmation code in the server log"; exit 1; }
call POST /api/v1/me/email/confirm "$employer" "{\"code\": \"$code\"}"
call POST "/api/v1/quota-plans/$year" "$commission"
call PUT "/api/v1/quota-plans/$year" "$commission" '{"entries": [{"economic_activity": "F", "proposed": 100000}]}'
call POST "/api/v1/quota-plans/$year/propose" "$commission"
call PUT "/api/v1/quota-plans/$year" "$admin" '{"entries": [{"economic_activity": "F", "approved": 100000}]}'
call POST "/api/v1/quota-plans/$year/approve" "$admin"
echo "== $backend: campaign $year open, e-mail of $tin confirmed, quota $year approved ($((SECONDS - started))s)"

reports=()
for role in $roles; do
  token_var="$role"
  token="${!token_var}"
  echo "== schemathesis as $role on $backend"
  role_started=$SECONDS
  # Run from the work directory: schemathesis keeps its cache in the current one.
  (cd "$work" && schemathesis run "$base/api-docs/openapi.json" \
    --url "$base" \
    --header "Authorization: Bearer $token" \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --report ndjson --report-ndjson-path "$reports_dir/$backend-$role.ndjson" \
    --no-color > "$reports_dir/$backend-$role.out" 2>&1) || true
  # The summary; every failure is listed by fuzz_findings.py below, and the
  # whole output (warnings included) is in $backend-$role.out.
  sed -n '/^=* SUMMARY =*$/,$p' "$reports_dir/$backend-$role.out" | grep -v '^\s*$' || tail -n 30 "$reports_dir/$backend-$role.out"
  echo "== $role: $((SECONDS - role_started))s"
  reports+=("$role=$reports_dir/$backend-$role.ndjson")
done

status=0
echo "== findings on $backend"
python3 scripts/fuzz_findings.py "$repo/scripts/fuzz-waivers.toml" "${reports[@]}" || status=1
if ! kill -0 "$server" 2>/dev/null; then
  echo "FINDING  the server is not running any more"; status=1
fi
if [ $status -ne 0 ]; then
  echo "--- server log: errors and warnings (tail)"; grep -E '^[0-9-]+T[0-9:.]+Z +(ERROR|WARN)' "$log" | tail -n 30 || true
fi
echo "== fuzz on $backend: $((SECONDS - started))s"
exit $status
