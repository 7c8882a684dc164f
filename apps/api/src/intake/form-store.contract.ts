/**
 * The behaviour every FormStore adapter must show, as a jest suite. Call it from an adapter's spec with a factory for
 * a fresh, empty place to keep forms (a file, a database) and a way to open a store on it:
 *
 *   describeFormStoreContract('SqliteFormStore', async () => ({ open: () => new SqliteFormStore(file), cleanup }));
 *
 * Only the port is tested here; what an adapter keeps where (files, documents) is tested beside it. Excluded from the
 * build (tsconfig.build.json) because it uses jest globals.
 */
import { StoreContractFixture, refused, storeContractHarness } from '../../../../test/support/store-contract';
import { FormStore } from './form-store.port';
import { hashFormSecret, parseFormKey } from './form-key';
import { IntakeForm } from './intake-form';
import { authenticateFormKey, createIntakeForm } from './intake-forms';

/** A place for the contract's stores, and how to open one on it (see StoreContractFixture). */
export type FormStoreContractFixture = StoreContractFixture<FormStore>;

export function describeFormStoreContract(adapterName: string, factory: () => Promise<FormStoreContractFixture>): void {
  describe(`FormStore contract: ${adapterName}`, () => {
    const stores = storeContractHarness(factory);
    const open = stores.open;
    let store: FormStore;
    const at = new Date('2026-03-01T09:00:00.000Z');

    beforeEach(() => (store = stores.store()));

    it('creates a form with a key plf_<id>_<43 base64url characters>, shown once, and defaults to the Web Form source', async () => {
      const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice', campaign: 'Spring Webinar' }, at);
      expect(form).toEqual({ id: form.id, name: 'Contact us', source: 'Web Form', owner: 'alice', campaign: 'Spring Webinar', createdAt: at.toISOString(), revokedAt: null });
      expect(key).toMatch(new RegExp(`^plf_${form.id}_[A-Za-z0-9_-]{43}$`));
      expect(Buffer.from(parseFormKey(key)!.secret, 'base64url')).toHaveLength(32);
      expect(await store.get(form.id)).toEqual(form);
      expect(JSON.stringify(await store.list())).not.toContain(parseFormKey(key)!.secret);
    });

    it('refuses a form without a name or an owner, or with an unknown source, naming each', async () => {
      await expect(createIntakeForm(store, { name: ' ', owner: '', source: 'Carrier Pigeon' as never })).rejects.toThrow(
        /name: must not be empty; owner: must not be empty; source: must be one of: Web Form/,
      );
      expect(await store.list()).toEqual([]);
    });

    it("keeps only the SHA-256 of the secret, and gives it back exactly, in a Buffer of its own", async () => {
      const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice' }, at);
      const { secret } = parseFormKey(key)!;
      const found = await store.credentials(form.id);
      expect(found?.form).toEqual(form);
      expect(Buffer.isBuffer(found?.secretHash)).toBe(true);
      expect(found!.secretHash.equals(hashFormSecret(secret))).toBe(true);
      found!.secretHash.fill(0);
      expect((await store.credentials(form.id))!.secretHash.equals(hashFormSecret(secret))).toBe(true);
    });

    it('knows no form it was not given', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect(await store.get(unknown)).toBeNull();
      expect(await store.credentials(unknown)).toBeNull();
      expect(await store.list()).toEqual([]);
    });

    it('authenticates its key, and nothing else: a wrong secret, an unknown form, a malformed key, no key', async () => {
      const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice', source: 'Webinar' });
      const other = await createIntakeForm(store, { name: 'Other', owner: 'bob' });
      expect(await authenticateFormKey(store, key)).toEqual(form);
      expect(await authenticateFormKey(store, ` ${key} `)).toEqual(form);
      const { secret } = parseFormKey(key)!;
      const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
      for (const bad of [
        `plf_${form.id}_${flipped}`,
        `plf_${form.id}_${parseFormKey(other.key)!.secret}`, // another form's secret
        `plf_00000000-0000-4000-8000-000000000000_${secret}`,
        key.slice(0, -1),
        key.toUpperCase(),
        'plf_',
        '',
        undefined,
        42,
      ]) {
        expect(await authenticateFormKey(store, bad)).toBeNull();
      }
    });

    it('revokes a form for good: its key is refused, the form stays listed with the first revocation time', async () => {
      const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice' }, at);
      const revoked = await store.revoke(form.id, '2026-03-02T09:00:00.000Z');
      expect(revoked).toEqual({ ...form, revokedAt: '2026-03-02T09:00:00.000Z' });
      expect(await store.revoke(form.id, '2026-03-03T09:00:00.000Z')).toEqual(revoked);
      expect(await authenticateFormKey(store, key)).toBeNull();
      expect(await store.list()).toEqual([revoked]);
      expect(await store.revoke('00000000-0000-4000-8000-000000000000', '2026-03-03T09:00:00.000Z')).toBeNull();
      expect(await store.list()).toEqual([revoked]);
    });

    it('lists every form oldest first, forms created at the same time by id, each exactly as it was given', async () => {
      const form = (id: string, createdAt: string, campaign: string | null = null): Omit<IntakeForm, 'revokedAt'> => ({
        id,
        name: `Kontakt – Café ${id.slice(0, 1)}`,
        source: 'Web Form',
        owner: 'alice',
        campaign,
        createdAt,
      });
      const hash = Buffer.alloc(32, 1);
      const c = form('cccccccc-0000-4000-8000-000000000000', '2026-03-01T09:00:00.000Z', 'Spring');
      const a = form('aaaaaaaa-0000-4000-8000-000000000000', '2026-03-02T09:00:00.000Z');
      const b = form('bbbbbbbb-0000-4000-8000-000000000000', '2026-03-01T09:00:00.000Z');
      const d = form('dddddddd-0000-4000-8000-000000000000', '2026-02-28T23:59:59.999Z');
      for (const each of [a, c, b, d]) expect(await store.create(each, hash)).toEqual({ ...each, revokedAt: null });
      await store.revoke(b.id, '2026-03-03T09:00:00.000Z');
      expect(await store.list()).toEqual([
        { ...d, revokedAt: null },
        { ...b, revokedAt: '2026-03-03T09:00:00.000Z' },
        { ...c, revokedAt: null },
        { ...a, revokedAt: null },
      ]);
    });

    it('refuses a second form with an id it has, keeping the first', async () => {
      const { form } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice' }, at);
      expect(await refused(store.create({ ...form, name: 'Impostor', owner: 'mallory' }, Buffer.alloc(32, 9)))).toBe(true);
      expect(await store.get(form.id)).toEqual(form);
      expect(await store.list()).toEqual([form]);
    });

    it('is read by another store on the same place (the CLI beside the api)', async () => {
      const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice' }, at);
      const other = open();
      expect(await authenticateFormKey(other, key)).toEqual(form);
      await store.revoke(form.id, at.toISOString());
      expect(await authenticateFormKey(other, key)).toBeNull();
    });

    it('keeps its forms for the next store opened on the same place', async () => {
      const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice' }, at);
      await stores.close(store);
      const reopened = open();
      expect(await authenticateFormKey(reopened, key)).toEqual(form);
      expect(await reopened.list()).toEqual([form]);
    });
  });
}
