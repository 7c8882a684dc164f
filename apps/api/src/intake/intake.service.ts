import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CreateLead, DomainError, RecordDuplicateSubmission } from '@pipeline-ledger/domain';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { LeadIdentityKeys, leadIdentityKeys } from '@pipeline-ledger/read-models';
import { HttpRefusal } from '../http/http-refusal';
import { ZodBodyPipe } from '../http/zod-body.pipe';
import { CommandContext } from '../write/command-context';
import { deterministicId } from '../write/event-ids';
import { ExecuteRecordCommand } from '../write/execute-record.command';
import { RECORDS, Records } from '../write/record-types';
import { DuplicateLeadFinder } from './duplicate-lead-finder';
import { FORM_STORE, FormStore } from './form-store.port';
import { IntakeSubmission, intakeSubmissionBody } from './intake.bodies';
import { IntakeForm } from './intake-form';
import { authenticateFormKey } from './intake-forms';
import { IntakeRateLimits } from './intake-rate-limits';
import { KeyedSerializer } from './keyed-serializer';
import { SUBMISSION_STORE, SubmissionStore, SubmissionTarget } from './submission-store.port';

export interface IntakeRequest {
  /** From the X-Form-Key header, else the body's formKey field. */
  formKey: unknown;
  body: unknown;
  /** The client's address (req.ip: behind trusted proxies, the one they report). */
  clientAddress: string | undefined;
}

/**
 * The one answer to every accepted submission: new lead, duplicate, repeat or honeypot alike, so that this public
 * endpoint never tells whether an email address (or a person) is known.
 */
export interface IntakeAnswer {
  submissionId: string;
  status: 'received';
}

const validSubmission = new ZodBodyPipe(intakeSubmissionBody);

/**
 * Web-to-lead: a submission through a form's key becomes a lead, through the same command path as POST /leads (the
 * lead decider, the repository, the event store), with the form's source, owner and campaign, by the actor
 * `form:<formId>`. A submission that matches a lead we have (the same email, or the same name and company) creates
 * none: it is recorded on that lead as LeadDuplicateSubmitted.
 *
 * Idempotent on (form, submissionId): the target of a submission is recorded (pending) before anything is written and
 * marked done after (SubmissionStore), and its events have ids derived from the form, the submission and the target
 * lead, so the same submission again writes nothing and answers the same, whatever happened to the first one.
 */
@Injectable()
export class IntakeService {
  private readonly serializer = new KeyedSerializer();

  constructor(
    @Inject(FORM_STORE) private readonly forms: FormStore,
    @Inject(SUBMISSION_STORE) private readonly submissions: SubmissionStore,
    @Inject(RECORDS) private readonly records: Records,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly commandBus: CommandBus,
    private readonly finder: DuplicateLeadFinder,
    private readonly limits: IntakeRateLimits,
  ) {}

  async submit(request: IntakeRequest): Promise<IntakeAnswer> {
    await this.limits.address(request.clientAddress);
    const form = await authenticateFormKey(this.forms, request.formKey);
    if (!form) {
      await this.limits.refusedKey(request.clientAddress);
      throw new HttpRefusal(401, 'FORM_KEY_INVALID', 'a valid form key is required: the X-Form-Key header, or a formKey field (unknown, malformed and revoked keys are refused alike)', {
        'WWW-Authenticate': 'FormKey',
      });
    }
    await this.limits.form(form.id);
    const submission = validSubmission.transform(request.body) as IntakeSubmission;
    const answer: IntakeAnswer = { submissionId: submission.submissionId, status: 'received' };
    if (submission.website) return answer; // the honeypot was filled in: a bot

    const keys = leadIdentityKeys(submission);
    // One at a time per submission and per identity: a repeat waits for the first, and a second submission of the same
    // person finds the lead the first one created (DuplicateLeadFinder remembers it until the projection has it).
    const serialized = [`submission:${form.id}:${submission.submissionId}`];
    if (keys.emailKey) serialized.push(`email:${keys.emailKey}`);
    if (keys.nameAndCompanyKey) serialized.push(`name:${keys.nameAndCompanyKey}`);
    await this.serializer.run(serialized, () => this.record(form, submission, keys));
    return answer;
  }

