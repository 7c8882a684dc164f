import { v5 as uuidv5 } from 'uuid';
import { deterministicId, seededEventId } from './event-ids';

describe('deterministicId', () => {
  const NAMESPACE = '6f1d0c52-8d8e-4f0e-9a51-3b7c4f1e2a90';

  it('gives the ids the uuid package gives (RFC 9562 version 5), so ids stored before stay the same', () => {
    for (const name of ['', 'lead|intake|form-1|sub-1', 'lead-0b6f…|import', 'Zoë Ström – 東京 🚀', 'x'.repeat(5000)]) {
      expect(deterministicId(name)).toBe(uuidv5(name, NAMESPACE));
    }
  });

  it('is a version 5, RFC variant UUID, stable for a name and different for another', () => {
    const id = deterministicId('a');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicId('a')).toBe(id);
    expect(deterministicId('b')).not.toBe(id);
    expect(seededEventId('seed', 0)).toBe(deterministicId('seed#0'));
  });
});
