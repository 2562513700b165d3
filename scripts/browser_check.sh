#!/usr/bin/env bash
# What a front end meets in a real browser (issue 26), in headless Chromium:
#   1. a page on another origin (allowed by CORS_ALLOWED_ORIGINS) reads a
#      forecast, polls it with If-None-Match and reads the 304, a problem
#      document and a 401's challenge: every answer carries the CORS grant,
#      or fetch() fails;
#   2. Swagger UI, opened under a real host name, makes no request outside
#      the server (no validator.swagger.io).
# Needs Debian's chromium (`apt-get install chromium`; CHROMIUM= another
# binary), python3 and curl. Starts its own server (scripts/lib/server.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/tools.sh"
source "$here/lib/server.sh"

CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$CHROMIUM" ] || { echo "needs Debian's chromium: apt-get install chromium"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PAGE_PORT="$(free_port)"
PAGE_ORIGIN="http://127.0.0.1:$PAGE_PORT"
export CORS_ALLOWED_ORIGINS="$PAGE_ORIGIN"
start_server
API_PORT="${BASE##*:}"

# Chromium quiet: no first-run, no background fetches of its own, so what it
# requests is what the page asks for.
browse() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-sync \
    --disable-background-networking --disable-component-update --disable-default-apps \
    --disable-features=Translate,OptimizationHints,MediaRouter \
    --user-data-dir="$SERVER_WORK/chromium" "$@" 2> "$SERVER_WORK/chromium.log"
}

TOKEN="$("$QUOTA_BIN" token --role employer --tin 1012345061)"
ID="$(curl -fsS -X POST "$BASE/api/v1/forecasts" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{
  "employer": {"person_type": "legal", "tin": "1012345061", "organization_name": "Abşeron Tikinti MMC",
    "legal_form": "MMC", "legal_address": "Bakı", "current_address": "Bakı", "workplace_address": "Sumqayıt",
    "tin_issued_on": "2015-03-02", "employees_total": 120, "foreign_workers": 4, "economic_activity": "F"},
  "lines": []}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"

PAGE_DIR="$SERVER_WORK/page"
mkdir -p "$PAGE_DIR"
cat > "$PAGE_DIR/index.html" <<EOF
<!doctype html><html><head><meta charset="utf-8"><title>portal</title></head><body>running</body>
<script>
const base = "$BASE", id = "$ID", auth = {Authorization: "Bearer $TOKEN"};
const out = [];
const get = (path, headers) => fetch(base + path, {headers, cache: "no-store"});
(async () => {
  let r = await get("/api/v1/forecasts/" + id, auth);
  const tag = r.headers.get("ETag");
  out.push("read " + r.status + " " + tag);
  r = await get("/api/v1/forecasts/" + id, {...auth, "If-None-Match": tag});
  out.push("poll " + r.status + " " + r.headers.get("ETag"));
  r = await get("/api/v1/forecasts/none-such", auth);
  out.push("problem " + r.status + " " + (await r.json()).type);
  r = await get("/api/v1/me", {});
  out.push("challenge " + r.status + " " + r.headers.get("WWW-Authenticate"));
})().catch(e => out.push("failed " + e)).finally(() => { document.body.textContent = out.join("|"); });
</script></html>
EOF
python3 -m http.server "$PAGE_PORT" --bind 127.0.0.1 --directory "$PAGE_DIR" > "$SERVER_WORK/page.log" 2>&1 &
PAGE_PID=$!
on_exit "kill $PAGE_PID 2>/dev/null; wait $PAGE_PID 2>/dev/null"
for _ in $(seq 1 50); do curl -fsS "$PAGE_ORIGIN/index.html" > /dev/null 2>&1 && break; sleep 0.1; done

status=0
dom="$(browse --virtual-time-budget=10000 --dump-dom "$PAGE_ORIGIN/index.html")"
result="$(printf '%s' "$dom" | python3 -c 'import re,sys; m=re.search(r"<body>(.*?)</body>", sys.stdin.read(), re.S); print(m.group(1) if m else "")')"
echo "-- page on $PAGE_ORIGIN: $result"
for want in 'read 200 "1"' 'poll 304 "1"' 'problem 404 /problems/not-found' 'challenge 401 Bearer realm="quota-api"'; do
  case "|$result|" in
    *"|$want|"*) echo "   ok: $want" ;;
    *) echo "   MISSING: $want"; status=1 ;;
  esac
done

HOST="quota.example.az"
NETLOG="$SERVER_WORK/netlog.json"
dom="$(browse --host-resolver-rules="MAP $HOST 127.0.0.1" --log-net-log="$NETLOG" \
  --virtual-time-budget=20000 --dump-dom "http://$HOST:$API_PORT/swagger-ui/")"
if printf '%s' "$dom" | grep -q 'Labour Migration Quota API'; then
  echo "-- Swagger UI at http://$HOST:$API_PORT/swagger-ui/ shows the document"
else
  echo "-- Swagger UI did not show the document"; status=1
fi
# The requests the page made (its origin initiated them); Chromium's own
# (update checks and the like, "not an origin") are not the page's.
outside="$(python3 - "$NETLOG" "http://$HOST:$API_PORT" <<'PY'
import json, sys
from urllib.parse import urlsplit
log = json.load(open(sys.argv[1], encoding="utf-8"))
names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
page = urlsplit(sys.argv[2]).hostname
urls = set()
for e in log["events"]:
    p = e.get("params") or {}
    if names.get(e["type"]) == "URL_REQUEST_START_JOB" and p.get("initiator") == sys.argv[2]:
        urls.add(p.get("url", ""))
print(" ".join(sorted(u for u in urls if urlsplit(u).hostname != page)))
PY
)"
if [ -n "$outside" ]; then
  echo "   requests outside the server: $outside"; status=1
else
  echo "   ok: every request the page made went to $HOST (validatorUrl none)"
fi
[ $status -eq 0 ] || server_log_tail
exit $status
