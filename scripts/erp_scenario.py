"""An employer's ERP system from registration to an accepted forecast, driven
through the Python client that openapi-python-client generates from
openapi/openapi.json, the way an integrator would use it. Every API call goes
through that client; tokens for people come from `quota-api token`, and the
e-mail confirmation code from the server's log (no SMTP_URL in development).

Run by scripts/erp_scenario.sh, which starts a throw-away server and
generates the client. It needs, in the environment: BASE (the server's URL),
QUOTA_BIN (the binary, for tokens), SERVER_LOG (the server's JSON log), and
the generated package `quota_api_client` on PYTHONPATH.

Each step prints one line; an unexpected status or answer prints the body and
exits 1.

The summary export: today GET /api/v1/summaries/{year}?format=csv (operation
get_summary). When the export becomes an operation of its own, e.g.
GET /api/v1/summaries/{year}/export.csv, summary_csv() finds it in the client
by its path and uses it instead (SUMMARY_EXPORT=query forces the old way,
SUMMARY_EXPORT=<module> names the operation's module, e.g. quota.export_summary).
"""

import csv
import datetime
import http.server
import enum
import importlib
import inspect
import io
import json
import os
import pkgutil
import re
import subprocess
import sys
import threading
import time
import uuid
from zoneinfo import ZoneInfo

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

import quota_api_client.api as generated_api
from quota_api_client import AuthenticatedClient, Client
from quota_api_client.api.campaigns import set_campaign
from quota_api_client.api.forecasts import (
    accept,
    create_forecast,
    get_forecast,
    get_forecast_history,
    list_forecasts,
    replace_forecast,
    return_forecast,
    start_review,
    submit,
)
from quota_api_client.api.identity import (
    confirm_contact_email,
    create_api_client,
    me,
    oauth_token,
    set_contact_email,
)
from quota_api_client.api.quota import get_summary
from quota_api_client.api.webhooks import (
    create_webhook,
    list_webhook_deliveries,
    rotate_webhook_secret,
)
from quota_api_client.models import (
    ApiClientInput,
    Campaign,
    EmailConfirmInput,
    EmailInput,
    Employer,
    EventType,
    ForecastCreate,
    ForecastReplace,
    ForecastStatus,
    Format,
    LineInput,
    PersonType,
    QuotaUsage,
    ReturnInput,
    TokenForm,
    WebhookInput,
)

BASE = os.environ["BASE"]
QUOTA_BIN = os.environ["QUOTA_BIN"]
SERVER_LOG = os.environ["SERVER_LOG"]
TIN = "1012345061"
EMAIL = "hr@absheron.az"

findings = []  # what an integrator would trip over, though the scenario went on


def fail(what, resp=None):
    print(f"FAILED: {what}")
    if resp is not None:
        print(f"  status {int(resp.status_code)}; headers {dict(resp.headers)}")
        print("  body: " + resp.content.decode("utf-8", "replace")[:2000])
    sys.exit(1)


def expect(step, resp, status):
    """Prints the step; fails unless the answer has `status`."""
    got = int(resp.status_code)
    print(f"  {step}: {got}")
    if got != status:
        fail(f"{step}: expected {status}, got {got}", resp)
    return resp


def check(cond, what, resp=None):
    if not cond:
        fail(what, resp)


def token(*args):
    """A person's token, minted by the binary with the server's key."""
    return subprocess.run([QUOTA_BIN, "token", *args], check=True, capture_output=True, text=True).stdout.strip()


