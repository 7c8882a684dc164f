import {
  AccountCommand,
  ContactCommand,
  DEFAULT_STAGE_CATALOGUE,
  LeadConversion,
  LeadConverted,
  accountDecider,
  contactDecider,
  conversionFollowUps,
  createLeadDecider,
  createOpportunityDecider,
} from '@pipeline-ledger/domain';
import { exampleEventId, exampleUuid } from './example-ids';
import { DecidedEvent, ExampleLedger } from './example-ledger';

const leadDecider = createLeadDecider(DEFAULT_STAGE_CATALOGUE);
const opportunityDecider = createOpportunityDecider(DEFAULT_STAGE_CATALOGUE);

const ADA = exampleUuid('lead ada');
const GRACE = exampleUuid('lead grace');
const ENGINES = exampleUuid('account analytical engines');
const ADA_CONTACT = exampleUuid('contact ada');
const DEAL = exampleUuid('opportunity engines');
const NAVY = exampleUuid('account navy');
const HOPPER = exampleUuid('contact hopper');
const COMPILER = exampleUuid('opportunity compiler');
const HEDY = exampleUuid('lead hedy');
const CONTACT_FORM = exampleUuid('intake form contact-us');

/**
 * Every event type, decided by the real deciders in two lead lives and two deals: a lead worked, nurtured,
 * disqualified, reopened and converted into a new account, contact and opportunity, which moves through stages, is
 * lost, reopened and won; a second lead with only the required fields, disqualified and converted into the existing
 * account and contact without an opportunity; an account, contact and opportunity created directly; and a lead from a
 * web form whose person submits the form again (a duplicate, recorded on the lead). Optional fields appear both set
 * and null. Deterministic: fixed ids and a fixed clock.
 */
