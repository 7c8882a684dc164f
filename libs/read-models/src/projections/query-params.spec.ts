import { z } from 'zod';
import { conversionRatesParamsSchema } from './conversion-rates.params';
import { leadsListParamsSchema } from './leads-list.params';
import { opportunitiesListParamsSchema } from './opportunities-list.params';
import { pipelineParamsSchema } from './pipeline-by-stage.params';
import { winRateParamsSchema } from './win-rate.params';

/** The issues as the HTTP layer reports them: `{field, reason}`, the field being the parameter's name. */
function issues(schema: z.ZodType, input: unknown): Array<{ field: string; reason: string }> {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return parsed.error.issues.map((i) => ({ field: i.path.length ? i.path.join('.') : 'query', reason: i.message }));
}

describe('query parameters', () => {
  describe('conversion rates', () => {
    it('defaults to the cohort basis and no grouping; reads groupBy comma-separated or repeated', () => {
      expect(conversionRatesParamsSchema.parse({})).toEqual({ basis: 'cohort', timeBasis: 'occurred', groupBy: [] });
      expect(conversionRatesParamsSchema.parse({ basis: 'period', from: '2025-01-01', to: '2025-03-31', groupBy: 'source, cohortMonth' })).toEqual({
        basis: 'period',
        timeBasis: 'occurred',
        from: '2025-01-01',
        to: '2025-03-31',
        groupBy: ['source', 'cohortMonth'],
      });
      expect(conversionRatesParamsSchema.parse({ groupBy: ['owner', 'campaign,owner'], source: 'Referral', owner: ' alice ' })).toEqual({
        basis: 'cohort',
        timeBasis: 'occurred',
        groupBy: ['owner', 'campaign'],
        source: 'Referral',
        owner: 'alice',
      });
    });

    it('refuses an unknown groupBy, naming the valid ones and the wrong one', () => {
      expect(issues(conversionRatesParamsSchema, { groupBy: 'source,stage' })).toEqual([
        { field: 'groupBy', reason: 'must be one of source, owner, campaign, cohortMonth; got "stage"' },
      ]);
    });

    it('refuses malformed dates, a start after the end, an unknown basis and unknown parameters', () => {
      expect(issues(conversionRatesParamsSchema, { from: '2025-02-30', to: '03/01/2025' })).toEqual([
        { field: 'from', reason: 'must be a date, YYYY-MM-DD' },
        { field: 'to', reason: 'must be a date, YYYY-MM-DD' },
      ]);
      expect(issues(conversionRatesParamsSchema, { from: '2025-03-02', to: '2025-03-01' })).toEqual([
        { field: 'from', reason: 'must be on or before to (2025-03-01); got 2025-03-02' },
      ]);
      expect(issues(conversionRatesParamsSchema, { basis: 'monthly' })).toEqual([{ field: 'basis', reason: 'must be one of cohort, period' }]);
      expect(issues(conversionRatesParamsSchema, { source: 'Fax' })[0]?.reason).toMatch(/^must be one of Web Form, Purchased List, /);
      expect(issues(conversionRatesParamsSchema, { form: '2025-01-01' })).toEqual([{ field: 'query', reason: 'unknown parameter(s): form' }]);
    });

    it('reads timeBasis occurred or recorded, and refuses any other value naming the field', () => {
      expect(conversionRatesParamsSchema.parse({ timeBasis: 'recorded', basis: 'period' })).toMatchObject({ basis: 'period', timeBasis: 'recorded' });
      expect(conversionRatesParamsSchema.parse({ timeBasis: 'occurred' })).toMatchObject({ timeBasis: 'occurred' });
      expect(issues(conversionRatesParamsSchema, { timeBasis: 'bogus' })).toEqual([{ field: 'timeBasis', reason: 'must be one of occurred, recorded' }]);
      expect(issues(conversionRatesParamsSchema, { timeBasis: ['occurred', 'recorded'] })).toEqual([{ field: 'timeBasis', reason: 'must be one of occurred, recorded' }]);
    });
  });

  describe('pipeline by stage', () => {
    it('accepts an owner and a close window', () => {
      expect(pipelineParamsSchema.parse({ owner: 'alice', closeFrom: '2025-01-01', closeTo: '2025-01-01' })).toEqual({
        owner: 'alice',
        closeFrom: '2025-01-01',
        closeTo: '2025-01-01',
      });
      expect(pipelineParamsSchema.parse({})).toEqual({});
    });

    it('has no timeBasis: its only window is on close dates, a business field, not an event time', () => {
      expect(issues(pipelineParamsSchema, { timeBasis: 'recorded' })).toEqual([{ field: 'query', reason: 'unknown parameter(s): timeBasis' }]);
    });

    it('refuses a close window the wrong way round and an empty owner, naming every bad parameter', () => {
      expect(issues(pipelineParamsSchema, { closeFrom: '2025-06-01', closeTo: '2025-05-31', owner: '' })).toEqual([
        { field: 'owner', reason: 'must not be empty' },
        { field: 'closeFrom', reason: 'must be on or before closeTo (2025-05-31); got 2025-06-01' },
      ]);
      expect(issues(pipelineParamsSchema, { closeTo: '2025-13-01' })).toEqual([{ field: 'closeTo', reason: 'must be a date, YYYY-MM-DD' }]);
    });
  });

  describe('win rate', () => {
    it('groups by owner and source only', () => {
      expect(winRateParamsSchema.parse({ groupBy: 'source,owner', from: '2025-01-01' })).toEqual({ timeBasis: 'occurred', groupBy: ['source', 'owner'], from: '2025-01-01' });
      expect(issues(winRateParamsSchema, { groupBy: 'campaign' })).toEqual([{ field: 'groupBy', reason: 'must be one of owner, source; got "campaign"' }]);
      expect(winRateParamsSchema.parse({ timeBasis: 'recorded' })).toEqual({ timeBasis: 'recorded', groupBy: [] });
      expect(issues(winRateParamsSchema, { timeBasis: 'bogus' })).toEqual([{ field: 'timeBasis', reason: 'must be one of occurred, recorded' }]);
      expect(issues(winRateParamsSchema, { from: '2025-02-01', to: '2025-01-01' })).toEqual([
        { field: 'from', reason: 'must be on or before to (2025-01-01); got 2025-02-01' },
      ]);
    });
  });

  describe('lead list', () => {
    it('defaults to newest first, page 1 of 50; parses numbers, lists and a descending sort', () => {
      expect(leadsListParamsSchema.parse({})).toEqual({ sort: { field: 'createdAt', direction: 'desc' }, page: 1, pageSize: 50 });
      expect(
        leadsListParamsSchema.parse({ status: 'Nurturing,Working - Contacted', source: ['Web Form', 'Referral'], sort: 'lastName', page: '3', pageSize: '20', q: 'ada' }),
      ).toEqual({
        status: ['Nurturing', 'Working - Contacted'],
        source: ['Web Form', 'Referral'],
        sort: { field: 'lastName', direction: 'asc' },
        page: 3,
        pageSize: 20,
        q: 'ada',
      });
    });

    it('refuses a bad sort, page, page size, source and created window', () => {
      expect(issues(leadsListParamsSchema, { sort: '-email', page: '0', pageSize: '500', source: 'Fax', createdFrom: '2025-02-01', createdTo: '2025-01-01' })).toEqual([
        { field: 'source', reason: expect.stringMatching(/^must be one of Web Form, .*; got "Fax"$/) },
        { field: 'sort', reason: 'must be one of createdAt, updatedAt, lastName, company, status, source, owner, with a leading "-" for descending' },
        { field: 'page', reason: 'must be a whole number from 1 to 1000000' },
        { field: 'pageSize', reason: 'must be a whole number from 1 to 200' },
        { field: 'createdFrom', reason: 'must be on or before createdTo (2025-01-01); got 2025-02-01' },
      ]);
      expect(issues(leadsListParamsSchema, { page: '1.5' })).toEqual([{ field: 'page', reason: 'must be a whole number from 1 to 1000000' }]);
    });
  });

  describe('opportunity list', () => {
    it('defaults to soonest close first and reads stage and status lists', () => {
      expect(opportunitiesListParamsSchema.parse({ stage: 'Prospecting,Needs Analysis', status: 'open', sort: '-amount' })).toEqual({
        stage: ['Prospecting', 'Needs Analysis'],
        status: ['open'],
        sort: { field: 'amount', direction: 'desc' },
        page: 1,
        pageSize: 50,
      });
    });

    it('refuses an unknown status and a close window the wrong way round', () => {
      expect(issues(opportunitiesListParamsSchema, { status: 'won,closed', closeFrom: '2025-02-01', closeTo: '2025-01-31' })).toEqual([
        { field: 'status', reason: 'must be one of open, won, lost; got "closed"' },
        { field: 'closeFrom', reason: 'must be on or before closeTo (2025-01-31); got 2025-02-01' },
      ]);
    });
  });
});
