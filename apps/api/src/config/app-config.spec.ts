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
  ])('fails fast naming %s when it is %s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
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
