// What a front-end team writes first against the types that openapi-typescript
// makes from openapi/openapi.json. scripts/generated_clients.sh copies this
// file next to the generated api.d.ts and runs `tsc --noEmit --strict`; a
// change of the document that breaks this code fails CI.
import type { components, operations, paths } from "./api";

type Schemas = components["schemas"];
type Forecast = Schemas["Forecast"];
type ForecastCreate = Schemas["ForecastCreate"];

// The forecast of SPEC §13, as the API answers it.
const forecast: Forecast = {
  id: "0195a0c4-8f4e-7b1a-9c1e-2f0d3c4b5a69",
  number: 17,
  target_year: 2027,
  status: "returned",
  version: 3,
  created_at: "2026-05-01T08:00:00Z",
  updated_at: "2026-05-02T09:30:00Z",
  submitted_at: null,
  notification: "Line 1: give the facade project's permit number",
  employer: {
    person_type: "legal",
    tin: "1012345061",
    organization_name: "Abşeron Tikinti MMC",
    legal_form: "MMC",
    name: null,
    surname: null,
    patronymic: null,
    legal_address: "Bakı, Nizami küç. 1",
    current_address: "Bakı, Nizami küç. 1",
    workplace_address: "Sumqayıt",
    tin_issued_on: "2015-03-02",
    employees_total: 120,
    foreign_workers: 4,
    economic_activity: "F",
  },
  lines: [
    {
      id: "0195a0c4-9000-7000-8000-000000000001",
      occupation_code: "7123",
      occupation_title: "Bənna, xarici suvaq",
      demand_total: 3,
      demand_foreigners: 3,
      justification: "No local plasterers for facade work",
      quota_usage: "other",
      note: null,
    },
  ],
};

// What an ERP system sends to create and submit in one call.
const create: ForecastCreate = {
  submit: true,
  employer: forecast.employer,
  lines: forecast.lines.map(({ id: _id, ...line }) => line),
};

// The operations answer those types.
type Created = paths["/api/v1/forecasts"]["post"]["responses"][201]["content"]["application/json"];
const created: Created = forecast;
type CreateBody = NonNullable<operations["create_forecast"]["requestBody"]>["content"]["application/json"];
const sent: CreateBody = create;

// A list page: {items, page, per_page, total}; its items are list rows.
type ForecastPage = paths["/api/v1/forecasts"]["get"]["responses"][200]["content"]["application/json"];
const page: ForecastPage = { items: [], page: 1, per_page: 10, total: 0 };
const row: ForecastPage["items"][number] | undefined = page.items[0];
const status: Schemas["ForecastStatus"] | undefined = row?.status;

// Errors are problem documents.
type Problem = Schemas["Problem"];
function describe(p: Problem): string {
  return `${p.status} ${p.title}: ${p.detail} (${p.request_id})`;
}

// The client-credentials answer.
const token: Schemas["TokenResponse"] = { access_token: "eyJ…", token_type: "Bearer", expires_in: 300 };

// The types are strict: what the API would refuse does not compile.
// @ts-expect-error: "approved" is not a forecast status
const badStatus: Forecast["status"] = "approved";
// @ts-expect-error: quota_usage is liberated_territories or other
const badUsage: Schemas["QuotaUsage"] = "current_year";
// @ts-expect-error: the employer section is required
const noEmployer: ForecastCreate = { submit: true };

export { created, sent, status, describe, token, badStatus, badUsage, noEmployer };
