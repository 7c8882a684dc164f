import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults: port 3000, data under ./data, the embedded SQLite store', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.eventStore).toBe('sqlite');
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.eventStoreFile).toBe(path.resolve('data', 'events.sqlite'));
  });

  it('reads overrides', () => {
    const c = loadConfig({ PORT: '8080', DATA_DIR: '/tmp/pl' });
    expect(c.port).toBe(8080);
    expect(c.eventStoreFile).toBe('/tmp/pl/events.sqlite');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['EVENT_STORE', 'postgres'],
    ['LOG_LEVEL', 'loud'],
    ['WEBHOOKS', 'yes'],
    ['WEBHOOK_TIMEOUT_MS', 'soon'],
    ['WEBHOOK_MAX_ATTEMPTS', '0'],
  ])('fails fast naming %s when it is %s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });
});

describe('loadConfig: the stores', () => {
  const production = { EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://eventstoredb:2113?tls=false', READ_MODEL_STORE: 'mongodb', MONGO_URL: 'mongodb://mongodb:27017/?replicaSet=rs0' };

  it('defaults to the embedded SQLite stores and no MongoDB', () => {
    const c = loadConfig({});
    expect([c.eventStore, c.readModelStore, c.eventStoreUrl, c.mongo]).toEqual(['sqlite', 'sqlite', null, null]);
  });

  it('reads EventStoreDB and MongoDB, with the default database name', () => {
    const c = loadConfig(production);
    expect(c.eventStore).toBe('eventstoredb');
    expect(c.eventStoreUrl).toBe('esdb://eventstoredb:2113?tls=false');
    expect(c.readModelStore).toBe('mongodb');
    expect(c.mongo).toEqual({ url: 'mongodb://mongodb:27017/?replicaSet=rs0', database: 'pipeline_ledger' });
    expect(loadConfig({ ...production, MONGO_DB: 'ledger-eu' }).mongo?.database).toBe('ledger-eu');
    expect(loadConfig({ ...production, EVENTSTORE_URL: 'esdb+discover://admin:secret@cluster.example:2113' }).eventStoreUrl).toContain('esdb+discover://');
  });

  it.each([
    [{ EVENT_STORE: 'eventstoredb', MONGO_URL: production.MONGO_URL }, /EVENTSTORE_URL=undefined: must be set when EVENT_STORE=eventstoredb/],
    [{ READ_MODEL_STORE: 'mongodb' }, /MONGO_URL=undefined: must be set when READ_MODEL_STORE=mongodb/],
    [{ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: production.EVENTSTORE_URL }, /MONGO_URL=undefined: must be set when EVENT_STORE=eventstoredb: the personal-data keys/],
    [{ ...production, EVENTSTORE_URL: 'http://eventstoredb:2113' }, /EVENTSTORE_URL="http:\/\/eventstoredb:2113": must be an EventStoreDB connection string/],
    [{ ...production, MONGO_URL: 'mongo://x' }, /MONGO_URL="mongo:\/\/x": must be a MongoDB connection string/],
    [{ ...production, MONGO_DB: 'no/slashes' }, /MONGO_DB="no\/slashes": must be a database name/],
    // Shaped right, but the clients' own parsers refuse them: said at start-up, not at the first connection.
    [{ ...production, EVENTSTORE_URL: 'esdb://admin:changeit@localhost:2113?tls=maybe' }, /EVENTSTORE_URL="esdb:\/\/admin:\*\*\*@localhost:2113\?tls=maybe": Unexpected "maybe"/],
    [{ ...production, MONGO_URL: 'mongodb://localhost:27017/?maxPoolSize=lots' }, /MONGO_URL="mongodb:\/\/localhost:27017\/\?maxPoolSize=lots": Expected maxPoolSize/],
    [{ ...production, KEY_STORE_FILE: '/tmp/keys.sqlite' }, /KEY_STORE_FILE=.*applies to EVENT_STORE=sqlite only/],
    [{ EVENT_STORE: 'postgres' }, /EVENT_STORE="postgres": must be sqlite or eventstoredb/],
    [{ READ_MODEL_STORE: 'redis' }, /READ_MODEL_STORE="redis": must be sqlite or mongodb/],
  ])('refuses %j, naming the setting', (env, message) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
  });

  it('never shows a password of a connection string, nor the master key, in an error', () => {
    const error = (() => {
      try {
        loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://admin:s3cret@host:2113 oops', MONGO_URL: 'mongodb://app:hunter2@h/x y', MASTER_KEY: 'not-a-key-but-secret' });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error).toMatch(/EVENTSTORE_URL="esdb:\/\/admin:\*\*\*@host:2113 oops"/);
    expect(error).toMatch(/MONGO_URL="mongodb:\/\/app:\*\*\*@h\/x y"/);
    expect(error).toMatch(/MASTER_KEY=\(hidden\)/);
    expect(error).not.toMatch(/s3cret|hunter2|not-a-key-but-secret/);
  });
});

describe('loadConfig: webhooks', () => {
  it('delivers by default: 10 s timeout, retries from 1 s doubling up to 5 min, paused after 10 failed attempts', () => {
    expect(loadConfig({}).webhooks).toEqual({ deliver: true, timeoutMs: 10_000, retryBaseMs: 1000, retryMaxMs: 300_000, maxAttempts: 10, refreshMs: 5000 });
  });

  it('WEBHOOKS=off leaves delivering to another replica', () => {
    expect(loadConfig({ WEBHOOKS: 'off' }).webhooks.deliver).toBe(false);
  });

  it('refuses a retry cap below the first retry delay, naming WEBHOOK_RETRY_MAX_MS', () => {
    expect(() => loadConfig({ WEBHOOK_RETRY_BASE_MS: '5000', WEBHOOK_RETRY_MAX_MS: '1000' })).toThrow(/WEBHOOK_RETRY_MAX_MS="1000": must be at least WEBHOOK_RETRY_BASE_MS/);
  });
});

describe('loadConfig: web-to-lead intake', () => {
  it('limits submissions to 60 a minute per form key and 10 per client address, 20 refused keys per address, and trusts no proxy', () => {
    const c = loadConfig({ DATA_DIR: '/tmp/pl' });
    expect(c.intake).toEqual({ file: '/tmp/pl/intake.sqlite', perKeyPerMinute: 60, perAddressPerMinute: 10, failedKeysPerAddress: 20 });
    expect(c.trustProxy).toBe(false);
  });

  it('reads the limits', () => {
    expect(loadConfig({ INTAKE_RATE_PER_KEY: '5', INTAKE_RATE_PER_ADDRESS: '2', INTAKE_FAILED_KEYS_PER_ADDRESS: '3' }).intake).toMatchObject({
      perKeyPerMinute: 5,
      perAddressPerMinute: 2,
      failedKeysPerAddress: 3,
    });
  });

  it.each([
    ['off', false],
    ['0', false],
    ['1', 1],
    [' 2 ', 2],
    ['loopback', ['loopback']],
    ['10.0.0.1, 10.0.0.0/8,::1,fd00::/8,uniquelocal', ['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'uniquelocal']],
  ])('reads TRUST_PROXY=%p', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    ['INTAKE_RATE_PER_KEY', 'lots', /must be a number of submissions per minute/],
    ['INTAKE_RATE_PER_ADDRESS', '0', /must be at least 1/],
    ['INTAKE_FAILED_KEYS_PER_ADDRESS', '2.5', /whole number/],
    ['TRUST_PROXY', 'true', /would trust every proxy/],
    ['TRUST_PROXY', '11', /number of proxies from 1 to 10/],
    ['TRUST_PROXY', '10.0.0.0/33,proxy.example', /"10.0.0.0\/33", "proxy.example": not an address/],
  ])('fails fast naming %s when it is %p', (name, value, reason) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
    expect(() => loadConfig({ [name]: value })).toThrow(reason);
  });
});

describe('loadConfig: STAGES_FILE', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pl-config-'));
  const file = (name: string, content: unknown) => {
    const p = path.join(dir, name);
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };

  it('uses the standard ten stages by default', () => {
    expect(loadConfig({}).stageCatalogue.stages.map((s) => s.name)).toHaveLength(10);
  });

  it('loads a custom catalogue', () => {
    const stages = [
      { name: 'Discovery', probability: 15, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
      { name: 'Demo', probability: 40, forecastCategory: 'Best Case', isClosed: false, isWon: false },
      { name: 'Won', probability: 100, forecastCategory: 'Closed', isClosed: true, isWon: true },
      { name: 'Lost', probability: 0, forecastCategory: 'Omitted', isClosed: true, isWon: false },
    ];
    const c = loadConfig({ STAGES_FILE: file('ok.json', stages) });
    expect(c.stageCatalogue.firstOpenStage().name).toBe('Discovery');
    expect(c.stageCatalogue.wonStage().name).toBe('Won');
  });

  it.each([
    ['a missing file', path.join(dir, 'nope.json'), /cannot be read/],
    ['not JSON', 'not-json', /cannot be read as JSON/],
    ['not an array', { name: 'x' }, /JSON array of stages/],
    ['no won stage', [{ name: 'A', probability: 10, forecastCategory: 'Pipeline', isClosed: false, isWon: false }], /won/i],
  ])('fails fast naming STAGES_FILE for %s', (name, content, reason) => {
    const p = typeof content === 'string' && content.startsWith('/') ? content : file(`${name}.json`, content);
    expect(() => loadConfig({ STAGES_FILE: p })).toThrow(ConfigError);
    expect(() => loadConfig({ STAGES_FILE: p })).toThrow(reason);
    expect(() => loadConfig({ STAGES_FILE: p })).toThrow(/STAGES_FILE=/);
  });
});
