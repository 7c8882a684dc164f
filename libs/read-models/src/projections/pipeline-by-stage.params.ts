import { z } from 'zod';
import { PipelineParams } from './pipeline-by-stage.query';
import { dateParam, queryParamsObject, textParam, windowCheck } from './query-params.fields';

/** Query parameters of pipeline by stage: `owner`, and a close-date window `closeFrom` / `closeTo` (inclusive). */
export const pipelineParamsSchema: z.ZodType<PipelineParams> = queryParamsObject({
  owner: textParam(200).optional(),
  closeFrom: dateParam.optional(),
  closeTo: dateParam.optional(),
}).superRefine(windowCheck('closeFrom', 'closeTo'));
