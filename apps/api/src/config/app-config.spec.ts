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
