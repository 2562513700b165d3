#!/usr/bin/env python3
"""Reads schemathesis' NDJSON event reports and says whether a fuzz run passed.

Every failed check is a finding, named by its check and operation. A finding
passes only when the waiver file (a TOML array of [[waiver]] tables) covers
it; anything else, and any error schemathesis met, fails the run.

When the answer is a problem document, each refusal it carries (each entry
of `errors`, or else the problem type) must be covered by a waiver on its
own, so a waiver for one reason never hides another reason in the same
answer. A waiver names:

  check      the schemathesis check, e.g. "positive_data_acceptance"
  operation  "METHOD /path" as in the document, a list of them, or "*"
  reason     why this is not a defect (required)
and may narrow itself with:
  roles      the roles it applies to
  status     the answer's status codes
  codes      the refusal codes (`errors[].code`, or the problem type's last part)
  fields     a regular expression a refusal's field must match in full
  message    a regular expression a refusal's message (or the detail) must contain

Usage: fuzz_findings.py WAIVERS.toml ROLE=REPORT.ndjson [ROLE=REPORT.ndjson ...]
"""

from __future__ import annotations

import base64
import json
import re
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field

WAIVER_KEYS = {"check", "operation", "reason", "roles", "status", "codes", "fields", "message"}


@dataclass
class Refusal:
    code: str
    field: str | None
    message: str


@dataclass
class Finding:
    role: str
    phase: str
    check: str
    code: str
    title: str
    operation: str
    status: int | None
    refusals: list[Refusal] = field(default_factory=list)
    request: str = ""
    answer: str = ""

    @property
    def codes(self) -> list[str]:
        return sorted({r.code for r in self.refusals})


@dataclass
class Waiver:
    check: str
    operation: str | list[str]
    reason: str
    roles: list[str] | None = None
    status: list[int] | None = None
    codes: list[str] | None = None
    fields: str | None = None
    message: str | None = None
    used: int = 0

    def applies(self, f: Finding) -> bool:
        operations = [self.operation] if isinstance(self.operation, str) else self.operation
        if self.check != f.check or not ("*" in operations or f.operation in operations):
            return False
        if self.roles is not None and f.role not in self.roles:
            return False
        return self.status is None or f.status in self.status

    def covers(self, r: Refusal | None) -> bool:
        if r is None:
            # An answer that is not a problem document: only a waiver that
            # asks nothing of the refusal covers it.
            return self.codes is None and self.fields is None and self.message is None
        if self.codes is not None and r.code not in self.codes:
            return False
        if self.fields is not None and not re.fullmatch(self.fields, r.field or ""):
            return False
        return self.message is None or re.search(self.message, r.message) is not None


def load_waivers(path: str) -> list[Waiver]:
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    waivers = []
    for i, w in enumerate(raw.get("waiver", [])):
        unknown = set(w) - WAIVER_KEYS
        if unknown:
            sys.exit(f"{path}: waiver {i + 1} has unknown keys {sorted(unknown)}")
        if not all(isinstance(w.get(k), (str, list)) and w[k] for k in ("check", "operation", "reason")):
            sys.exit(f"{path}: waiver {i + 1} needs a check, an operation (or a list of them) and a reason")
        waivers.append(Waiver(**w))
    return waivers


def decode(body: dict | None) -> bytes:
    if not body:
        return b""
    if "$base64" in body:
        return base64.b64decode(body["$base64"])
    return str(body.get("string", "")).encode()


def describe(interaction: dict | None) -> tuple[int | None, list[Refusal], str, str]:
    if not interaction:
        return None, [], "", ""
    req, resp = interaction.get("request") or {}, interaction.get("response") or {}
    status = resp.get("status_code")
    content = decode(resp.get("content") or resp.get("body"))
    refusals: list[Refusal] = []
    try:
        problem = json.loads(content)
    except ValueError:
        problem = None
    if isinstance(problem, dict):
        for e in problem.get("errors") or []:
            if isinstance(e, dict):
                refusals.append(Refusal(str(e.get("code")), str(e.get("field")), str(e.get("message", ""))))
        if not refusals and isinstance(problem.get("type"), str):
            refusals.append(Refusal(problem["type"].rsplit("/", 1)[-1], None, str(problem.get("detail", ""))))
    body = decode(req.get("body"))[:300].decode("utf-8", "replace")
    request = f"{req.get('method')} {req.get('uri')}" + (f" {body}" if body else "")
    return status, refusals, request, content[:300].decode("utf-8", "replace")


