"""Prints the JSON findings of redocly or spectral as `severity rule pointer
message`, one a line (warnings grouped by rule unless LINT_VERBOSE=1), and
exits 1 when there is an error. Used by scripts/lint_openapi.sh.

    python3 lint_report.py redocly|spectral FINDINGS.json
"""

import collections
import json
import os
import sys


def pointer(path):
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def redocly(data):
    for p in data["problems"]:
        loc = p.get("location") or [{}]
        sev = {"error": "error", "warn": "warning"}.get(p["severity"], p["severity"])
        yield sev, p["ruleId"], loc[0].get("pointer", "#/"), p["message"]


def spectral(data):
    names = {0: "error", 1: "warning", 2: "info", 3: "hint"}
    for p in data:
        yield names[p["severity"]], p["code"], pointer(p["path"]), p["message"]


def main():
    tool, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.strip():
        # spectral writes an empty file when it has nothing to say; redocly
        # always writes its problems object, so nothing means it failed
        if tool == "redocly":
            print("redocly: no output")
            sys.exit(2)
        text = "[]"
    data = json.loads(text)
    findings = list({"redocly": redocly, "spectral": spectral}[tool](data))
    verbose = os.environ.get("LINT_VERBOSE") == "1"
    by_severity = collections.Counter(f[0] for f in findings)
    for sev in ("error", "warning", "info", "hint"):
        of_sev = [f for f in findings if f[0] == sev]
        if not of_sev:
            continue
        if sev == "error" or verbose:
            for f in of_sev:
                print(f"  {f[0]:7} {f[1]}  {f[2]}  {f[3]}")
        else:
            rules = collections.Counter(f[1] for f in of_sev)
            for rule, n in sorted(rules.items()):
                first = next(f for f in of_sev if f[1] == rule)
                more = f" (and {n - 1} more)" if n > 1 else ""
                print(f"  {sev:7} {rule}  {first[2]}{more}  {first[3]}")
    summary = ", ".join(f"{by_severity[s]} {s}s" for s in ("error", "warning", "info", "hint") if by_severity[s])
    print(f"{tool}: {summary or 'no findings'}")
    if by_severity["error"]:
        rules = collections.Counter(f[1] for f in findings if f[0] == "error")
        print(f"{tool}: errors by rule: " + ", ".join(f"{r} {n}" for r, n in rules.most_common()))
        sys.exit(1)


if __name__ == "__main__":
    main()
