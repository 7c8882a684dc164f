import { NextFunction, Request, Response, json, urlencoded } from 'express';
import { NestExpressApplication } from '@nestjs/platform-express';

/** The web-to-lead route: the one route that takes HTML form posts, and calls from other sites' pages. */
export const INTAKE_PATH = '/intake/leads';

/** Small bodies only: a lead is a few short fields. */
const INTAKE_BODY_LIMIT = '16kb';

/**
 * What the intake route gets before the application-wide JSON parser: its own JSON and urlencoded parsers capped at
 * 16 kB (the JSON parser that runs after them then leaves the parsed body alone), and CORS. The key is in the page
 * anyway and nothing is sent with credentials, so any origin may post (a script on the form's page with fetch); a
 * plain HTML form post needs no CORS at all.
 */
export function configureIntakeHttp(app: NestExpressApplication): void {
  app.use(INTAKE_PATH, intakeCors);
  app.use(INTAKE_PATH, json({ limit: INTAKE_BODY_LIMIT }));
  app.use(INTAKE_PATH, urlencoded({ extended: false, limit: INTAKE_BODY_LIMIT, parameterLimit: 50 }));
}

function intakeCors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method !== 'OPTIONS') return next();
  res.setHeader('Access-Control-Allow-Methods', 'POST');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Form-Key');
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
}
