import { BSON, Double, Long } from 'mongodb';
import { CheckpointDocument, decodePosition, encodePosition, positionOf, saveCheckpointUpdate } from './mongodb-checkpoint-mapping';

/** Through BSON and back, as a document goes to the server and comes back from it. */
const roundTrip = <T>(document: Record<string, unknown>): T => BSON.deserialize(BSON.serialize(document)) as T;

describe('MongoCheckpointStore mapping', () => {
  const at = new Date('2026-11-23T10:00:00.000Z');
  const positions = [0n, 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, ((2n ** 64n - 1n) << 64n) + (2n ** 64n - 2n), 10n ** 60n + 7n];

  it.each(positions)('keeps %s exactly, as decimal digits, through BSON', (position) => {
    const update = saveCheckpointUpdate(position, at);
    const stored = roundTrip<CheckpointDocument>({ _id: 'conversion-completer', ...(update.$set as object) });
    expect(stored.position).toBe(position.toString());
    expect(positionOf(stored)).toBe(position);
  });

  it('saves by replacing the position and the time it was saved', () => {
    expect(saveCheckpointUpdate(42n, at)).toEqual({ $set: { position: '42', updatedAt: at } });
  });

  it('encodes any bigint and decodes it back', () => {
    expect(encodePosition(-1n)).toBe('-1');
    for (const position of [...positions, -1n]) expect(decodePosition(encodePosition(position))).toBe(position);
  });

  it('has no position for no document', () => {
    expect(positionOf(null)).toBeNull();
  });

  it.each([
    ['a double', 12],
    ['a BSON double', new Double(12)],
    ['a BSON long', Long.fromNumber(12)],
    ['null', null],
    ['an empty string', ''],
    ['an exponent', '1e3'],
    ['a leading zero', '012'],
    ['hex', '0x10'],
    ['spaces', ' 12'],
    ['a fraction', '12.0'],
  ])('refuses a stored position that is not decimal digits: %s', (_, stored) => {
    expect(() => decodePosition(stored)).toThrow(TypeError);
  });
});
