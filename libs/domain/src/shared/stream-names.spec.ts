import { parseStreamId, streamIdFor } from './stream-names';

describe('stream names', () => {
  it('names a stream <kind>-<id>', () => {
    expect(streamIdFor('lead', 'abc')).toBe('lead-abc');
    expect(streamIdFor('opportunity', '7b1e-44')).toBe('opportunity-7b1e-44');
  });

  it('parses its own names back, ids with dashes included', () => {
    const id = '3f2a9c1e-8b4d-4e5f-9a6b-1c2d3e4f5a6b';
    for (const kind of ['lead', 'account', 'contact', 'opportunity'] as const) {
      expect(parseStreamId(streamIdFor(kind, id))).toEqual({ kind, id });
    }
  });

  it.each(['invoice-1', 'lead', 'lead-', '-1', 'Lead-1', ''])('does not parse %p', (streamId) => {
    expect(parseStreamId(streamId)).toBeNull();
  });
});