export function decideExampleEvents(): DecidedEvent[] {
  const ledger = new ExampleLedger();
  const lead = (id: string, command: (at: string) => Parameters<typeof leadDecider.decide>[0], actor?: string) =>
    ledger.decide(leadDecider, 'lead', id, command, { actor });
  const deal = (id: string, command: (at: string) => Parameters<typeof opportunityDecider.decide>[0], actor?: string) =>
    ledger.decide(opportunityDecider, 'opportunity', id, command, { actor });

  // A lead's whole life, into a new account, contact and opportunity.
  lead(ADA, (at) => ({
    type: 'CreateLead',
    leadId: ADA,
    at,
    owner: 'alice',
    details: {
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines Ltd',
      title: 'CTO',
      email: 'ada@engines.example',
      phone: '+44 20 7946 0000',
      source: 'Web Form',
      campaign: 'Spring Webinar',
      industry: 'Machinery',
      rating: 'Warm',
    },
  }));
  lead(ADA, (at) => ({ type: 'UpdateLeadDetails', leadId: ADA, at, changes: { title: 'Chief Engineer', phone: null, industry: null } }));
  lead(ADA, (at) => ({ type: 'ChangeLeadOwner', leadId: ADA, at, owner: 'bob' }));
  lead(ADA, (at) => ({ type: 'LogLeadContact', leadId: ADA, at, channel: 'call', note: 'Intro call: evaluating engines for Q3' }), 'bob');
  lead(ADA, (at) => ({ type: 'RecordLeadQualification', leadId: ADA, at, bant: { budget: false, authority: true, need: true, timeline: false }, note: 'No budget before the next fiscal year' }), 'bob');
  lead(ADA, (at) => ({ type: 'StartLeadNurture', leadId: ADA, at, reason: 'Budget next fiscal year' }), 'bob');
  lead(ADA, (at) => ({ type: 'DisqualifyLead', leadId: ADA, at, reasonCode: 'no_budget', reason: 'Budget frozen for the year' }), 'bob');
  lead(ADA, (at) => ({ type: 'ReopenLead', leadId: ADA, at, reason: 'New budget approved' }), 'bob');
  lead(ADA, (at) => ({ type: 'LogLeadContact', leadId: ADA, at, channel: 'meeting', note: null }), 'bob');
  lead(ADA, (at) => ({ type: 'RecordLeadQualification', leadId: ADA, at, bant: { budget: true, authority: true, need: true, timeline: true }, note: null }), 'bob');
  const [converted] = lead(
    ADA,
    (at) => ({
      type: 'ConvertLead',
      leadId: ADA,
      at,
      account: { mode: 'new', accountId: ENGINES, name: 'Analytical Engines Ltd' },
      contact: { mode: 'new', contactId: ADA_CONTACT },
      opportunity: { opportunityId: DEAL, name: 'Analytical Engines - 10 engines', stage: 'Prospecting', closeDate: '2026-09-30', amount: 4_500_000, currency: 'EUR' },
    }),
    'bob',
  );
  followUps(ledger, converted as LeadConverted);

  // The deal moves, is lost, reopened and won.
  deal(DEAL, (at) => ({ type: 'ChangeOpportunityStage', opportunityId: DEAL, at, stage: 'Needs Analysis', lossReason: null }), 'bob');
  deal(DEAL, (at) => ({ type: 'OverrideOpportunityProbability', opportunityId: DEAL, at, probability: 35 }), 'bob');
  deal(DEAL, (at) => ({ type: 'ChangeOpportunityAmount', opportunityId: DEAL, at, amount: 5_200_000, currency: 'EUR' }), 'bob');
  deal(DEAL, (at) => ({ type: 'ChangeOpportunityCloseDate', opportunityId: DEAL, at, closeDate: '2026-10-31' }), 'bob');
  deal(DEAL, (at) => ({ type: 'ChangeOpportunityOwner', opportunityId: DEAL, at, owner: 'carol' }));
  deal(DEAL, (at) => ({ type: 'CloseOpportunityLost', opportunityId: DEAL, at, reason: 'Went with a competitor' }), 'carol');
  deal(DEAL, (at) => ({ type: 'ReopenOpportunity', opportunityId: DEAL, at, stage: null, reason: 'The competitor could not deliver' }), 'carol');
  deal(DEAL, (at) => ({ type: 'CloseOpportunityWon', opportunityId: DEAL, at }), 'carol');

  // A lead with only what is required: disqualified without words, reopened, merged into the account and contact.
  lead(GRACE, (at) => ({
    type: 'CreateLead',
    leadId: GRACE,
    at,
    owner: 'carol',
    details: { firstName: null, lastName: 'Lovelace', company: 'Analytical Engines', title: null, email: null, phone: null, source: 'Trade Show', campaign: null, industry: null, rating: null },
  }), 'carol');
  lead(GRACE, (at) => ({ type: 'DisqualifyLead', leadId: GRACE, at, reasonCode: 'duplicate', reason: null }), 'carol');
  lead(GRACE, (at) => ({ type: 'ReopenLead', leadId: GRACE, at, reason: null }), 'carol');
  lead(GRACE, (at) => ({ type: 'UpdateLeadDetails', leadId: GRACE, at, changes: { firstName: 'Augusta', phone: '+44 20 7946 0101', industry: 'Machinery' } }), 'carol');
  const [merged] = lead(
    GRACE,
    (at) => ({
      type: 'ConvertLead',
      leadId: GRACE,
      at,
      account: { mode: 'existing', accountId: ENGINES },
      contact: { mode: 'existing', contactId: ADA_CONTACT, accountId: ENGINES },
      opportunity: null,
    }),
    'carol',
  );
  followUps(ledger, merged as LeadConverted);

  // An account, a contact and an opportunity created directly, not from a lead.
  ledger.decide(accountDecider, 'account', NAVY, (at): AccountCommand => ({
    type: 'CreateAccount',
    accountId: NAVY,
    at,
    details: { name: 'Naval Research Lab', industry: 'Government', website: 'https://navy.example', phone: null, billingCountry: 'US' },
    owner: 'dave',
    source: null,
    leadId: null,
  }), { actor: 'dave' });
  ledger.decide(contactDecider, 'contact', HOPPER, (at): ContactCommand => ({
    type: 'CreateContact',
    contactId: HOPPER,
    accountId: NAVY,
    at,
    details: { firstName: 'Grace', lastName: 'Hopper', title: 'Rear Admiral', email: 'grace@navy.example', phone: null },
    owner: 'dave',
    source: null,
    leadId: null,
  }), { actor: 'dave' });
  deal(COMPILER, (at) => ({
    type: 'CreateOpportunity',
    opportunityId: COMPILER,
    at,
    accountId: NAVY,
    name: 'Compiler pilot',
    stage: null,
    closeDate: '2026-12-15',
    amount: null,
    currency: null,
    owner: 'dave',
    source: null,
    leadId: null,
  }), 'dave');
  deal(COMPILER, (at) => ({ type: 'ChangeOpportunityAmount', opportunityId: COMPILER, at, amount: 1_200_000_00, currency: 'USD' }), 'dave');
  deal(COMPILER, (at) => ({ type: 'ChangeOpportunityStage', opportunityId: COMPILER, at, stage: 'Closed Lost', lossReason: 'No decision this year' }), 'dave');
  deal(COMPILER, (at) => ({ type: 'ReopenOpportunity', opportunityId: COMPILER, at, stage: 'Negotiation/Review', reason: null }), 'dave');

  // People who asked to be forgotten: the second lead, and the contact created directly.
  lead(GRACE, (at) => ({ type: 'EraseLeadPersonalData', leadId: GRACE, at }), 'user:admin');
  ledger.decide(contactDecider, 'contact', HOPPER, (at): ContactCommand => ({ type: 'EraseContactPersonalData', contactId: HOPPER, at }), { actor: 'user:admin' });

  // A lead from a web form (POST /intake/leads), whose person sends the form again: the same email, a phone added.
  const form = `form:${CONTACT_FORM}`;
  lead(HEDY, (at) => ({
    type: 'CreateLead',
    leadId: HEDY,
    at,
    owner: 'erin',
    details: { firstName: 'Hedy', lastName: 'Lamarr', company: 'Frequency Hopping Inc', title: 'Inventor', email: 'hedy@hopping.example', phone: null, source: 'Web Form', campaign: 'Spring Webinar', industry: null, rating: null },
  }), form);
  lead(HEDY, (at) => ({
    type: 'RecordDuplicateSubmission',
    leadId: HEDY,
    at,
    formId: CONTACT_FORM,
    submissionId: '9b2f6c1e-4d3a-4c8e-a1f0-5e6d7c8b9a01',
    matchedOn: 'email',
    submitted: { firstName: 'Hedy', lastName: 'Lamarr', email: 'hedy@hopping.example', phone: '+1 310 555 0142', company: 'Frequency Hopping', title: null },
  }), form);
  return ledger.events;
}

/** What the api's conversion completer writes after a LeadConverted: the same commands, caused by that event. */
function followUps(ledger: ExampleLedger, converted: LeadConverted): void {
  const c: LeadConversion = converted.data;
  const last = ledger.events[ledger.events.length - 1];
  const acting = { at: last.occurredAt, actor: last.actor, correlationId: last.correlationId, causationId: exampleEventId(ledger.events.length) }; // the LeadConverted's id
  const commands = conversionFollowUps(c);
  ledger.decide(accountDecider, 'account', commands.account.accountId, () => commands.account, acting);
  ledger.decide(contactDecider, 'contact', commands.contact.contactId, () => commands.contact, acting);
  if (commands.opportunity) ledger.decide(opportunityDecider, 'opportunity', commands.opportunity.opportunityId, () => commands.opportunity!, acting);
}
