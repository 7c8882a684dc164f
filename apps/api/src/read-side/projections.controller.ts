import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ProjectorRunner } from '@pipeline-ledger/read-models';
import { DomainError } from '@pipeline-ledger/domain';
import { z } from 'zod';
import { Allow } from '../auth/access.decorators';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ValidBody } from '../http/valid-body.decorator';

const rebuildBody = z.strictObject({
  /** Projection names; none or empty: all of them. */
  projections: z.array(z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters')).max(50, 'at most 50 names').optional(),
});

/** The projections' state, and rebuilds (admin). */
@ApiTags('projections')
@Controller('projections')
export class ProjectionsController {
  constructor(
    private readonly runner: ProjectorRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Every projection: version, generation, checkpoint, lag behind the store, status and failure. */
  @Allow('analyst', 'auditor')
  @Get()
  async list() {
    return { projections: (await this.runner.status()).map(serialise) };
  }

  /**
   * Rebuilds projections from position 0 into fresh tables and swaps them in when caught up; queries keep answering
   * from the old tables meanwhile. Answers 202 at once; follow progress on GET /projections.
   */
  @Allow('admin')
  @Post('rebuild')
  @HttpCode(202)
  rebuild(@ValidBody(rebuildBody) body: z.infer<typeof rebuildBody>) {
    if (this.config.projector !== 'embedded') {
      throw DomainError.rule('PROJECTOR_ELSEWHERE', 'this api does not run the projector (PROJECTOR=off): rebuild where apps/projector runs');
    }
    const names = body.projections ?? [];
    const known = new Set(this.runner.projections.map((p) => p.name));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length) throw DomainError.validation('projections', `unknown: ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
    void this.runner.rebuild(names).catch(() => undefined); // failures are recorded on the projection (GET /projections)
    return { rebuilding: names.length ? names : [...known] };
  }
}

function serialise(s: Awaited<ReturnType<ProjectorRunner['status']>>[number]) {
  const gen = (g: { generation: number; version: number; checkpoint: bigint | null } | null) =>
    g && { generation: g.generation, version: g.version, checkpoint: g.checkpoint?.toString() ?? null };
  return { name: s.name, version: s.version, status: s.status, lag: s.lag, active: gen(s.active), rebuilding: gen(s.rebuilding), failure: s.failure };
}
