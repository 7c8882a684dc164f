import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { DomainError, streamIdFor } from '@pipeline-ledger/domain';
import { EVENT_STORE, EventStore, verifyChain } from '@pipeline-ledger/event-store';
import { SEALED_EVENT_STORE } from '../infrastructure/storage.module';
import { z } from 'zod';
import { pathId } from '../http/respond';
import { parseQuery } from '../read-side/query-params';
import { RECORDS, Records } from '../write/record-types';
import { RecordKind, historySubject } from './history-subjects';
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
    @Inject(SEALED_EVENT_STORE) private readonly sealed: EventStore,
  ) {}

  @Get('leads/:id/history')
  async lead(@Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const history = await this.history('lead', id, query, res);
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
    return this.verify('lead', id);
  }

  @Get('accounts/:id/verify')
  verifyAccount(@Param('id') id: string) {
    return this.verify('account', id);
  }

  @Get('contacts/:id/verify')
  verifyContact(@Param('id') id: string) {
    return this.verify('contact', id);
  }

  @Get('opportunities/:id/verify')
  verifyOpportunity(@Param('id') id: string) {
    return this.verify('opportunity', id);
  }

  @Get('accounts/:id/history')
  account(@Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    return this.history('account', id, query, res);
  }

  @Get('contacts/:id/history')
  contact(@Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    return this.history('contact', id, query, res);
  }

  @Get('opportunities/:id/history')
  opportunity(@Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    return this.history('opportunity', id, query, res);
  }

  private async verify(kind: RecordKind, rawId: string) {
    const id = pathId(rawId);
    const streamId = streamIdFor(kind, id);
    const events = await this.sealed.readStream(streamId); // the chain covers the stored bytes, personal fields sealed
    if (events.length === 0) throw DomainError.notFound(kind, id);
    return { streamId, ...verifyChain(events) };
  }

  private async history(kind: RecordKind, rawId: string, query: Record<string, unknown>, res: Response): Promise<RecordHistory | string> {
    const id = pathId(rawId);
    const { format, ...options } = parseQuery(historyParams, query);
    const events = await this.events.readStream(streamIdFor(kind, id));
    const { record, present } = historySubject(this.records, kind);
    if (format === 'json') return recordHistory(record, id, events, present, options);
    const all = recordHistory(record, id, events, present, { ...options, page: 1, pageSize: Math.max(1, events.length) });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${kind}-${id}-history.csv"`);
    return historyCsv(all);
  }
}