  private async record(form: IntakeForm, submission: IntakeSubmission, keys: LeadIdentityKeys): Promise<void> {
    const { submissionId } = submission;
    const now = new Date().toISOString();
    let seen = await this.submissions.get(form.id, submissionId);
    if (seen?.status === 'done') return;
    if (!seen) {
      const duplicate = await this.finder.find(keys);
      const target: SubmissionTarget = duplicate ? { outcome: 'duplicate', ...duplicate } : this.newLead(form, submissionId);
      seen = await this.submissions.begin(form.id, submissionId, target, now); // another process may have begun it: its target wins
    }
    let target = seen.target;
    if (target.outcome === 'duplicate' && !(await this.recordDuplicate(form, submission, target, now))) {
      target = this.newLead(form, submissionId);
      await this.submissions.retarget(form.id, submissionId, target);
    }
    if (target.outcome === 'created') {
      await this.createLead(form, submission, target.leadId, now);
      this.finder.remember(keys, target.leadId, await this.events.headPosition());
    }
    await this.submissions.complete(form.id, submissionId, new Date().toISOString());
  }

  /** A submission's new lead: its id derived from the form and the submission, so a retry lands on the same stream. */
  private newLead(form: IntakeForm, submissionId: string): SubmissionTarget {
    return { outcome: 'created', leadId: deterministicId(`lead|intake|${form.id}|${submissionId}`) };
  }

  private async createLead(form: IntakeForm, s: IntakeSubmission, leadId: string, at: string): Promise<void> {
    const command: CreateLead = {
      type: 'CreateLead',
      leadId,
      at,
      owner: form.owner,
      details: {
        firstName: s.firstName,
        lastName: s.lastName,
        company: s.company,
        title: s.title,
        email: s.email,
        phone: s.phone,
        source: form.source,
        campaign: form.campaign,
        industry: null,
        rating: null,
      },
    };
    await this.commandBus.execute(new ExecuteRecordCommand(this.records.lead, leadId, command, this.context(form, s.submissionId, leadId, at)));
  }

  /**
   * Records the submission on the lead it matched. False when that lead can no longer take it: converted since
   * (read-only for ever), or gone (erased), which the lookup may not have seen yet; a new lead is made instead.
   */
  private async recordDuplicate(form: IntakeForm, s: IntakeSubmission, target: Extract<SubmissionTarget, { outcome: 'duplicate' }>, at: string): Promise<boolean> {
    const command: RecordDuplicateSubmission = {
      type: 'RecordDuplicateSubmission',
      leadId: target.leadId,
      at,
      formId: form.id,
      submissionId: s.submissionId,
      matchedOn: target.matchedOn,
      submitted: { firstName: s.firstName, lastName: s.lastName, email: s.email, phone: s.phone, company: s.company, title: s.title },
    };
    try {
      await this.commandBus.execute(new ExecuteRecordCommand(this.records.lead, target.leadId, command, this.context(form, s.submissionId, target.leadId, at)));
      return true;
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'rule' || error.kind === 'not_found')) return false;
      throw error;
    }
  }

  /**
   * Who acts (the form), and the seed of the event ids: the form, the submission and the lead written to, so that the
   * same submission written again to the same lead is found there and writes nothing (EventSourcedRepository).
   */
  private context(form: IntakeForm, submissionId: string, leadId: string, at: string): CommandContext {
    const commandId = randomUUID();
    return {
      actor: `form:${form.id}`,
      correlationId: commandId,
      causationId: commandId,
      occurredAt: at,
      eventIdSeed: `lead-${leadId}|intake|${form.id}|${submissionId}`,
    };
  }
}