def read_report(role: str, path: str) -> tuple[list[Finding], list[str]]:
    findings, errors = [], []
    finished = False
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        return [], [f"{role}: no report ({e})"]
    with f:
        for line in f:
            event = json.loads(line)
            ((kind, data),) = event.items()
            if kind in ("NonFatalError", "FatalError"):
                info = data.get("info") or data.get("value") or data
                errors.append(f"{role}: {kind} {data.get('label', '')}: {json.dumps(info)[:500]}")
            finished = finished or kind == "EngineFinished"
            if kind != "ScenarioFinished":
                continue
            recorder = data.get("recorder") or {}
            interactions = recorder.get("interactions") or {}
            for case_id, checks in (recorder.get("checks") or {}).items():
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    failure = (check.get("failure_info") or {}).get("failure") or {}
                    status, refusals, request, answer = describe(interactions.get(case_id))
                    findings.append(
                        Finding(
                            role=role,
                            phase=str(data.get("phase")),
                            check=check.get("name", "?"),
                            code=failure.get("code", "?"),
                            title=failure.get("title", "?"),
                            operation=failure.get("operation") or recorder.get("label", "?"),
                            status=status,
                            refusals=refusals,
                            request=request,
                            answer=answer,
                        )
                    )
    if not finished:
        errors.append(f"{role}: the run did not finish (see its output)")
    return findings, errors


def waivers_for(f: Finding, waivers: list[Waiver]) -> list[Waiver] | None:
    """The waivers that together cover every refusal of `f`, or None."""
    candidates = [w for w in waivers if w.applies(f)]
    used = []
    for r in f.refusals or [None]:
        w = next((w for w in candidates if w.covers(r)), None)
        if w is None:
            return None
        used.append(w)
    return used


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    waivers = load_waivers(sys.argv[1])
    findings, errors = [], []
    for arg in sys.argv[2:]:
        role, _, path = arg.partition("=")
        f, e = read_report(role, path)
        findings += f
        errors += e
    open_: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    waived: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        covering = waivers_for(f, waivers)
        if covering is None:
            open_[(f.check, f.operation)].append(f)
            continue
        for w in {id(w): w for w in covering}.values():
            w.used += 1
            waived[id(w)].append(f)
    for w in waivers:
        fs = waived.get(id(w))
        if not fs:
            continue
        ops = sorted({f.operation for f in fs})
        roles = ",".join(sorted({f.role for f in fs}))
        print(f"waived   {w.check} ({len(fs)}x as {roles}, on {len(ops)} operations): {w.reason.strip().splitlines()[0]}")
    for (check, op), fs in sorted(open_.items()):
        roles = ",".join(sorted({f.role for f in fs}))
        first = fs[0]
        print(f"FINDING  {check} ({first.code} {first.title}) on {op}: {len(fs)}x as {roles}")
        kinds: dict[tuple, list[Finding]] = defaultdict(list)
        for f in fs:
            kinds[(f.status, tuple(f.codes))].append(f)
        for (status, codes), same in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
            f = same[0]
            print(f"    {len(same)}x {status} {list(codes)}, e.g. as {f.role} in {f.phase}:")
            print(f"        {f.request[:400]}")
            print(f"        -> {f.answer}")
    for e in errors:
        print(f"ERROR    {e}")
    for w in waivers:
        if not w.used:
            print(f"note: waiver not needed in this run: {w.check} on {w.operation}: {w.reason.strip().splitlines()[0]}")
    total_waived = sum(1 for f in findings) - sum(len(v) for v in open_.values())
    total_open = sum(len(v) for v in open_.values())
    print(
        f"fuzz findings: {total_open} open in {len(open_)} (check, operation) pairs, "
        f"{total_waived} waived, {len(errors)} errors"
    )
    return 1 if open_ or errors else 0


if __name__ == "__main__":
    sys.exit(main())
