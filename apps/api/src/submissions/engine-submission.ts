import type { DepartmentEntity } from '@jiping/persistence';
import type { Submission } from '@jiping/rules';

/**
 * What a department posts as its year-end data (the engine's Submission without what the path and the declared
 * targets already say): overview, budget, inputs, evidence, targetResults, notApplicable (不适用) and optionally its unit count.
 */
export interface SubmissionBody {
  unitCount?: number;
  overview?: Submission['overview'];
  budget?: Submission['budget'];
  inputs: Submission['inputs'];
  evidence?: Submission['evidence'];
  targetResults?: Submission['targetResults'];
  notApplicable?: Submission['notApplicable'];
}

/** Assembles the engine's Submission from a stored submission body and the declared targets it was made under. */
export function toEngineSubmission(args: {
  department: Pick<DepartmentEntity, 'code' | 'name'>;
  fiscalYear: number;
  body: SubmissionBody;
  targets?: Submission['targets'];
}): Submission {
  const { department, fiscalYear, body, targets } = args;
  const submission: Submission = {
    formatVersion: '1',
    department: {
      code: department.code,
      name: department.name,
      ...(body.unitCount !== undefined ? { unitCount: body.unitCount } : {}),
    },
    fiscalYear,
    inputs: body.inputs,
  };
  if (body.overview !== undefined) submission.overview = body.overview;
  if (body.budget !== undefined) submission.budget = body.budget;
  if (body.evidence !== undefined) submission.evidence = body.evidence;
  if (targets !== undefined) submission.targets = targets;
  if (body.targetResults !== undefined) submission.targetResults = body.targetResults;
  if (body.notApplicable !== undefined) submission.notApplicable = body.notApplicable;
  return submission;
}