def confirmation_code(email, after, timeout=15.0):
    """The code of the last confirmation e-mail to `email` logged after byte `after`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(SERVER_LOG, encoding="utf-8", errors="replace") as f:
            f.seek(after)
            text = f.read()
        codes = []
        for line in text.splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            values = json.dumps(event, ensure_ascii=False)
            if email in values:
                codes += re.findall(r"Your confirmation code: (\d{6})", values)
        if codes:
            return codes[-1]
        time.sleep(0.2)
    fail(f"no confirmation code for {email} in the server's log ({SERVER_LOG}) within {timeout:.0f}s")


def summary_csv(client, year):
    """(how, response) for the summary of `year` as CSV; see the module's doc."""
    choice = os.environ.get("SUMMARY_EXPORT", "auto")
    module = None
    if choice not in ("auto", "query"):
        module = importlib.import_module(f"{generated_api.__name__}.{choice}")
    elif choice == "auto":
        for tag in pkgutil.iter_modules(generated_api.__path__):
            pkg = importlib.import_module(f"{generated_api.__name__}.{tag.name}")
            for m in pkgutil.iter_modules(pkg.__path__):
                mod = importlib.import_module(f"{pkg.__name__}.{m.name}")
                src = inspect.getsource(mod._get_kwargs)
                # The year's own export, not a snapshot's (…/snapshots/{number}/csv).
                path = re.search(r'"url":\s*"(/api/v1/summaries/\{year\}/[^"{]*)"', src)
                if path and ("csv" in path.group(1) or "export" in path.group(1)):
                    module = mod
    if module is None:
        how = "get_summary: GET /api/v1/summaries/{year}?format=csv"
        kwargs = {"format_": Format.CSV}
        module = get_summary
    else:
        url = re.search(r'"url":\s*"([^"]*)"', inspect.getsource(module._get_kwargs)).group(1)
        how = f"{module.__name__.rsplit('.', 1)[-1]}: GET {url}"
        kwargs = {}
        if "format_" in inspect.signature(module._get_kwargs).parameters:
            # the generated enum of the format parameter, whatever its name
            enums = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, enum.Enum)]
            kwargs["format_"] = next((e("csv") for e in enums if "csv" in [m.value for m in e]), "csv")
    try:
        return how, module.sync_detailed(year, client=client, **kwargs)
    except ValueError as e:  # json.JSONDecodeError: the client parsed CSV as JSON
        findings.append(
            f"{how}: the generated client's sync_detailed() raises {type(e).__name__} ({e}) on the CSV answer: "
            "the operation's 200 mixes application/json with text/csv and xlsx, and the client parses it as JSON. "
            "Worked around with the operation's generated request and the client's httpx client."
        )
        raw = client.get_httpx_client().request(**module._get_kwargs(year, **kwargs))
        return how + " (raw)", raw


