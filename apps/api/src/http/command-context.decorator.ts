import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Request } from 'express';
import { z } from 'zod';
import { requirePrincipal } from '../auth/principal.decorator';
import { CommandContext } from '../write/command-context';
import { parseOrRefuse } from './zod-body.pipe';

/** How far ahead of the server clock a client's X-Occurred-At may be (clock skew), in ms. */
const MAX_FUTURE_SKEW_MS = 5 * 60_000;

const token = (max: number) => z.string().trim().min(1).max(max).regex(/^[\x21-\x7e][\x20-\x7e]*$/, 'must be printable ASCII');
const headerSchemas = {
  correlationId: token(128),
  idempotencyKey: token(255),
  ifMatch: z
    .string()
    .trim()
    .regex(/^(W\/)?"?\d{1,15}"?$/, 'must be an ETag this API returned, e.g. "3"')
    .transform((v) => Number(v.replace(/^W\//, '').replace(/"/g, ''))),
  occurredAt: z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .refine((d) => d.getTime() <= Date.now() + MAX_FUTURE_SKEW_MS, 'must not be in the future')
    .transform((d) => d.toISOString()),
};

/**
 * The CommandContext of a request: the actor is the authenticated principal (set by the AccessGuard; an X-Actor
 * header is ignored, since a client could claim to be anyone), the rest comes from the headers: X-Correlation-Id,
 * X-Occurred-At (business time, e.g. for back-dated entries), If-Match (the ETag the client last saw) and
 * Idempotency-Key.
 */
export const Ctx = createParamDecorator((_: unknown, execution: ExecutionContext): CommandContext => {
  const req = execution.switchToHttp().getRequest<Request>();
  const header = (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const optional = <T>(name: string, schema: z.ZodType<T>): T | undefined => {
    const raw = header(name.toLowerCase());
    return raw === undefined ? undefined : parseOrRefuse(schema, raw, name);
  };

  const idempotencyKey = optional('Idempotency-Key', headerSchemas.idempotencyKey);
  const commandId = randomUUID();
  return {
    actor: requirePrincipal(req).actor,
    correlationId: optional('X-Correlation-Id', headerSchemas.correlationId) ?? commandId,
    causationId: commandId,
    occurredAt: optional('X-Occurred-At', headerSchemas.occurredAt) ?? new Date().toISOString(),
    expectedRevision: optional('If-Match', headerSchemas.ifMatch),
    ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash: requestHash(req) } } : {}),
  };
});

/** What makes two requests "the same request" for an Idempotency-Key: method, path and body (key order ignored). */
function requestHash(req: Request): string {
  return createHash('sha256')
    .update(`${req.method} ${req.path}\n${stableJson(req.body ?? null)}`)
    .digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
