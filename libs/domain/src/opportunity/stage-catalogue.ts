import type { FieldIssue } from '../shared/domain-error';
import type { ForecastCategory, StageSnapshot } from './opportunity.types';

/** One opportunity stage as configured: its default probability and where it lands in the forecast. */
export interface StageDefinition {
  readonly name: string;
  /** Default probability (integer percent) an opportunity gets when it enters this stage. */
  readonly probability: number;
  readonly forecastCategory: ForecastCategory;
  readonly isClosed: boolean;
  readonly isWon: boolean;
}

/** Every forecast category, in forecast order. */
export const FORECAST_CATEGORIES = ['Pipeline', 'Best Case', 'Commit', 'Closed', 'Omitted'] as const satisfies readonly ForecastCategory[];
// Compile-time completeness: fails if ForecastCategory gains a category that is not listed above.
type MissingForecastCategory = Exclude<ForecastCategory, (typeof FORECAST_CATEGORIES)[number]>;
const forecastCategoriesAreComplete: MissingForecastCategory extends never ? true : never = true;
void forecastCategoriesAreComplete;

/**
 * The ordered, validated set of stages an organisation uses. Validation happens once, at construction (start-up),
 * so a wrong configuration fails fast with a plain Error that says what is wrong.
 */
export class StageCatalogue {
  readonly stages: readonly StageDefinition[];
  private readonly byName: ReadonlyMap<string, StageDefinition>;

  constructor(definitions: readonly StageDefinition[]) {
    const problems = catalogueProblems(definitions);
    if (problems.length) throw new Error(`Invalid stage catalogue: ${problems.join('; ')}`);
    this.stages = Object.freeze(definitions.map((d) => Object.freeze({ ...d })));
    this.byName = new Map(this.stages.map((s) => [s.name, s]));
  }

  get(name: string): StageDefinition | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  openStages(): readonly StageDefinition[] {
    return this.stages.filter((s) => !s.isClosed);
  }

  /** Where a new opportunity starts when no stage is given. */
  firstOpenStage(): StageDefinition {
    return this.stages.find((s) => !s.isClosed) as StageDefinition;
  }

  wonStage(): StageDefinition {
    return this.stages.find((s) => s.isClosed && s.isWon) as StageDefinition;
  }

  /** The stage "close lost" moves to: the first closed stage that is not won. */
  lostStage(): StageDefinition {
    return this.stages.find((s) => s.isClosed && !s.isWon) as StageDefinition;
  }

  names(): readonly string[] {
    return this.stages.map((s) => s.name);
  }

  /** The issue to report for a stage name this catalogue does not know, listing the valid ones; null if known. */
  unknownStageIssue(field: string, name: unknown): FieldIssue | null {
    if (typeof name === 'string' && this.has(name)) return null;
    return { field, reason: `unknown stage "${String(name)}"; valid stages: ${this.names().join(', ')}` };
  }
}

function catalogueProblems(definitions: readonly StageDefinition[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of definitions) {
    if (typeof d.name !== 'string' || d.name.trim() === '') problems.push('every stage needs a non-empty name');
    else if (seen.has(d.name)) problems.push(`stage "${d.name}" appears more than once`);
    else seen.add(d.name);
    if (!Number.isInteger(d.probability) || d.probability < 0 || d.probability > 100) {
      problems.push(`stage "${d.name}": probability must be an integer from 0 to 100, got ${String(d.probability)}`);
    }
    if (!(FORECAST_CATEGORIES as readonly string[]).includes(d.forecastCategory)) {
      problems.push(`stage "${d.name}": forecast category must be one of ${FORECAST_CATEGORIES.join(', ')}`);
    }
    if (d.isWon && !d.isClosed) problems.push(`stage "${d.name}" is won but not closed; a won stage must be closed`);
  }
  const open = definitions.filter((d) => !d.isClosed).length;
  const won = definitions.filter((d) => d.isClosed && d.isWon).length;
  const lost = definitions.filter((d) => d.isClosed && !d.isWon).length;
  if (open === 0) problems.push('at least one open stage is needed');
  if (won !== 1) problems.push(`exactly one closed won stage is needed, found ${won}`);
  if (lost === 0) problems.push('at least one closed lost stage is needed');
  return problems;
}

/** The stage as recorded in events, so history does not depend on the catalogue in force when it is read. */
export function stageSnapshot(stage: StageDefinition): StageSnapshot {
  return {
    stage: stage.name,
    probability: stage.probability,
    forecastCategory: stage.forecastCategory,
    isClosed: stage.isClosed,
    isWon: stage.isWon,
  };
}

const open = (name: string, probability: number): StageDefinition => ({
  name,
  probability,
  forecastCategory: 'Pipeline',
  isClosed: false,
  isWon: false,
});

/** Salesforce's default sales process (domain.md). */
export const DEFAULT_STAGE_CATALOGUE = new StageCatalogue([
  open('Prospecting', 10),
  open('Qualification', 10),
  open('Needs Analysis', 20),
  open('Value Proposition', 50),
  open('Id. Decision Makers', 60),
  open('Perception Analysis', 70),
  open('Proposal/Price Quote', 75),
  open('Negotiation/Review', 90),
  { name: 'Closed Won', probability: 100, forecastCategory: 'Closed', isClosed: true, isWon: true },
  { name: 'Closed Lost', probability: 0, forecastCategory: 'Omitted', isClosed: true, isWon: false },
]);
