/**
 * The one way the page talks to anything: the api it was served by (same origin, relative URLs), with the credential
 * the user signed in with as `Authorization: Bearer`. It is kept in sessionStorage: this tab only, gone when it closes.
 */

const KEY = 'pipeline-ledger.credential';

export function credential(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setCredential(value: string | null): void {
  if (value === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, value);
}

/** An answer other than 2xx: the api's error body (`error`, `message`, `issues`) as it sent it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ReadonlyArray<{ field: string; reason: string }> = [],
  ) {
    super(message);
  }

  /** What to show: the api's message, and each parameter it refused with its reason. */
  describe(): string {
    const issues = this.issues.map((i) => `${i.field}: ${i.reason}`);
    return issues.length ? `The api refused the request (${this.status}): ${issues.join('; ')}` : `The api answered ${this.status} ${this.code}: ${this.message}`;
  }
}

export type Query = Record<string, string | undefined>;

/** GET path?query (empty values left out) as JSON. A 401 clears the credential (the page shows the sign-in again). */
export async function get<T>(path: string, query: Query = {}): Promise<T> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, value);
  const url = params.size ? `${path}?${params}` : path;
  const token = credential();
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}`, Accept: 'application/json' } : { Accept: 'application/json' }, credentials: 'omit' });
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return body as T;
  const err = (body ?? {}) as { error?: string; message?: string; issues?: Array<{ field: string; reason: string }> };
  if (res.status === 401) setCredential(null);
  throw new ApiError(res.status, err.error ?? 'ERROR', err.message ?? res.statusText, err.issues ?? []);
}

// The answers the page reads (the parts of them it uses), as the api's read side sends them.

export interface Freshness {
  projection: string;
  position: string | null;
  lag: string;
  status: string;
}

export interface CurrencyTotals {
  currency: string;
  count: number;
  amount: number;
  weightedAmount: number;
}

export interface PipelineAnswer {
  stages: Array<{ stage: string; isClosed: boolean; count: number; withoutAmount: number; byCurrency: CurrencyTotals[] }>;
  open: { count: number; byCurrency: CurrencyTotals[] };
  freshness: Freshness;
}

export interface PercentileBucket {
  atMostHours: number | null;
  moreThanHours: number;
}

export interface ConversionFigures {
  counts: { created: number; convertedWithOpportunity: number };
  rates: { leadToOpportunity: number | null };
  timeToConvert: { conversions: number; median: PercentileBucket | null; p90: PercentileBucket | null; approximate: string };
}

export interface ConversionAnswer {
  basis: string;
  timeBasis: string;
  basisDescription: string;
  groups: Array<ConversionFigures & { group: Record<string, string | null> }>;
  total: ConversionFigures;
  freshness: Freshness;
}

export interface WinRateAnswer {
  groups: Array<{ group: Record<string, string | null>; won: number; lost: number; closed: number; winRate: number | null }>;
  total: { won: number; lost: number; closed: number; winRate: number | null };
  freshness: Freshness;
}

export interface LeadsPage {
  items: Array<{ id: string; name?: string | null; firstName?: string | null; lastName?: string | null; company?: string | null; status?: string; source?: string }>;
  total: number;
}

export interface HistoryAnswer {
  total: number;
  asOf: string | null;
  entries: Array<{ type: string; revision: number; position: string; occurredAt: string; recordedAt: string; actor: string; changes: Array<{ field: string; from: unknown; to: unknown }> }>;
}

export interface Health {
  eventStore: { headPosition: string | null };
}
