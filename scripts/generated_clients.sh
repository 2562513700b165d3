#!/usr/bin/env bash
# Generates the clients that front-end teams and ERP integrators generate
# first from the committed document, openapi/openapi.json, into a temporary
# folder, and checks that they are whole and usable:
#   - a Python client with openapi-python-client (pinned in
#     ci/python/requirements.txt); any warning (an operation or a model it
#     had to leave out) fails, and the package must import;
#   - TypeScript types with openapi-typescript (pinned in ci/node), checked
#     with `tsc --noEmit --strict` against ci/typescript/check.ts, a few
#     lines a front end would write (a Forecast literal, a list page, errors).
# Usage: scripts/generated_clients.sh [KEEP_DIR]   (KEEP_DIR keeps the output)
set -euo pipefail
. "$(dirname "$0")/lib/tools.sh"
cd "$REPO_ROOT"

if [ -n "${1:-}" ]; then
  out="$(mkdir -p "$1" && cd "$1" && pwd)"
else
  out="$(mktemp -d)"
  on_exit "rm -rf '$out'"
fi
status=0

echo "== Python client (openapi-python-client)"
python_tools
echo "openapi-python-client $(openapi-python-client --version 2>/dev/null | awk '{print $NF}')"
if ! generate_python_client "$out/python" --fail-on-warning > "$out/python.log" 2>&1; then
  cat "$out/python.log"
  echo "FAILED: openapi-python-client left something out of the client (above)"
  status=1
fi
if [ -d "$out/python/quota_api_client" ]; then
  # Every module imports, and every operation of the document is in the client.
  PYTHONPATH="$out/python" python - <<'EOF' || status=1
import importlib, json, pkgutil
import quota_api_client.api as api
import quota_api_client.models as models
have = set()
for tag in pkgutil.iter_modules(api.__path__):
    pkg = importlib.import_module(f"{api.__name__}.{tag.name}")
    for m in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{m.name}")
        have.add(m.name)
doc = json.load(open("openapi/openapi.json"))
want = {op["operationId"] for item in doc["paths"].values() for op in item.values()
        if isinstance(op, dict) and "operationId" in op}
print(f"generated {len(have)} operations and {len(models.__all__)} models; every module imports")
failed = False
missing = sorted(want - have)
if missing:
    print("FAILED: operations of the document missing from the Python client: " + ", ".join(missing))
    failed = True
# A list page whose items are written out instead of referring to the item's
# schema gives integrators a second class for the same thing
# (PagedForecastSummaryItemsItem beside ForecastSummary).
inline = sorted(n for n in models.__all__ if n.startswith("Paged") and n.endswith("ItemsItem"))
if inline:
    print("FAILED: list pages with inline item types (the Paged_* schema should refer to the item's schema): "
          + ", ".join(inline))
    failed = True
raise SystemExit(1 if failed else 0)
EOF
fi

echo "== TypeScript types (openapi-typescript + tsc)"
node_tools
mkdir -p "$out/ts"
# Run from the output folder: openapi-typescript would otherwise read redocly.yaml.
if (cd "$out/ts" && "$NODE_BIN/openapi-typescript" "$REPO_ROOT/openapi/openapi.json" -o api.d.ts) > "$out/ts.log" 2>&1; then
  grep -v '^\s*$' "$out/ts.log" || true
  cp ci/typescript/check.ts "$out/ts/check.ts"
  if (cd "$out/ts" && "$NODE_BIN/tsc" --noEmit --strict --noUnusedLocals --target es2022 --module esnext \
      --moduleResolution bundler check.ts api.d.ts); then
    echo "tsc $("$NODE_BIN/tsc" --version | awk '{print $2}'): ci/typescript/check.ts compiles against the generated types"
  else
    echo "FAILED: ci/typescript/check.ts does not compile against the generated types"
    status=1
  fi
else
  cat "$out/ts.log"
  echo "FAILED: openapi-typescript"
  status=1
fi
exit $status
