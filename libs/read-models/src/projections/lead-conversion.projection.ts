import { StoredEvent } from '@pipeline-ledger/event-store';
import { Projection } from '../projection';
import { businessDay, hoursBetween, occurredAt } from './business-time';
import { domainEventOf } from './domain-event';
import { LEAD_EVENT_TYPES, leadIdOf } from './lead-events';
import { CONVERSION_COUNTER_COLLECTIONS, CONVERSION_LEADS, ConversionLeadDocument, conversionChanges } from './lead-conversion.counters';
import { recordedDay } from './time-basis';
import { timeToConvertField } from './time-to-convert.histogram';

/**
 * Lead conversion counters, on two bases (domain.md: "say which one a number is"):
 * - cohort (`conversion_cohorts`, keyed by created day x source x owner x campaign): the leads created that day and
 *   what became of them, ever; a conversion in June adds to the March cohort of the lead;
 * - period (`conversion_periods`, keyed by the day it happened x source x owner x campaign): leads created, contacted,
 *   qualified, disqualified and converted that day.
 *
 * Groups are the lead's *current* source, owner and campaign: analytics by owner means by who owns the lead now.
 * When the owner changes (LeadOwnerChanged), or the source or campaign (LeadDetailsUpdated), every count of the
 * lead moves, on both bases and on every day it touched: the entity document remembers where each count is,
 * and apply takes the lead's contributions out of the old groups and puts them into the new ones. A converted lead
 * never changes again, so its counts stay where they are from then on.
 *
 * Each count is also kept in rollups (see CONVERSION_TIERS): by month, and by day and month per source, per owner
 * and per campaign alone, so that a question reads a few rows per month and per day at its window's ends, whatever
 * the number of leads.
 *
 * Every day is kept twice over, as the business day and as the day the store recorded the event, for
 * timeBasis=occurred|recorded (time-basis.ts): a counter whose two days (or months) agree counts for both, so only
 * back-dated events write a second set of counters.
 */
export const leadConversionProjection: Projection<ConversionLeadDocument> = {
  name: 'lead-conversion',
  version: 4, // 2: the monthly rollups; 3: the rollups by source, by owner and by campaign; 4: timeBasis (recorded days)
  collections: [{ name: CONVERSION_LEADS, indexedFields: [] }, ...CONVERSION_COUNTER_COLLECTIONS],
  eventTypes: LEAD_EVENT_TYPES,
  entityCollection: CONVERSION_LEADS,
  entityId: leadIdOf,
  apply(event, current) {
    const next = evolve(event, current);
    if (next === undefined) return {};
    return { document: next, increments: conversionChanges(current, next) };
  },
};

/** The lead's funnel position after the event; undefined when the event changes nothing the counters see. */
function evolve(event: StoredEvent, current: ConversionLeadDocument | null): ConversionLeadDocument | undefined {
  const e = domainEventOf(event);
  if (!e) return undefined;
  if (e.type === 'LeadCreated') {
    const d = e.data;
    return {
      id: d.leadId,
      source: d.source,
      owner: d.owner,
      campaign: d.campaign ?? null,
      createdAt: d.createdAt,
      createdDay: businessDay(d.createdAt),
      contactedDay: null,
      qualifiedDay: null,
      disqualifiedDay: null,
      convertedDay: null,
      withOpportunity: false,
      timeToConvertField: null,
      createdRecordedDay: recordedDay(event),
      contactedRecordedDay: null,
      qualifiedRecordedDay: null,
      disqualifiedRecordedDay: null,
      convertedRecordedDay: null,
    };
  }
  // A converted lead is final (the domain refuses any later command); nothing after it moves its counts.
  if (!current || current.convertedDay !== null) return undefined;
  switch (e.type) {
    case 'LeadDetailsUpdated': {
      const { source, campaign } = e.data.changes;
      if (source === undefined && campaign === undefined) return undefined;
      return { ...current, source: source ?? current.source, campaign: campaign === undefined ? current.campaign : campaign };
    }
    case 'LeadOwnerChanged':
      return { ...current, owner: e.data.owner };
    case 'LeadContacted':
      if (current.contactedDay) return undefined;
      return { ...current, contactedDay: businessDay(occurredAt(event, e.data.contactedAt)), contactedRecordedDay: recordedDay(event) };
    case 'LeadQualified': {
      if (!e.data.qualified) return current.qualifiedDay ? { ...current, qualifiedDay: null, qualifiedRecordedDay: null } : undefined;
      if (current.qualifiedDay) return undefined;
      return { ...current, qualifiedDay: businessDay(occurredAt(event, e.data.assessedAt)), qualifiedRecordedDay: recordedDay(event) };
    }
    case 'LeadDisqualified':
      return { ...current, disqualifiedDay: businessDay(occurredAt(event, e.data.disqualifiedAt)), disqualifiedRecordedDay: recordedDay(event) };
    case 'LeadNurtureStarted':
    case 'LeadReopened':
      return current.disqualifiedDay ? { ...current, disqualifiedDay: null, disqualifiedRecordedDay: null } : undefined;
    case 'LeadConverted': {
      const convertedAt = occurredAt(event, e.data.convertedAt);
      return {
        ...current,
        // A lead is converted from a workable status, so it is not disqualified any more.
        disqualifiedDay: null,
        disqualifiedRecordedDay: null,
        convertedDay: businessDay(convertedAt),
        convertedRecordedDay: recordedDay(event),
        withOpportunity: e.data.opportunity !== null,
        timeToConvertField: timeToConvertField(hoursBetween(current.createdAt, convertedAt)),
      };
    }
    default:
      return undefined;
  }
}
