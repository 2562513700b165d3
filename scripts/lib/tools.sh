# Sourced by the client and document checks in scripts/: installs the pinned
# tools from the registries on first use (and again when a pin changes), and
# prints how long the calling script took. Not a script of its own.
#   ci/node/package.json + package-lock.json  redocly, spectral, openapi-typescript, tsc
#   ci/python/requirements.txt                openapi-python-client and what it pulls in
# Needs: node and npm, python3 with venv. Everything else comes from npm and PyPI.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE_DIR="$REPO_ROOT/ci/node"
NODE_BIN="$NODE_DIR/node_modules/.bin"
PY_VENV="$REPO_ROOT/ci/python/.venv"

# Redocly and the packages it pulls in would otherwise try to phone home.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true SCARF_ANALYTICS=false

# Cleanups run in reverse order of registration when the script exits, then
# the timing line is printed.
_cleanups=()
on_exit() { _cleanups+=("$1"); }
_script_started=$SECONDS
_run_exit() {
  local status=$? i
  for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do eval "${_cleanups[$i]}" || true; done
  printf '%s: %s in %ds\n' "$(basename "$0")" "$([ $status -eq 0 ] && echo passed || echo "FAILED (exit $status)")" \
    $((SECONDS - _script_started))
  exit $status
}
trap _run_exit EXIT

# npm ci into ci/node unless node_modules already matches the lock file.
node_tools() {
  local stamp="$NODE_DIR/node_modules/.ci-lock-stamp" t=$SECONDS
  if [ -f "$stamp" ] && cmp -s "$NODE_DIR/package-lock.json" "$stamp"; then return 0; fi
  echo "-- npm ci (ci/node)"
  # --ignore-scripts: none of the tools needs an install script; one
  # dependency's would only report usage.
  local out status=0
  out="$(cd "$NODE_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1)" || status=$?
  printf '%s\n' "$out" | grep -v 'Unknown user config' || true
  [ $status -eq 0 ] || { echo "npm ci failed in ci/node (exit $status)"; return 1; }
  cp "$NODE_DIR/package-lock.json" "$stamp"
  echo "-- npm ci: $((SECONDS - t))s"
}

# A virtualenv in ci/python/.venv with the pinned requirements; its bin/ goes
# first on PATH (openapi-python-client runs ruff from there).
python_tools() {
  local req="$REPO_ROOT/ci/python/requirements.txt" stamp="$PY_VENV/.ci-requirements-stamp" t=$SECONDS
  if ! { [ -f "$stamp" ] && cmp -s "$req" "$stamp"; }; then
    echo "-- pip install -r ci/python/requirements.txt (into ci/python/.venv)"
    rm -rf "$PY_VENV"
    python3 -m venv "$PY_VENV"
    "$PY_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$stamp"
    echo "-- pip install: $((SECONDS - t))s"
  fi
  export PATH="$PY_VENV/bin:$PATH"
}

# generate_python_client DIR [extra openapi-python-client flags]: the client
# package of openapi/openapi.json in DIR/quota_api_client (import it with DIR
# on PYTHONPATH).
generate_python_client() {
  local dir="$1"; shift
  mkdir -p "$dir"
  (cd "$dir" && openapi-python-client generate --path "$REPO_ROOT/openapi/openapi.json" \
    --meta none --output-path "$dir/quota_api_client" --overwrite \
    --config "$REPO_ROOT/ci/python/client-config.yaml" "$@")
}
