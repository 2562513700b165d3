# Sourced after scripts/lib/tools.sh: start_server builds the debug binary
# (or takes QUOTA_API_BIN) and starts a throw-away server on a free local
# port, with SQLite in a temporary DATA_DIR, no SMTP_URL (so e-mail, confirmation codes included, goes to the
# log) and JSON log lines. It is stopped when the calling script exits.
# After it: QUOTA_BIN (a copy of the binary that a later build cannot
# replace), BASE (http://127.0.0.1:PORT), SERVER_LOG, SERVER_WORK, and
# DATA_DIR exported so `"$QUOTA_BIN" token ...` signs with the server's key.

start_server() {
  SERVER_WORK="$(mktemp -d)"
  on_exit "rm -rf '$SERVER_WORK'"
  local port t=$SECONDS
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  # QUOTA_API_BIN: a binary built already (CI passes the one its test build
  # made, instead of building the same code again with other features).
  local built="${QUOTA_API_BIN:-}"
  if [ -z "$built" ]; then
    (cd "$REPO_ROOT" && cargo build -q -p api --bin quota-api)
    built="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/quota-api"
  fi
  # CARGO_TARGET_DIR may be shared: a hard link keeps this build's binary
  # even if another build replaces the file meanwhile.
  QUOTA_BIN="$SERVER_WORK/quota-api"
  ln "$built" "$QUOTA_BIN" 2>/dev/null || cp "$built" "$QUOTA_BIN"
  unset DATABASE_URL SMTP_URL APP_ENV AUTH_JWT_SECRET AUTH_JWT_ALG AUTH_JWT_PUBLIC_KEY AUTH_JWT_PRIVATE_KEY
  export DATA_DIR="$SERVER_WORK/data" BIND="127.0.0.1:$port" LOG_FORMAT=json RUST_LOG="${SERVER_RUST_LOG:-info}"
  export OUTBOX_POLL_MS=200
  # The ERP scenario's webhook receiver listens on 127.0.0.1.
  export WEBHOOK_ALLOW_PRIVATE=true
  BASE="http://127.0.0.1:$port"
  SERVER_LOG="$SERVER_WORK/server.log"
  "$QUOTA_BIN" serve > "$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  on_exit "kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null"
  local _
  for _ in $(seq 1 150); do
    curl -fsS "$BASE/health/ready" > /dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  if ! curl -fsS "$BASE/health/ready" > /dev/null 2>&1; then
    echo "server did not start:"; cat "$SERVER_LOG"; return 1
  fi
  export QUOTA_BIN BASE SERVER_LOG
  echo "-- throw-away server at $BASE (build and start: $((SECONDS - t))s; log $SERVER_LOG)"
}

# server_log_tail: the end of the server's log, for a failure report.
server_log_tail() {
  echo "--- server log (last 40 lines)"
  tail -n 40 "$SERVER_LOG" 2>/dev/null || true
}
