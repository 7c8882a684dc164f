import * as path from 'node:path';
import { KeyObject, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { JSONWebKeySet, createLocalJWKSet } from 'jose';
import { configError } from './config-error';

/**
 * Who may authenticate, and how: API keys (always; kept hashed in <DATA_DIR>/access.sqlite) and, when configured,
 * bearer JWTs signed with HS256 (a shared secret) and/or RS256 (a public key in a PEM file, or a JWKS file).
 */
export interface AuthConfig {
  /** The SQLite file of the API keys. */
  accessFile: string;
  /** null: no JWT settings, only API keys authenticate. */
  jwt: JwtConfig | null;
}

export interface JwtConfig {
  /** JWT_SECRET as bytes: HS256 tokens are accepted when set. */
  hs256Secret: Uint8Array | null;
  /** RS256 tokens are accepted when set: one public key (JWT_PUBLIC_KEY_FILE) or a key set (JWT_JWKS_FILE). */
  rs256: { kind: 'pem'; key: KeyObject } | { kind: 'jwks'; jwks: JSONWebKeySet } | null;
  /** When set, the `iss` claim must be this. */
  issuer: string | null;
  /** When set, the `aud` claim must be (or contain) this. */
  audience: string | null;
}

/** HS256 keys shorter than this are guessable offline from one token (RFC 7518 3.2: at least the hash size). */
export const MIN_SECRET_BYTES = 32;

/** The authentication settings; a wrong one is a ConfigError naming it (the secret itself is never printed). */
export function readAuthConfig(env: NodeJS.ProcessEnv, dataDir: string): AuthConfig {
  const problems: string[] = [];
  const setting = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const secret = setting('JWT_SECRET');
  const pemFile = setting('JWT_PUBLIC_KEY_FILE');
  const jwksFile = setting('JWT_JWKS_FILE');
  const issuer = setting('JWT_ISSUER')?.trim() ?? null;
  const audience = setting('JWT_AUDIENCE')?.trim() ?? null;

  let hs256Secret: Uint8Array | null = null;
  if (secret !== undefined) {
    const bytes = Buffer.from(secret, 'utf8');
    if (bytes.length < MIN_SECRET_BYTES) {
      problems.push(`JWT_SECRET=(hidden, ${bytes.length} bytes): must be at least ${MIN_SECRET_BYTES} bytes (e.g. node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))")`);
    } else hs256Secret = new Uint8Array(bytes);
  }

  let rs256: JwtConfig['rs256'] = null;
  if (pemFile !== undefined && jwksFile !== undefined) {
    problems.push(`JWT_JWKS_FILE=${JSON.stringify(jwksFile)}: cannot be set together with JWT_PUBLIC_KEY_FILE; choose one`);
  } else if (pemFile !== undefined) {
    const key = readPublicKey(pemFile, problems);
    if (key) rs256 = { kind: 'pem', key };
  } else if (jwksFile !== undefined) {
    const jwks = readJwks(jwksFile, problems);
    if (jwks) rs256 = { kind: 'jwks', jwks };
  }

  const anyKey = secret !== undefined || pemFile !== undefined || jwksFile !== undefined;
  for (const [name, value] of [['JWT_ISSUER', issuer], ['JWT_AUDIENCE', audience]] as const) {
    if (value !== null && !anyKey) problems.push(`${name}=${JSON.stringify(value)}: needs a key to check tokens with (JWT_SECRET, JWT_PUBLIC_KEY_FILE or JWT_JWKS_FILE)`);
  }

  if (problems.length) throw configError(problems);
  return {
    accessFile: path.join(dataDir, 'access.sqlite'),
    jwt: hs256Secret || rs256 ? { hs256Secret, rs256, issuer, audience } : null,
  };
}

function readText(name: string, file: string, problems: string[]): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${name}=${JSON.stringify(file)}: cannot be read (${(error as Error).message})`);
    return null;
  }
}

/** An RSA public key (SPKI or PKCS#1 PEM) of at least 2048 bits. */
function readPublicKey(file: string, problems: string[]): KeyObject | null {
  const fail = (reason: string) => {
    problems.push(`JWT_PUBLIC_KEY_FILE=${JSON.stringify(file)}: ${reason}`);
    return null;
  };
  const pem = readText('JWT_PUBLIC_KEY_FILE', file, problems);
  if (pem === null) return null;
  if (/PRIVATE KEY/.test(pem)) return fail('holds a private key: give the public key only (the private key stays with whoever issues the tokens)');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    return fail(`is not a PEM public key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'rsa') return fail(`must be an RSA key for RS256 (it is ${key.asymmetricKeyType})`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return fail('must be an RSA key of at least 2048 bits');
  return key;
}

/** A JWKS document ({"keys": [...]}) with at least one RSA key. */
function readJwks(file: string, problems: string[]): JSONWebKeySet | null {
  const fail = (reason: string) => {
    problems.push(`JWT_JWKS_FILE=${JSON.stringify(file)}: ${reason}`);
    return null;
  };
  const text = readText('JWT_JWKS_FILE', file, problems);
  if (text === null) return null;
  let jwks: unknown;
  try {
    jwks = JSON.parse(text);
  } catch (error) {
    return fail(`cannot be read as JSON (${(error as Error).message})`);
  }
  const keys = (jwks as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0) return fail('must be a JWKS document: {"keys": [ ...JWKs ]} with at least one key');
  if (!keys.some((k) => (k as { kty?: unknown })?.kty === 'RSA')) return fail('has no RSA key (kty "RSA"), and tokens are checked with RS256');
  try {
    createLocalJWKSet(jwks as JSONWebKeySet);
  } catch (error) {
    return fail((error as Error).message);
  }
  return jwks as JSONWebKeySet;
}
