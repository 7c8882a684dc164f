import { DEFAULT_STAGE_CATALOGUE, StageCatalogue, StageDefinition } from './stage-catalogue';

const stage = (name: string, probability: number, isClosed = false, isWon = false): StageDefinition => ({
  name,
  probability,
  forecastCategory: isClosed ? (isWon ? 'Closed' : 'Omitted') : 'Pipeline',
  isClosed,
  isWon,
});
const VALID = [stage('Talking', 30), stage('Won', 100, true, true), stage('Lost', 0, true)];

describe('StageCatalogue', () => {
  it('holds the ten default stages of domain.md in order, with probabilities and forecast categories', () => {
    expect(DEFAULT_STAGE_CATALOGUE.stages.map((s) => [s.name, s.probability, s.forecastCategory, s.isClosed, s.isWon])).toEqual([
      ['Prospecting', 10, 'Pipeline', false, false],
      ['Qualification', 10, 'Pipeline', false, false],
      ['Needs Analysis', 20, 'Pipeline', false, false],
      ['Value Proposition', 50, 'Pipeline', false, false],
      ['Id. Decision Makers', 60, 'Pipeline', false, false],
      ['Perception Analysis', 70, 'Pipeline', false, false],
      ['Proposal/Price Quote', 75, 'Pipeline', false, false],
      ['Negotiation/Review', 90, 'Pipeline', false, false],
      ['Closed Won', 100, 'Closed', true, true],
      ['Closed Lost', 0, 'Omitted', true, false],
    ]);
  });

  it('answers the first open, the won and the lost stage', () => {
    expect(DEFAULT_STAGE_CATALOGUE.firstOpenStage().name).toBe('Prospecting');
    expect(DEFAULT_STAGE_CATALOGUE.wonStage().name).toBe('Closed Won');
    expect(DEFAULT_STAGE_CATALOGUE.lostStage().name).toBe('Closed Lost');
    expect(DEFAULT_STAGE_CATALOGUE.openStages()).toHaveLength(8);
  });

  it('looks stages up by exact name', () => {
    expect(DEFAULT_STAGE_CATALOGUE.get('Needs Analysis')).toEqual(stage('Needs Analysis', 20));
    expect(DEFAULT_STAGE_CATALOGUE.get('needs analysis')).toBeUndefined();
    expect(DEFAULT_STAGE_CATALOGUE.has('Closed Won')).toBe(true);
    expect(DEFAULT_STAGE_CATALOGUE.has('Haggling')).toBe(false);
  });

  it('takes the first closed stage that is not won as the lost stage', () => {
    const catalogue = new StageCatalogue([...VALID, stage('Lost Again', 0, true)]);
    expect(catalogue.lostStage().name).toBe('Lost');
  });

  it('keeps its own frozen copy of the definitions', () => {
    const definitions = VALID.map((d) => ({ ...d }));
    const catalogue = new StageCatalogue(definitions);
    definitions[0].probability = 99;
    expect(catalogue.get('Talking')?.probability).toBe(30);
    expect(Object.isFrozen(catalogue.get('Talking'))).toBe(true);
  });

  it.each<[string, StageDefinition[], string]>([
    ['duplicate names', [...VALID, stage('Talking', 40)], 'stage "Talking" appears more than once'],
    ['an empty name', [...VALID, stage(' ', 40)], 'every stage needs a non-empty name'],
    ['a probability above 100', [stage('Talking', 101), ...VALID.slice(1)], 'stage "Talking": probability must be an integer from 0 to 100, got 101'],
    ['a negative probability', [stage('Talking', -5), ...VALID.slice(1)], 'probability must be an integer from 0 to 100, got -5'],
    ['a fractional probability', [stage('Talking', 12.5), ...VALID.slice(1)], 'got 12.5'],
    ['no open stage', VALID.slice(1), 'at least one open stage is needed'],
    ['no won stage', [VALID[0], VALID[2]], 'exactly one closed won stage is needed, found 0'],
    ['two won stages', [...VALID, stage('Won Again', 100, true, true)], 'exactly one closed won stage is needed, found 2'],
    ['no lost stage', VALID.slice(0, 2), 'at least one closed lost stage is needed'],
    ['a won stage that is open', [...VALID, stage('Half Won', 80, false, true)], 'stage "Half Won" is won but not closed'],
    ['an unknown forecast category', [{ ...VALID[0], forecastCategory: 'Maybe' as never }, ...VALID.slice(1)], 'forecast category must be one of'],
  ])('refuses %s', (_what, definitions, message) => {
    expect(() => new StageCatalogue(definitions)).toThrow(message);
  });

  it('throws a plain Error that names the catalogue', () => {
    expect(() => new StageCatalogue([])).toThrow(
      new Error('Invalid stage catalogue: at least one open stage is needed; exactly one closed won stage is needed, found 0; at least one closed lost stage is needed'),
    );
  });
});
