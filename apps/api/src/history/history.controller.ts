import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { DomainError, streamIdFor } from '@pipeline-ledger/domain';
import { EVENT_STORE, EventStore, verifyChain } from '@pipeline-ledger/event-store';
import { z } from 'zod';
import { presentAccount } from '../accounts/accounts.controller';
import { presentContact } from '../contacts/contacts.controller';
import { pathId } from '../http/respond';
import { presentLead } from '../leads/lead.presenter';
import { presentOpportunity } from '../opportunities/opportunity.presenter';
import { parseQuery } from '../read-side/query-params';
import { RECORDS, RecordType, Records } from '../write/record-types';
import { RecordHistory, historyCsv, recordHistory } from './record-history';

const historyParams = z.strictObject({
  asOf: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant, e.g. 2026-03-01T12:00:00Z' }).optional(),
  basis: z.enum(['recorded', 'occurred'], { error: 'must be recorded or occurred' }).default('recorded'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
  /** csv: the whole history (as of asOf) as a spreadsheet, not a page of it. */
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
});

/** Correlation ids are the X-Correlation-Id a client sent (or a UUID the api chose): printable, bounded. */
const correlationParam = z.object({ id: z.string().trim().min(1).max(200) });

/**
 * Auditors: a record's full history, event by event, with what each changed and the state after it; `asOf` for
 * the state as it stood at an instant, by recorded time or (basis=occurred) business time.
 */
@ApiTags('history')
@Controller()
export class HistoryController {
  constructor(
    @Inject(RECORDS) private readonly records: Records,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get('leads/:id/history')
  async lead(@Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const history = await this.history(this.records.lead, id, presentLead, query, res);
    if (typeof history === 'string') return history;
    const conversion = history.state['conversion'] as { accountId: string; contactId: string; opportunityId: string | null } | null;
    // A converted lead leads on to the records it produced, whose histories read the same way.
    const produced = conversion && {
      account: `/accounts/${conversion.accountId}/history`,
      contact: `/contacts/${conversion.contactId}/history`,
      opportunity: conversion.opportunityId ? `/opportunities/${conversion.opportunityId}/history` : null,
    };
    return { ...history, produced };
  }

  /** Every event one request caused, across streams (a conversion: the lead's, the account's, the contact's...). */
  @Get('correlations/:id')
  async correlation(@Param('id') raw: string) {
    const correlationId = parseQuery(correlationParam, { id: raw }).id;
    const events = await this.events.readCorrelated(correlationId);
    if (events.length === 0) throw new DomainError('not_found', 'CORRELATION_NOT_FOUND', `no event carries correlation id ${correlationId}`);
    return {
      correlationId,
      events: events.map((e) => ({
        streamId: e.streamId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        revision: e.revision,
        position: e.position.toString(),
        occurredAt: e.metadata.occurredAt,
        recordedAt: e.metadata.recordedAt,
        actor: e.metadata.actor,
        causationId: e.metadata.causationId,
        data: e.data,
      })),
    };
  }

  /** Recomputes the lead's hash chain: ok, or the first event whose stored hash does not match. */
  @Get('leads/:id/verify')
  verifyLead(@Param('id') id: string) {
    return this.verify(this.records.lead, id);
  }

  @Get('accounts/:id/verify')
  verifyAccount(@Param('id') id: string) {
    return this.verify(this.records.account, id);
  }

  @Get('contacts/:id/verify')
  verifyContact(@Param('id') id: string) {
    return this.verify(this.records.contact, id);
  }

  @Get('opportunities/:id/verify')
  verifyOpportunity(@Param('id') id: string) {
    return this.verify(this.records.opportunity, id);
  }

  @Get('accounts/:id/history')
  account(@Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    return this.history(this.records.account, id, presentAccount, query, res);
  }

  @Get('contacts/:id/history')
  contact(@Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    return this.history(this.records.contact, id, presentContact, query, res);
  }

  @Get('opportunities/:id/history')
  opportunity(@Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    return this.history(this.records.opportunity, id, presentOpportunity, query, res);
  }

  private async verify<C, S extends { exists: boolean }, E>(record: RecordType<C, S, E>, rawId: string) {
    const id = pathId(rawId);
    const streamId = streamIdFor(record.kind, id);
    const events = await this.events.readStream(streamId);
    if (events.length === 0) throw DomainError.notFound(record.kind, id);
    return { streamId, ...verifyChain(events) };
  }

  private async history<C, S extends { exists: boolean }, E>(
    record: RecordType<C, S, E>,
    rawId: string,
    present: (id: string, state: S, revision: number) => object,
    query: Record<string, unknown>,
    res: Response,
  ): Promise<RecordHistory | string> {
    const id = pathId(rawId);
    const { format, ...options } = parseQuery(historyParams, query);
    const events = await this.events.readStream(streamIdFor(record.kind, id));
    const show = present as (id: string, state: S, revision: number) => Record<string, unknown>;
    if (format === 'json') return recordHistory(record, id, events, show, options);
    const all = recordHistory(record, id, events, show, { ...options, page: 1, pageSize: Math.max(1, events.length) });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${record.kind}-${id}-history.csv"`);
    return historyCsv(all);
  }
}
