import type { Role } from '@jiping/persistence';
import type { Submission } from '@jiping/rules';
import type { Principal } from '../../auth/principal';
import type { SubmissionBody } from '../../submissions/engine-submission';
// JSON modules: webpack bundles them, so the built service needs no files at run time.
import guangzhouDepartmentOverall2021 from '../../../../../rules/guangzhou/department-overall/2021.json';
import nationalProjectSelfEvaluation2020 from '../../../../../rules/national/project-self-evaluation/2020.json';
import gzKjj2021 from './gz-kjj-2021.json';

/**
 * The demo (JIPING_DEMO=true, the default): the shipped rule files, 广州市科学技术局 (gz-kjj) with its 2021 targets
 * (approved), year-end data (submitted) and its official evaluation (total 94.622, 优): the year is 已评分, ready for
 * 复核 and 定稿. The keys are fixed and public: a demo database is
 * for trying the API, never for real data.
 */
export interface DemoKey {
  key: string;
  name: string;
  role: Role;
  departmentCode?: string;
}

export const DEMO_ADMIN_KEY: DemoKey = { key: 'demo-admin-key', name: 'demo admin', role: 'admin' };
export const DEMO_EVALUATOR_KEY: DemoKey = { key: 'demo-evaluator-key', name: 'demo evaluator', role: 'evaluator' };
export const DEMO_DEPARTMENT_KEY: DemoKey = {
  key: 'demo-gz-kjj-key',
  name: 'demo 广州市科学技术局',
  role: 'department',
  departmentCode: 'gz-kjj',
};
export const DEMO_KEYS = [DEMO_ADMIN_KEY, DEMO_EVALUATOR_KEY, DEMO_DEPARTMENT_KEY];

/** Who the demo acts as: it goes through the same services (and validation) as any admin. */
export const DEMO_PRINCIPAL: Principal = { keyId: 'bootstrap', name: 'demo', role: 'admin', departmentCode: null };

/** The rule files uploaded and published, in this order. */
export const DEMO_RULE_FILES: ReadonlyArray<{ id: string; fiscalYear: number; content: unknown }> = [
  guangzhouDepartmentOverall2021,
  nationalProjectSelfEvaluation2020,
].map((file) => ({ id: file.id, fiscalYear: file.fiscalYear, content: file }));

export interface DemoDepartmentYear {
  department: { code: string; name: string; region: string };
  fiscalYear: number;
  /** The declared targets (绩效目标申报), the engine Submission's `targets`. */
  targets: NonNullable<Submission['targets']>;
  /** The year-end data. */
  submission: SubmissionBody;
}

export const DEMO_GZ_KJJ_2021 = gzKjj2021 as unknown as DemoDepartmentYear;
/** The note of the demo's target approval (批复). */
export const DEMO_APPROVAL_NOTE = '随2021年部门预算一并批复';

/** The rule set the demo department declares and submits under. */
export const DEMO_RULE_SET_ID = guangzhouDepartmentOverall2021.id;
