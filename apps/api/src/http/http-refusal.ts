/**
 * A refusal that is about the request rather than the business rules (those are DomainErrors): not authenticated,
 * too many requests, not available yet. The exception filter answers with its status, its code in the usual error
 * body, and its headers (Retry-After, WWW-Authenticate).
 */
export class HttpRefusal extends Error {
  override readonly name = 'HttpRefusal';
  constructor(
    readonly statusCode: number,
    /** Stable, machine-readable, e.g. TOO_MANY_REQUESTS. */
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** 429, with Retry-After in whole seconds (at least 1). */
  static tooManyRequests(message: string, retryAfterMs: number): HttpRefusal {
    return new HttpRefusal(429, 'TOO_MANY_REQUESTS', message, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
  }
}
