#!/usr/bin/env bash
# Lints the committed OpenAPI document, openapi/openapi.json, as a front-end
# team's or an ERP integrator's tooling would read it:
#   - Redocly CLI with its recommended rules (redocly.yaml);
#   - Spectral with spectral:oas and the OWASP API Security ruleset
#     (.spectral.yaml, where every waiver gives its reason).
# Both must report 0 errors; warnings are listed by rule (LINT_VERBOSE=1 lists
# each one). Versions are pinned in ci/node; the first run does `npm ci`.
# Usage: scripts/lint_openapi.sh
set -euo pipefail
. "$(dirname "$0")/lib/tools.sh"
cd "$REPO_ROOT"
node_tools

out="$(mktemp -d)"
on_exit "rm -rf '$out'"
status=0

echo "== redocly lint (redocly.yaml: recommended)"
"$NODE_BIN/redocly" lint openapi/openapi.json --config redocly.yaml --format json > "$out/redocly.json" 2> "$out/redocly.err" || true
if ! python3 scripts/lib/lint_report.py redocly "$out/redocly.json"; then
  [ -s "$out/redocly.json" ] || cat "$out/redocly.err"
  status=1
fi

echo "== spectral lint (.spectral.yaml: spectral:oas + OWASP)"
# The ruleset names the OWASP package; NODE_PATH lets Spectral find it in ci/node.
NODE_PATH="$NODE_DIR/node_modules" "$NODE_BIN/spectral" lint openapi/openapi.json --ruleset .spectral.yaml \
  --format json --output "$out/spectral.json" --quiet > "$out/spectral.err" 2>&1 || true
if [ ! -f "$out/spectral.json" ]; then
  cat "$out/spectral.err"
  status=1
elif ! python3 scripts/lib/lint_report.py spectral "$out/spectral.json"; then
  status=1
fi
exit $status