class Receiver:
    """The ERP system's own webhook receiver on 127.0.0.1. Every delivery is
    verified with the `standardwebhooks` package from PyPI (the
    specification's library, not this project's code) against the secrets
    the ERP holds; the first delivery of each event type in `fail_once` is
    answered 500, so the server has to send it again."""

    def __init__(self):
        self.secrets = []
        self.fail_once = set()
        self.received = []  # (webhook-id, type, data, status answered, secrets that verified it)
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                verified = []
                with receiver.lock:
                    secrets = list(receiver.secrets)
                for i, secret in enumerate(secrets):
                    try:
                        Webhook(secret).verify(body, headers)
                        verified.append(i)
                    except WebhookVerificationError:
                        pass
                event = json.loads(body)
                with receiver.lock:
                    status = 204 if verified else 400
                    if verified and event["type"] in receiver.fail_once:
                        receiver.fail_once.discard(event["type"])
                        status = 500
                    receiver.received.append((headers.get("webhook-id"), event["type"], event["data"], status, verified))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/erp/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivered(self):
        with self.lock:
            return [r for r in self.received if 200 <= r[3] < 300]

    def wait(self, cond, what, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if cond():
                return
            time.sleep(0.2)
        with self.lock:
            got = [(r[0], r[1], r[3], r[4]) for r in self.received]
        fail(f"{what}: not within {timeout:.0f}s; received {got}")


def main():
    started = time.monotonic()
    today = datetime.datetime.now(ZoneInfo("Asia/Baku")).date()
    year = today.year + 1  # the target year a forecast filed today defaults to
    print(f"ERP scenario against {BASE}; today in Baku {today}, target year {year}")

    admin = AuthenticatedClient(base_url=BASE, token=token("--role", "admin"))
    officer = AuthenticatedClient(base_url=BASE, token=token("--role", "officer"))
    person = AuthenticatedClient(base_url=BASE, token=token("--role", "employer", "--tin", TIN))
    anonymous = Client(base_url=BASE)

    print("1. admin registers the ERP system as an API client")
    r = expect("POST /api/v1/api-clients", create_api_client.sync_detailed(
        client=admin, body=ApiClientInput(name="Abşeron Tikinti 1C", tin=TIN)), 201)
    client_id, client_secret = r.parsed.client.client_id, r.parsed.client_secret
    check(client_id.startswith("qc_") and client_secret, "a client id qc_… and a secret", r)

    print("2. the ERP system takes a token with the client-credentials grant")
    r = expect("POST /api/v1/oauth/token", oauth_token.sync_detailed(client=anonymous, body=TokenForm(
        grant_type="client_credentials", client_id=client_id, client_secret=client_secret)), 200)
    check(r.parsed.token_type.lower() == "bearer" and r.parsed.expires_in > 0, "a bearer token that expires", r)
    erp = AuthenticatedClient(base_url=BASE, token=r.parsed.access_token)
    r = expect("GET /api/v1/me (ERP)", me.sync_detailed(client=erp), 200)
    check(r.parsed.tin == TIN and "employer" in [x.value for x in r.parsed.roles],
          "the ERP token acts as the employer", r)

    print("2b. the ERP system subscribes its own receiver to its forecasts' status changes")
    rx = Receiver()
    r = expect("POST /api/v1/webhooks", create_webhook.sync_detailed(client=erp, body=WebhookInput(
        url=rx.url, events=[EventType.FORECAST_SUBMITTED, EventType.FORECAST_RETURNED, EventType.FORECAST_ACCEPTED],
        description="ERP receiver")), 201)
    check(r.parsed.secret.startswith("whsec_"), "a signing secret whsec_…, shown once", r)
    hook_id = r.parsed.id
    with rx.lock:
        rx.secrets = [r.parsed.secret]
        rx.fail_once.add("forecast.returned")  # answered 500 once: it must come again

    print("3. the employer sets and confirms the contact e-mail (code from the server's log)")
    log_size = os.path.getsize(SERVER_LOG)
    expect("PUT /api/v1/me/email", set_contact_email.sync_detailed(client=person, body=EmailInput(email=EMAIL)), 202)
    code = confirmation_code(EMAIL, log_size)
    print(f"  code from the log: {code}")
    expect("POST /api/v1/me/email/confirm", confirm_contact_email.sync_detailed(
        client=person, body=EmailConfirmInput(code=code)), 200)
    r = expect("GET /api/v1/me", me.sync_detailed(client=person), 200)
    check(r.parsed.contact and r.parsed.contact.email_confirmed and r.parsed.contact.email == EMAIL,
          "the contact e-mail is confirmed", r)

    print(f"4. admin opens the campaign for {year} so that today is inside its dates")
    end = datetime.date(today.year, 12, 31)
    expect(f"PUT /api/v1/campaigns/{year}", set_campaign.sync_detailed(year, client=admin, body=Campaign(
        target_year=year, opens_on=datetime.date(today.year, 1, 1), submission_deadline=end, correction_deadline=end,
        commission_inputs_deadline=end, proposal_deadline=end, approval_deadline=end)), 200)

    print("5. the ERP system creates and submits a forecast in one call, with an Idempotency-Key, and retries it")
    employer = Employer(
        person_type=PersonType.LEGAL, tin=TIN, organization_name="Abşeron Tikinti MMC", legal_form="MMC",
        legal_address="Bakı, Nizami küç. 1", current_address="Bakı, Nizami küç. 1", workplace_address="Sumqayıt",
        tin_issued_on=datetime.date(2015, 3, 2), employees_total=120, foreign_workers=4, economic_activity="F")
    line = LineInput(occupation_code="7123", occupation_title="Bənna, xarici suvaq", demand_total=3,
                     demand_foreigners=3, justification="No local plasterers for facade work",
                     quota_usage=QuotaUsage.OTHER, note=None)
    body = ForecastCreate(submit=True, employer=employer, lines=[line])
    key = f"erp-{year}-{uuid.uuid4().hex[:12]}"
    first = expect("POST /api/v1/forecasts",
                   create_forecast.sync_detailed(client=erp, body=body, idempotency_key=key), 201)
    fid = first.parsed.id
    check(first.parsed.status.value == "submitted", "created and submitted", first)
    check(first.headers.get("location", "").endswith(f"/api/v1/forecasts/{fid}"), "Location names the forecast", first)
    again = expect("POST /api/v1/forecasts (same key, same body)",
                   create_forecast.sync_detailed(client=erp, body=body, idempotency_key=key), 201)
    check(json.loads(again.content) == json.loads(first.content), "the retry answers the first answer", again)
    if again.content != first.content:
        findings.append("Idempotency-Key replay: same JSON, but not the same bytes")
    r = expect("GET /api/v1/forecasts (ERP)", list_forecasts.sync_detailed(client=erp, target_year=year), 200)
    check(r.parsed.total == 1 and r.parsed.items[0].id == fid, "one forecast, not two", r)

    print("6. an officer returns it with a reason")
    reason = "Line 1: name the facade project and its permit number"
    r = expect(f"GET /api/v1/forecasts/{fid} (officer)", get_forecast.sync_detailed(fid, client=officer), 200)
    expect(f"POST /api/v1/forecasts/{fid}/return", return_forecast.sync_detailed(
        fid, client=officer, body=ReturnInput(reason=reason), if_match=r.headers["etag"]), 200)

    print("7. the ERP system reads the reason, corrects the forecast (PUT) and submits it again")
    r = expect(f"GET /api/v1/forecasts/{fid} (ERP)", get_forecast.sync_detailed(fid, client=erp), 200)
    check(r.parsed.status.value == "returned" and r.parsed.notification == reason, "returned, with the reason", r)
    corrected = LineInput(occupation_code="7123", occupation_title="Bənna, xarici suvaq", demand_total=4,
                          demand_foreigners=4, justification="Facade of the Sumqayıt school, permit 2026/118",
                          quota_usage=QuotaUsage.OTHER, note="Corrected after the Service's return")
    r = expect(f"PUT /api/v1/forecasts/{fid}", replace_forecast.sync_detailed(
        fid, client=erp, body=ForecastReplace(employer=employer, lines=[corrected]), if_match=r.headers["etag"]), 200)
    check(r.parsed.lines[0].demand_total == 4, "the correction is kept", r)
    r = expect(f"POST /api/v1/forecasts/{fid}/submit", submit.sync_detailed(
        fid, client=erp, if_match=r.headers["etag"], idempotency_key=f"{key}-resubmit"), 200)
    check(r.parsed.status.value == "submitted", "submitted again", r)

    print("7b. the receiver has the submission, the return (after one failed answer, sent again) and the resubmission")
    rx.wait(lambda: [t for _, t, *_ in rx.delivered()] == ["forecast.submitted", "forecast.returned", "forecast.submitted"],
            "three deliveries in order")
    with rx.lock:
        returned = [x for x in rx.received if x[1] == "forecast.returned"]
    check(len(returned) == 2 and returned[0][3] == 500 and returned[1][3] == 204 and returned[0][0] == returned[1][0],
          f"the return failed once and came again with the same webhook-id: {[(x[0], x[3]) for x in returned]}")
    check(returned[1][2]["notification"] == reason and returned[1][2]["correction_due"],
          "the return's data holds the reason and correction_due")
    check(all(d[2]["id"] == fid for d in rx.delivered()), "every event names the forecast")

    print("7c. the ERP system rotates the signing secret; both secrets verify for a day")
    rotated = expect(f"POST /api/v1/webhooks/{hook_id}/rotate-secret",
                     rotate_webhook_secret.sync_detailed(hook_id, client=erp), 200)
    with rx.lock:
        rx.secrets = [rx.secrets[0], rotated.parsed.secret]

    print("8. the officer reviews and accepts it")
    r = expect(f"POST /api/v1/forecasts/{fid}/start-review", start_review.sync_detailed(
        fid, client=officer, if_match=r.headers["etag"]), 200)
    r = expect(f"POST /api/v1/forecasts/{fid}/accept", accept.sync_detailed(
        fid, client=officer, if_match=r.headers["etag"]), 200)
    check(r.parsed.status.value == "accepted", "accepted", r)
    r = expect(f"GET /api/v1/forecasts/{fid}/history (ERP)", get_forecast_history.sync_detailed(fid, client=erp), 200)
    steps = [(h.from_status.value if isinstance(h.from_status, ForecastStatus) else None, h.to_status.value)
             for h in r.parsed.items]
    want = [(None, "draft"), ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"),
            ("submitted", "in_review"), ("in_review", "accepted")]
    check(steps in (want, want[::-1]), f"history {steps}, expected {want} (either order)", r)

    print("8b. the acceptance arrives signed with the old and the new secret, verified by standardwebhooks")
    rx.wait(lambda: any(t == "forecast.accepted" for _, t, *_ in rx.delivered()), "the acceptance")
    accepted = [x for x in rx.delivered() if x[1] == "forecast.accepted"][0]
    check(accepted[4] == [0, 1], f"verified with both secrets during the overlap, got {accepted[4]}")
    check(accepted[2]["status"] == "accepted", "its data is the accepted forecast")
    with rx.lock:
        unverified = [x for x in rx.received if not x[4]]
    check(not unverified, f"every delivery verified: {unverified}")
    logged = expect(f"GET /api/v1/webhooks/{hook_id}/deliveries",
                    list_webhook_deliveries.sync_detailed(hook_id, client=erp), 200)
    log = [(d.event_type, d.status.value, d.attempts) for d in logged.parsed.items]
    check(("forecast.returned", "succeeded", 2) in log and len(log) == 4, f"the delivery log shows the retry: {log}", logged)

    print(f"9. the summary of {year} counts it, and its CSV export downloads")
    r = expect(f"GET /api/v1/summaries/{year}", get_summary.sync_detailed(year, client=officer), 200)
    f_row = [a for a in r.parsed.activities if a.economic_activity == "F"]
    check(f_row and f_row[0].accepted.demand_total == 4 and f_row[0].accepted.quota_foreigners == 4,
          "activity F counts the corrected demand of 4", r)
    how, r = summary_csv(officer, year)
    expect(f"CSV export ({how})", r, 200)
    check(r.headers.get("content-type", "").startswith("text/csv"), "a text/csv answer", r)
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8"))))
    check(len(rows) >= 2 and rows[0][0] == "Economic activity code", "a header row and figures", r)
    f_csv = [row for row in rows[1:] if row[0] == "F" and row[2] == "accepted"]
    check(f_csv and f_csv[0][5] == "4", "the CSV's row for F shows the demand of 4", r)
    print(f"  {len(rows) - 1} rows; F: {f_csv[0]}")

    for f in findings:
        print(f"FINDING: {f}")
    print(f"ERP scenario passed in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
