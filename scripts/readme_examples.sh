#!/usr/bin/env bash
# Runs the README's examples as a reader would, in order and in one shell,
# against a throw-away server: every ```sh block that follows a
# `<!-- ci: run -->` line (today those of "Get a token" and "Integrating an
# ERP system"). What a reader does by hand is done here:
#   - `cargo run -q --` is the binary the script built;
#   - http://127.0.0.1:8080 is the throw-away server's address;
#   - `CODE=…` takes the confirmation code from the server's log.
# curl fails on any 4xx or 5xx answer (--fail-with-body), and so does the run;
# at the end the forecast must have been submitted.
# Usage: scripts/readme_examples.sh [README]   (default README.md)
set -euo pipefail
. "$(dirname "$0")/lib/tools.sh"
. "$(dirname "$0")/lib/server.sh"
cd "$REPO_ROOT"
readme="${1:-README.md}"

start_server
script="$SERVER_WORK/readme_examples.sh"
README="$readme" python3 - "$script" <<'EOF'
import os, re, sys

readme, out = os.environ["README"], sys.argv[1]
base, binary = os.environ["BASE"], os.environ["QUOTA_BIN"]
lines = open(readme, encoding="utf-8").read().splitlines()
blocks, section, i = [], None, 0
while i < len(lines):
    if lines[i].startswith("## "):
        section = lines[i][3:].strip()
    if lines[i].strip() == "<!-- ci: run -->":
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j >= len(lines) or lines[j].strip() != "```sh":
            sys.exit(f"{readme}:{i + 1}: `<!-- ci: run -->` is not followed by a ```sh block")
        k = j + 1
        while k < len(lines) and lines[k].strip() != "```":
            k += 1
        blocks.append((section, j + 2, "\n".join(lines[j + 1:k])))
        i = k
    i += 1

for wanted in ("Get a token", "Integrating an ERP system"):
    if not any(s == wanted for s, _, _ in blocks):
        sys.exit(f"{readme}: no `<!-- ci: run -->` block in the section \"{wanted}\"")

# What a reader fills in by hand. Each must still match the README, or this
# script no longer runs what the README says.
subs = [
    ("`cargo run -q --` is the built binary", re.compile(r"cargo run -q --"), f'"{binary}"'),
    ("the server's address", re.compile(r"http://127\.0\.0\.1:8080"), base),
    ("the confirmation code from the log", re.compile(r"^CODE=\S+", re.M), "CODE=$(ci_confirmation_code)"),
]
text = "\n".join(b for _, _, b in blocks)
for what, pattern, _ in subs:
    if not pattern.search(text):
        sys.exit(f"{readme}: nothing to substitute for {what} ({pattern.pattern}); update scripts/readme_examples.sh")

with open(out, "w", encoding="utf-8") as f:
    f.write("set -euo pipefail\n")
    for n, (section, line, block) in enumerate(blocks, 1):
        for _, pattern, repl in subs:
            block = pattern.sub(lambda _m: repl, block)
        f.write(f"echo; echo '--- {readme}:{line} ({section})'\n")
        f.write(f"cat <<'README_BLOCK_{n}'\n{block}\nREADME_BLOCK_{n}\n")
        f.write("echo '--- output'\n")
        f.write(block + "\n")
    # The flow reached its end: the forecast is submitted, not refused.
    f.write("echo\n")
    f.write("""echo "$FORECAST" | python3 -c 'import json, sys; f = json.load(sys.stdin); """
            """assert f["status"] == "submitted", f; print("--- forecast", f["id"], "is", f["status"])'\n""")
print(f"{len(blocks)} blocks from {readme}: " + ", ".join(f"{s} (line {l})" for s, l, _ in blocks))
EOF

# The helpers the substituted blocks call. curl fails on a 4xx or 5xx answer
# and then shows the answer on stderr (a body captured by `$(...)` would be
# lost); what it prints ends with a newline.
curl() {
  local body rc=0 url
  body="$(command curl --fail-with-body -sS "$@")" || rc=$?
  if [ $rc -ne 0 ]; then
    for url in "$@"; do case "$url" in http*) break ;; esac; done
    printf 'FAILED: curl %s (exit %d) answered: %s\n' "$url" $rc "$body" >&2
    return $rc
  fi
  printf '%s\n' "$body"
}
ci_confirmation_code() {
  local code="" _
  for _ in $(seq 1 75); do
    code="$(python3 -c 'import re, sys; c = re.findall(r"Your confirmation code: (\d{6})", open(sys.argv[1], errors="replace").read()); print(c[-1] if c else "")' "$SERVER_LOG")"
    [ -n "$code" ] && break
    sleep 0.2
  done
  [ -n "$code" ] || { echo "no confirmation code in the server's log" >&2; return 1; }
  echo "$code"
}
export -f curl ci_confirmation_code

status=0
# A bash of its own: under `|| status=$?` this shell would ignore `set -e`.
bash "$script" || status=$?
if [ $status -ne 0 ]; then
  echo "FAILED: a README example (above) did not run as written"
  server_log_tail
fi
exit $status
