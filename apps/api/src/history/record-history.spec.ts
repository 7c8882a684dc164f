import { changesBetween } from './record-history';

describe('changesBetween', () => {
  it('names each changed field, nested ones by their path, and leaves the revision out', () => {
    expect(
      changesBetween(
        { revision: 1, status: 'Open', qualification: { budget: true, need: false }, conversion: null, tags: ['a'] },
        { revision: 2, status: 'Working', qualification: { budget: true, need: true }, conversion: { accountId: 'A1' }, tags: ['a', 'b'] },
      ),
    ).toEqual([
      { field: 'status', from: 'Open', to: 'Working' },
      { field: 'qualification.need', from: false, to: true },
      { field: 'conversion', from: null, to: { accountId: 'A1' } },
      { field: 'tags', from: ['a'], to: ['a', 'b'] },
    ]);
  });

  it('treats a missing field as null, and finds nothing when nothing changed', () => {
    expect(changesBetween({ id: 'x' }, { id: 'x', title: 'CTO' })).toEqual([{ field: 'title', from: null, to: 'CTO' }]);
    expect(changesBetween({ id: 'x', title: null }, { id: 'x' })).toEqual([]);
    expect(changesBetween({ a: { b: { c: 1 } } }, { a: { b: { c: 1 } } })).toEqual([]);
  });
});
