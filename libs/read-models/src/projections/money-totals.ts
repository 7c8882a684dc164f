import { SumRow } from '../read-model-store.port';
import { numberField } from './rate';

/** Count, amount and weighted amount of some opportunities in one currency (integer minor units). */
export interface CurrencyTotals {
  currency: string;
  count: number;
  amount: number;
  weightedAmount: number;
}

/** Opportunities of a stage or an outcome: all of them, those without an amount, and the others per currency. */
export interface PipelineTotals {
  count: number;
  /** Counted in `count`, adding nothing to any amount. */
  withoutAmount: number;
  /** One entry per currency (amounts in different currencies are never added together), by currency code. */
  byCurrency: CurrencyTotals[];
}

/** Adds up pipeline sum rows (each with `currency`, `count`, `amount`, `weightedAmount`) into totals. */
export function pipelineTotals(rows: readonly SumRow[]): PipelineTotals {
  const byCurrency = new Map<string, CurrencyTotals>();
  let count = 0;
  let withoutAmount = 0;
  for (const row of rows) {
    const n = numberField(row, 'count');
    count += n;
    const currency = row['currency'];
    if (typeof currency !== 'string') {
      withoutAmount += n;
      continue;
    }
    const totals = byCurrency.get(currency) ?? { currency, count: 0, amount: 0, weightedAmount: 0 };
    totals.count += n;
    totals.amount += numberField(row, 'amount');
    totals.weightedAmount += numberField(row, 'weightedAmount');
    byCurrency.set(currency, totals);
  }
  const currencies = [...byCurrency.values()].filter((t) => t.count !== 0).sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  return { count, withoutAmount, byCurrency: currencies };
}
