import { given } from '../testing/given-when-then';
import { DETAILS, EVERY_COMMAND, LEAD_ID, T0, T1, T2, contacted, convertToNew, converted, created, disqualified, duplicateSubmission, nurtured } from '../testing/lead.fixtures';
import { StageCatalogue } from '../opportunity/stage-catalogue';
import { createLeadDecider, leadDecider } from './lead.decider';
import { LEAD_DETAIL_FIELDS } from './lead-details';
import { ConvertLead, DisqualificationReasonCode, LEAD_STATUS, LeadDetails, LeadDuplicateSubmitted, LeadEvent, LeadStatus, RecordDuplicateSubmission } from './lead.types';

const OPEN = LEAD_STATUS.open;
const WORKING = LEAD_STATUS.working;
const NURTURING = LEAD_STATUS.nurturing;
const DISQUALIFIED = LEAD_STATUS.disqualified;

/** A lead in each status it can be worked in. */
const WORKABLE: ReadonlyArray<[string, LeadEvent[]]> = [
  [OPEN, [created()]],
  [WORKING, [created(), contacted()]],
  [NURTURING, [created(), nurtured]],
];

describe('lead decider', () => {
  describe('every command', () => {
    it.each(EVERY_COMMAND.filter((c) => c.type !== 'CreateLead').map((c) => [c.type, c] as const))(
      '%s on a lead that does not exist is refused as not found',
      (_type, command) => {
        given(leadDecider, []).when(command).thenRefuses('not_found', 'LEAD_NOT_FOUND', `lead ${LEAD_ID} does not exist`);
      },
    );

    it.each(EVERY_COMMAND.map((c) => [c.type, c] as const))('%s on a converted lead is refused: converted leads are read-only', (_type, command) => {
      given(leadDecider, [created(), converted])
        .when(command)
        .thenRefuses('rule', 'LEAD_CONVERTED', `Lead ${LEAD_ID} was converted on ${T2} and is read-only`);
    });
  });

  describe('CreateLead', () => {
    const create = (details: Partial<LeadDetails> = {}, owner = 'alice') =>
      ({ type: 'CreateLead', leadId: LEAD_ID, at: T0, details: { ...DETAILS, ...details }, owner }) as const;

    it('creates the lead as Open - Not Contacted', () => {
      given(leadDecider, []).when(create()).then([created()]);
    });

    it('turns optional fields left out into null', () => {
      const details = { lastName: 'Lovelace', company: 'AE', source: 'Referral' } as LeadDetails;
      given(leadDecider, [])
        .when({ type: 'CreateLead', leadId: LEAD_ID, at: T0, details, owner: 'alice' })
        .then([
          created({
            firstName: null,
            lastName: 'Lovelace',
            company: 'AE',
            title: null,
            email: null,
            phone: null,
            source: 'Referral',
            campaign: null,
            industry: null,
            rating: null,
          }),
        ]);
    });

    it('accepts a null rating', () => {
      given(leadDecider, []).when(create({ rating: null })).then([created({ rating: null })]);
    });

    it('refuses a missing last name', () => {
      const error = given(leadDecider, []).when(create({ lastName: '  ' })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues).toEqual([{ field: 'lastName', reason: 'is required and must not be empty' }]);
    });

    it('refuses a missing company', () => {
      const error = given(leadDecider, []).when(create({ company: '' })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['company']);
    });

    it('refuses an unknown source', () => {
      const details = { source: 'Carrier Pigeon' } as unknown as Partial<LeadDetails>;
      const error = given(leadDecider, []).when(create(details)).thenRefuses('validation', 'VALIDATION_FAILED', /source: must be one of "Web Form"/);
      expect(error.issues.map((i) => i.field)).toEqual(['source']);
    });

    it('refuses an unknown rating', () => {
      const details = { rating: 'Lukewarm' } as unknown as Partial<LeadDetails>;
      const error = given(leadDecider, []).when(create(details)).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues).toEqual([{ field: 'rating', reason: 'must be one of "Hot", "Warm", "Cold" or null' }]);
    });

    it('refuses an empty owner', () => {
      const error = given(leadDecider, []).when(create({}, '')).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['owner']);
    });

    it('reports every invalid field at once', () => {
      const error = given(leadDecider, []).when(create({ lastName: '', company: '' }, '')).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['lastName', 'company', 'owner']);
    });

    it('refuses to create a lead that already exists', () => {
      given(leadDecider, [created()]).when(create()).thenRefuses('rule', 'LEAD_EXISTS', `Lead ${LEAD_ID} already exists`);
    });
  });

  describe('LogLeadContact', () => {
    const log = { type: 'LogLeadContact', leadId: LEAD_ID, at: T1, channel: 'call', note: 'left a voicemail' } as const;
    const event = (status: LeadStatus) => ({
      type: 'LeadContacted' as const,
      data: { leadId: LEAD_ID, channel: 'call' as const, note: 'left a voicemail', contactedAt: T1, status },
    });

    it('moves a new lead to Working - Contacted on the first contact', () => {
      given(leadDecider, [created()]).when(log).then([event(WORKING)]);
    });

    it('keeps Working - Contacted on later contacts and counts them', () => {
      const scenario = given(leadDecider, [created(), contacted()]).when(log);
      scenario.then([event(WORKING)]);
      scenario.thenState({ status: WORKING, contactCount: 2, lastContactedAt: T1 });
    });

    it('keeps a nurtured lead Nurturing', () => {
      given(leadDecider, [created(), nurtured]).when(log).then([event(NURTURING)]);
    });

    it('refuses a disqualified lead: reopen it first', () => {
      given(leadDecider, [created(), disqualified]).when(log).thenRefuses('rule', 'LEAD_DISQUALIFIED', /reopen it first/);
    });

    it('refuses an unknown channel', () => {
      const command = { ...log, channel: 'pigeon' } as unknown as typeof log;
      const error = given(leadDecider, [created()]).when(command).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['channel']);
    });
  });

  describe('RecordLeadQualification', () => {
    const assess = (budget: boolean, authority: boolean, need: boolean, timeline: boolean) =>
      ({ type: 'RecordLeadQualification', leadId: LEAD_ID, at: T1, bant: { budget, authority, need, timeline }, note: 'call with CFO' }) as const;

    it('qualifies on budget, authority and need; the timeline is recorded but not required', () => {
      given(leadDecider, [created()])
        .when(assess(true, true, true, false))
        .then([
          {
            type: 'LeadQualified',
            data: {
              leadId: LEAD_ID,
              bant: { budget: true, authority: true, need: true, timeline: false },
              qualified: true,
              note: 'call with CFO',
              assessedAt: T1,
            },
          },
        ]);
    });

    it.each([
      ['budget', assess(false, true, true, true)],
      ['authority', assess(true, false, true, true)],
      ['need', assess(true, true, false, true)],
    ])('does not qualify a lead missing %s', (_missing, command) => {
      const decision = given(leadDecider, [created()]).when(command);
      decision.then([{ type: 'LeadQualified', data: { leadId: LEAD_ID, bant: command.bant, qualified: false, note: 'call with CFO', assessedAt: T1 } }]);
    });

    it.each(WORKABLE)('is allowed on a lead that is %s and keeps its status', (status, history) => {
      given(leadDecider, history)
        .when(assess(true, true, true, true))
        .thenState({ status: status as LeadStatus, qualification: { budget: true, authority: true, need: true, timeline: true, qualified: true, note: 'call with CFO', assessedAt: T1 } });
    });

    it('refuses a disqualified lead', () => {
      given(leadDecider, [created(), disqualified]).when(assess(true, true, true, true)).thenRefuses('rule', 'LEAD_DISQUALIFIED', /reopen it first/);
    });

    it('refuses an assessment that is not four yes/no answers', () => {
      const command = { ...assess(true, true, true, true), bant: { budget: 'yes', authority: true, need: true } } as unknown as ReturnType<typeof assess>;
      const error = given(leadDecider, [created()]).when(command).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['bant.budget', 'bant.timeline']);
    });
  });

  describe('StartLeadNurture', () => {
    const nurture = { type: 'StartLeadNurture', leadId: LEAD_ID, at: T2, reason: 'revisit in Q3' } as const;
    const event = { type: 'LeadNurtureStarted', data: { leadId: LEAD_ID, reason: 'revisit in Q3', status: NURTURING } } as const;

    it.each<[string, LeadEvent[]]>([
      [OPEN, [created()]],
      [WORKING, [created(), contacted()]],
      [DISQUALIFIED, [created(), disqualified]],
    ])('starts nurturing a lead that is %s', (_status, history) => {
      given(leadDecider, history).when(nurture).then([event]);
    });

    it('clears the disqualification of a disqualified lead it nurtures', () => {
      given(leadDecider, [created(), disqualified]).when(nurture).thenState({ status: NURTURING, disqualificationReasonCode: null, disqualificationReason: null });
    });

    it('refuses a lead that is already nurturing', () => {
      given(leadDecider, [created(), nurtured]).when(nurture).thenRefuses('rule', 'LEAD_ALREADY_NURTURING');
    });
  });

  describe('DisqualifyLead', () => {
    const disqualify = (reasonCode: DisqualificationReasonCode, reason: string | null = null) =>
      ({ type: 'DisqualifyLead', leadId: LEAD_ID, at: T2, reasonCode, reason }) as const;
    const event = (reasonCode: DisqualificationReasonCode, reason: string | null) =>
      ({ type: 'LeadDisqualified', data: { leadId: LEAD_ID, reasonCode, reason, disqualifiedAt: T2, status: DISQUALIFIED } }) as const;

    it.each(WORKABLE)('disqualifies a lead that is %s, with its reason code and words', (_status, history) => {
      const scenario = given(leadDecider, history).when(disqualify('no_budget', 'cut this year'));
      scenario.then([event('no_budget', 'cut this year')]);
      scenario.thenState({ status: DISQUALIFIED, disqualificationReasonCode: 'no_budget', disqualificationReason: 'cut this year' });
    });

    it('takes a code alone (the words are optional), and records blank words as none', () => {
      given(leadDecider, [created()]).when(disqualify('duplicate')).then([event('duplicate', null)]);
      given(leadDecider, [created()]).when(disqualify('unresponsive', '  ')).then([event('unresponsive', null)]);
    });

    it('takes "other" with words', () => {
      given(leadDecider, [created()]).when(disqualify('other', 'student project')).then([event('other', 'student project')]);
    });

    it('refuses "other" without words: the code alone says nothing', () => {
      for (const reason of [null, ' ']) {
        const error = given(leadDecider, [created()]).when(disqualify('other', reason)).thenRefuses('validation', 'VALIDATION_FAILED');
        expect(error.issues).toEqual([{ field: 'reason', reason: 'is required when reasonCode is "other": say why' }]);
      }
    });

    it('refuses an unknown reason code, listing the known ones', () => {
      const error = given(leadDecider, [created()]).when(disqualify('too_small' as DisqualificationReasonCode, 'x')).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['reasonCode']);
      expect(error.issues[0].reason).toContain('"invalid_contact"');
    });

    it('refuses a lead that is already disqualified', () => {
      given(leadDecider, [created(), disqualified]).when(disqualify('other', 'again')).thenRefuses('rule', 'LEAD_ALREADY_DISQUALIFIED');
    });

    it('names the reason when it refuses to work a disqualified lead', () => {
      const log = { type: 'LogLeadContact', leadId: LEAD_ID, at: T2, channel: 'call', note: null } as const;
      given(leadDecider, [created(), disqualified]).when(log).thenRefuses('rule', 'LEAD_DISQUALIFIED', /is disqualified \(no_need: not a fit\)/);
    });
  });

  describe('ReopenLead', () => {
    const reopen = { type: 'ReopenLead', leadId: LEAD_ID, at: T2, reason: 'new budget' } as const;
    const reopened = (status: typeof OPEN | typeof WORKING) => ({ type: 'LeadReopened', data: { leadId: LEAD_ID, reason: 'new budget', status } }) as const;

    it('reopens a never-contacted disqualified lead as Open - Not Contacted', () => {
      const scenario = given(leadDecider, [created(), disqualified]).when(reopen);
      scenario.then([reopened(OPEN)]);
      scenario.thenState({ status: OPEN, disqualificationReasonCode: null, disqualificationReason: null });
    });

    it('reopens a contacted disqualified lead as Working - Contacted', () => {
      given(leadDecider, [created(), contacted(), disqualified]).when(reopen).then([reopened(WORKING)]);
    });

    it.each(WORKABLE)('refuses a lead that is %s (not disqualified)', (_status, history) => {
      given(leadDecider, history).when(reopen).thenRefuses('rule', 'LEAD_NOT_DISQUALIFIED');
    });
  });

  describe('UpdateLeadDetails', () => {
    const update = (changes: Partial<LeadDetails>) => ({ type: 'UpdateLeadDetails', leadId: LEAD_ID, at: T1, changes }) as const;

    it('records only the fields whose value changes', () => {
      const scenario = given(leadDecider, [created()]).when(update({ firstName: 'Ada', title: 'CEO', rating: null, email: 'ada@new.example' }));
      scenario.then([{ type: 'LeadDetailsUpdated', data: { leadId: LEAD_ID, changes: { title: 'CEO', rating: null, email: 'ada@new.example' } } }]);
      scenario.thenState({ details: { ...DETAILS, title: 'CEO', rating: null, email: 'ada@new.example' } });
    });

    it('records nothing when nothing changes', () => {
      given(leadDecider, [created()]).when(update({ lastName: 'Lovelace', company: DETAILS.company })).thenNothing();
    });

    it('records nothing for an empty change set', () => {
      given(leadDecider, [created()]).when(update({})).thenNothing();
    });

    it('may change a disqualified lead (only conversion freezes a lead)', () => {
      given(leadDecider, [created(), disqualified])
        .when(update({ phone: null }))
        .then([{ type: 'LeadDetailsUpdated', data: { leadId: LEAD_ID, changes: { phone: null } } }]);
    });

    it('refuses to empty the last name or the company', () => {
      const changes = { lastName: '', company: null } as unknown as Partial<LeadDetails>;
      const error = given(leadDecider, [created()]).when(update(changes)).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['lastName', 'company']);
    });

    it('refuses an unknown source or rating', () => {
      const changes = { source: 'Rumour', rating: 'Tepid' } as unknown as Partial<LeadDetails>;
      const error = given(leadDecider, [created()]).when(update(changes)).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['source', 'rating']);
    });

    it('ignores fields that are not lead details', () => {
      const changes = { title: 'CEO', status: 'Closed - Converted' } as unknown as Partial<LeadDetails>;
      given(leadDecider, [created()]).when(update(changes)).then([{ type: 'LeadDetailsUpdated', data: { leadId: LEAD_ID, changes: { title: 'CEO' } } }]);
    });
  });

  describe('ChangeLeadOwner', () => {
    const changeOwner = (owner: string) => ({ type: 'ChangeLeadOwner', leadId: LEAD_ID, at: T1, owner }) as const;

    it('records the new owner and the previous one', () => {
      const scenario = given(leadDecider, [created()]).when(changeOwner('bob'));
      scenario.then([{ type: 'LeadOwnerChanged', data: { leadId: LEAD_ID, previousOwner: 'alice', owner: 'bob' } }]);
      scenario.thenState({ owner: 'bob' });
    });

    it('records nothing when the owner is the same', () => {
      given(leadDecider, [created()]).when(changeOwner('alice')).thenNothing();
    });

    it('refuses an empty owner', () => {
      const error = given(leadDecider, [created()]).when(changeOwner('')).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['owner']);
    });
  });

  describe('ConvertLead', () => {
    it('converts into a new account, a new contact and an opportunity, as one full snapshot', () => {
      given(leadDecider, [created(), contacted()])
        .when(convertToNew())
        .then([
          {
            type: 'LeadConverted',
            data: {
              ...converted.data,
              opportunity: { opportunityId: 'O1', name: 'Engines - 10 units', stage: 'Prospecting', closeDate: '2025-06-30', amount: 1_000_000, currency: 'GBP' },
            },
          },
        ]);
    });

    it('carries the lead source and owner over, and takes the current details of the lead', () => {
      const history = [
        created({ source: 'Trade Show' }),
        { type: 'LeadDetailsUpdated', data: { leadId: LEAD_ID, changes: { industry: 'Aerospace', email: null } } } as const,
        { type: 'LeadOwnerChanged', data: { leadId: LEAD_ID, previousOwner: 'alice', owner: 'bob' } } as const,
      ];
      given(leadDecider, history)
        .when(convertToNew({ opportunity: null }))
        .then([
          {
            type: 'LeadConverted',
            data: {
              ...converted.data,
              source: 'Trade Show',
              owner: 'bob',
              account: { ...converted.data.account, industry: 'Aerospace' },
              contact: { ...converted.data.contact, email: null },
            },
          },
        ]);
    });

    it('merges into an existing account and an existing contact of that account, without an opportunity', () => {
      const command: ConvertLead = {
        ...convertToNew({ opportunity: null }),
        account: { mode: 'existing', accountId: 'A9' },
        contact: { mode: 'existing', contactId: 'C9', accountId: 'A9' },
      };
      given(leadDecider, [created()])
        .when(command)
        .then([
          {
            type: 'LeadConverted',
            data: {
              ...converted.data,
              account: { accountId: 'A9', created: false, name: DETAILS.company, industry: 'Manufacturing' },
              contact: { ...converted.data.contact, contactId: 'C9', created: false },
            },
          },
        ]);
    });

    it('leaves the lead Closed - Converted with the ids it produced', () => {
      given(leadDecider, [created()])
        .when(convertToNew())
        .thenState({ status: LEAD_STATUS.converted, conversion: { convertedAt: T2, accountId: 'A1', contactId: 'C1', opportunityId: 'O1' } });
    });

    it.each(WORKABLE)('converts a lead that is %s', (_status, history) => {
      given(leadDecider, history).when(convertToNew()).thenState({ status: LEAD_STATUS.converted });
    });

    it('refuses to convert twice', () => {
      given(leadDecider, [created(), converted]).when(convertToNew()).thenRefuses('rule', 'LEAD_CONVERTED', /converted .* read-only/);
    });

    it('refuses a disqualified lead: reopen it first', () => {
      given(leadDecider, [created(), disqualified]).when(convertToNew()).thenRefuses('rule', 'LEAD_DISQUALIFIED', /reopen it first/);
    });

    it('refuses an existing contact that belongs to another account', () => {
      const command: ConvertLead = {
        ...convertToNew(),
        account: { mode: 'existing', accountId: 'A9' },
        contact: { mode: 'existing', contactId: 'C7', accountId: 'A7' },
      };
      given(leadDecider, [created()])
        .when(command)
        .thenRefuses('rule', 'CONTACT_NOT_IN_ACCOUNT', 'Contact C7 belongs to account A7, not to account A9');
    });

    it('refuses a new account without a name', () => {
      const command = convertToNew({ account: { mode: 'new', accountId: 'A1', name: ' ' } });
      const error = given(leadDecider, [created()]).when(command).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['account.name']);
    });

    it('refuses an opportunity that could not be created afterwards (name, stage, close date, money)', () => {
      const command = convertToNew({
        opportunity: { opportunityId: 'O1', name: '', stage: 'Haggling', closeDate: '2025-02-30', amount: 12.5, currency: 'GBP' },
      });
      const error = given(leadDecider, [created()]).when(command).thenRefuses('validation', 'VALIDATION_FAILED', /unknown stage "Haggling"; valid stages: Prospecting, /);
      expect(error.issues.map((i) => i.field)).toEqual(['opportunity.name', 'opportunity.stage', 'opportunity.closeDate', 'opportunity.amount']);
    });

    it('refuses an opportunity amount without a currency', () => {
      const command = convertToNew({
        opportunity: { opportunityId: 'O1', name: 'Deal', stage: 'Prospecting', closeDate: '2025-06-30', amount: 100, currency: null },
      });
      const error = given(leadDecider, [created()]).when(command).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['opportunity.currency']);
    });

    it('checks the opportunity stage against the configured catalogue', () => {
      const catalogue = new StageCatalogue([
        { name: 'Haggling', probability: 40, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
        { name: 'Won', probability: 100, forecastCategory: 'Closed', isClosed: true, isWon: true },
        { name: 'Lost', probability: 0, forecastCategory: 'Omitted', isClosed: true, isWon: false },
      ]);
      const command = convertToNew({
        opportunity: { opportunityId: 'O1', name: 'Deal', stage: 'Haggling', closeDate: '2025-06-30', amount: null, currency: null },
      });
      given(createLeadDecider(catalogue), [created()]).when(command).thenState({ status: LEAD_STATUS.converted });
      given(leadDecider, [created()]).when(command).thenRefuses('validation', 'VALIDATION_FAILED');
    });
  });

  describe('RecordDuplicateSubmission', () => {
    const recorded = (overrides: Partial<LeadDuplicateSubmitted['data']> = {}): LeadDuplicateSubmitted => ({
      type: 'LeadDuplicateSubmitted',
      data: {
        leadId: LEAD_ID,
        formId: 'F1',
        submissionId: 'S1',
        matchedOn: 'email',
        submitted: { firstName: 'Ada', lastName: 'Lovelace', email: 'ADA@engines.example', phone: null, company: 'Analytical Engines', title: null },
        submittedAt: T2,
        ...overrides,
      },
    });

    it('records what was submitted on the existing lead, with how it matched', () => {
      given(leadDecider, [created()]).when(duplicateSubmission()).then([recorded()]);
    });

    it('records a match on name and company too', () => {
      given(leadDecider, [created()])
        .when(duplicateSubmission({ matchedOn: 'name-and-company', submissionId: 'S2' }))
        .then([recorded({ matchedOn: 'name-and-company', submissionId: 'S2' })]);
    });

    it.each<[string, LeadEvent[]]>([...WORKABLE, [DISQUALIFIED, [created(), disqualified]]])(
      'is recorded on a lead that is %s, and changes neither its status nor its details nor anything else of it',
      (_status, history) => {
        const before = given(leadDecider, history).state;
        const scenario = given(leadDecider, history).when(duplicateSubmission());
        scenario.then([recorded()]);
        scenario.thenState(before);
        expect(leadDecider.evolve(before, recorded())).toBe(before);
      },
    );

    it('turns optional submitted fields left out into null', () => {
      const submitted = { lastName: 'Lovelace', company: 'AE' } as RecordDuplicateSubmission['submitted'];
      given(leadDecider, [created()])
        .when(duplicateSubmission({ submitted }))
        .then([recorded({ submitted: { firstName: null, lastName: 'Lovelace', email: null, phone: null, company: 'AE', title: null } })]);
    });

    it('refuses a submission without its form, its id, a known match or the required details, naming each', () => {
      const command = duplicateSubmission({
        formId: '',
        submissionId: ' ',
        matchedOn: 'phone' as RecordDuplicateSubmission['matchedOn'],
        submitted: { firstName: 7, lastName: '', email: null, phone: null, company: ' ', title: null } as unknown as RecordDuplicateSubmission['submitted'],
      });
      const error = given(leadDecider, [created()]).when(command).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['formId', 'submissionId', 'matchedOn', 'submitted.firstName', 'submitted.lastName', 'submitted.company']);
    });

    it('refuses a converted lead like every other command (the caller then creates a new lead)', () => {
      given(leadDecider, [created(), converted]).when(duplicateSubmission()).thenRefuses('rule', 'LEAD_CONVERTED');
    });

    it('refuses a lead whose personal data was erased: the submission is new personal data (the caller creates a new lead)', () => {
      const erased = { type: 'LeadPersonalDataErased', data: { leadId: LEAD_ID, erasedAt: T1 } } as const;
      given(leadDecider, [created(), erased]).when(duplicateSubmission()).thenRefuses('rule', 'PERSONAL_DATA_ERASED', /create a new lead/);
    });
  });

  describe('evolve', () => {
    it('leaves the state as it was on an event type it does not know', () => {
      const state = given(leadDecider, [created()]).state;
      const unknown = { type: 'LeadTeleported', data: {} } as unknown as LeadEvent;
      expect(leadDecider.evolve(state, unknown)).toBe(state);
    });

    it('lists every lead detail field', () => {
      expect([...LEAD_DETAIL_FIELDS].sort()).toEqual(Object.keys(DETAILS).sort());
    });
  });
  describe('EraseLeadPersonalData (the right to erasure)', () => {
    const erase = { type: 'EraseLeadPersonalData', leadId: LEAD_ID, at: T2 } as const;
    const erased: LeadEvent = { type: 'LeadPersonalDataErased', data: { leadId: LEAD_ID, erasedAt: T2 } };

    it('records the erasure and shows the personal fields as erased; the rest of the lead stays', () => {
      const scenario = given(leadDecider, [created()]).when(erase);
      scenario.then([erased]);
      scenario.thenState({
        personalDataErasedAt: T2,
        details: { ...DETAILS, firstName: '[erased]', lastName: '[erased]', email: '[erased]', phone: DETAILS.phone === null ? null : '[erased]' },
        status: OPEN,
      });
    });

    it('erases a converted lead too (a converted lead refuses every other command)', () => {
      given(leadDecider, [created(), converted]).when(erase).then([erased]);
    });

    it('records nothing the second time', () => {
      given(leadDecider, [created(), erased]).when(erase).then([]);
    });

    it('refuses an unknown lead with not found', () => {
      given(leadDecider, []).when(erase).thenRefuses('not_found', 'LEAD_NOT_FOUND');
    });

    it('refuses new personal data afterwards, but not other details', () => {
      given(leadDecider, [created(), erased])
        .when({ type: 'UpdateLeadDetails', leadId: LEAD_ID, at: T2, changes: { email: 'back@example.com' } })
        .thenRefuses('rule', 'PERSONAL_DATA_ERASED', /erased .*email/);
      given(leadDecider, [created(), erased]).when({ type: 'UpdateLeadDetails', leadId: LEAD_ID, at: T2, changes: { title: 'CEO' } }).then([
        { type: 'LeadDetailsUpdated', data: { leadId: LEAD_ID, changes: { title: 'CEO' } } },
      ]);
    });

    it('refuses to convert an erased lead', () => {
      given(leadDecider, [created(), erased]).when(convertToNew()).thenRefuses('rule', 'PERSONAL_DATA_ERASED', /cannot be converted/);
    });
  });
});
