import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PUBLIC_EXTENSION, ROLES_EXTENSION } from '../auth/access.decorators';

type Operation = {
  tags?: string[];
  description?: string;
  parameters?: unknown[];
  responses?: Record<string, unknown>;
  security?: unknown[];
  [ROLES_EXTENSION]?: string[];
  [PUBLIC_EXTENSION]?: boolean;
};

/** Where the document and its reader are served (to authenticated callers, any role: see bootstrap.ts). */
export const OPENAPI_PATHS = ['/docs', '/openapi.json', '/openapi.yaml'] as const;

/** Tags whose POSTs are not commands on records: the command headers (If-Match, Idempotency-Key, ...) mean nothing there. */
const NOT_COMMANDS = new Set(['webhooks', 'intake']);

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', description: 'stable code, e.g. VALIDATION_FAILED, LEAD_NOT_FOUND, LEAD_CONVERTED, CONCURRENCY_CONFLICT', example: 'VALIDATION_FAILED' },
    message: { type: 'string' },
    issues: {
      type: 'array',
      description: 'for 400: every offending field and why',
      items: { type: 'object', properties: { field: { type: 'string', example: 'lastName' }, reason: { type: 'string', example: 'is required' } } },
    },
    requiredRoles: { type: 'array', description: 'for 403 FORBIDDEN: the roles that may call the operation', items: { type: 'string' }, example: ['manager', 'admin'] },
    requiredGrant: { type: 'string', description: 'for 403 PII_GRANT_REQUIRED: the grant that is missing', example: 'pii' },
  },
};

const header = (name: string, description: string, example?: string) => ({ in: 'header', name, required: false, description, schema: { type: 'string', ...(example ? { example } : {}) } });

/** Headers every command understands (see README, "Headers"). */
const COMMAND_HEADERS = [
  header('If-Match', 'the ETag (revision) you read; a stale one is a 409 and nothing is written', '"3"'),
  header('Idempotency-Key', 'the same key and body answer with the first result and write nothing; another body is a 409'),
  header('X-Correlation-Id', 'ties together everything one request caused'),
  header('X-Occurred-At', 'business time for back-dated entries, ISO 8601, not in the future', '2026-03-01T09:30:00Z'),
];

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** Builds the OpenAPI document from the controllers and serves it at /openapi.json, readable at /docs. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Pipeline Ledger')
    .setDescription('Event-sourced leads, accounts, contacts and opportunities: commands in, current state out.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'a JWT (HS256 or RS256, as configured) or an API key (plk_...)' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'an API key (plk_...), made with `pipeline-ledger keys create`' }, 'apiKey')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA } };
  for (const path of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(path as Record<string, Operation>)) {
      operation.responses = {
        ...operation.responses,
        '400': errorResponse('a field is missing or malformed (each named in issues)'),
        ...(path === document.paths['/health'] ? {} : { '404': errorResponse('no record with that id') }),
      };
      const roles = operation[ROLES_EXTENSION];
      if (operation[PUBLIC_EXTENSION]) operation.security = [];
      else {
        operation.responses['401'] = errorResponse('no credential, or one that is malformed, expired, revoked or unknown (UNAUTHENTICATED)');
        operation.responses['403'] = errorResponse(`the caller has none of the roles that may call this (FORBIDDEN, with requiredRoles)`);
        if (roles) operation.description = `${operation.description ? `${operation.description}\n\n` : ''}Roles: ${roles.join(', ')}.`;
      }
      if ((method === 'post' || method === 'patch') && !operation.tags?.some((tag) => NOT_COMMANDS.has(tag))) {
        operation.parameters = [...(operation.parameters ?? []), ...COMMAND_HEADERS];
        operation.responses['409'] = errorResponse('a business rule refuses it, or the record changed (concurrency)');
      }
    }
  }
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  return document;
}
