import { DomainError } from './domain-error';

/** Money is never a float: integer minor units (cents for USD, yen for JPY) and an ISO 4217 code. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

const currencies = new Set<string>(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(code: string): boolean {
  return currencies.has(code);
}

/** Checks an amount in minor units and its currency; returns the refusal, or null when both are fine. */
export function checkMoney(amount: unknown, currency: unknown, field = 'amount'): DomainError | null {
  const issues = [];
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) issues.push({ field, reason: 'must be an integer number of minor units (e.g. cents)' });
  else if (amount < 0) issues.push({ field, reason: 'must not be negative' });
  const currencyField = field.includes('.') ? field.replace(/[^.]+$/, 'currency') : 'currency';
  if (typeof currency !== 'string' || !isCurrencyCode(currency)) issues.push({ field: currencyField, reason: 'must be an ISO 4217 currency code, e.g. USD' });
  return issues.length ? DomainError.invalid(issues) : null;
}

/**
 * Money that may not be known yet: amount and currency are both null, or both set and valid (see checkMoney).
 * Returns the refusal, or null when fine.
 */
export function checkOptionalMoney(amount: unknown, currency: unknown, field = 'amount'): DomainError | null {
  if (amount === null && currency === null) return null;
  const currencyField = field.includes('.') ? field.replace(/[^.]+$/, 'currency') : 'currency';
  if (amount === null) return DomainError.validation(field, 'is required when a currency is given (give both or neither)');
  if (currency === null) return DomainError.validation(currencyField, 'is required when an amount is given (give both or neither)');
  return checkMoney(amount, currency, field);
}
