import { zhAudit } from '../../i18n/admin.zh-CN';

const t = zhAudit.objects;

/** The fields of an audit entry that say what it is about (GET /audit, AuditEntryDto). */
export interface AuditObject {
  entityType: string;
  entityId: string;
  departmentCode: string | null;
  fiscalYear: number | null;
  details?: Record<string, unknown>;
}

/** What the page already knows by identifier: departments, people and rule-set versions. */
export interface AuditNames {
  department: (code: string) => string | undefined;
  user: (id: string) => string | undefined;
  ruleSet: (ref: string) => { title: string; versionNo: number } | undefined;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * 对象 as an admin knows it — the department's name, the rule set's title and version, the person's name, 2021年度年终数据
 * （第3版） — from the entry and what the page has loaded; the API's identifier (entityId) is what the page shows on
 * hover. An unknown kind shows the identifier itself.
 */
export function auditObjectLabel(e: AuditObject, names: AuditNames): string {
  const d = e.details ?? {};
  const [first, second, third] = e.entityId.split(':');
  switch (e.entityType) {
    case 'department':
      return names.department(e.entityId) ?? text(d.name) ?? e.entityId;
    case 'user':
      return names.user(e.entityId) ?? text(d.name) ?? e.entityId;
    case 'api-key':
      return t.apiKey(
        text(d.name) ?? e.entityId,
        text(d.userName) ?? (text(d.userId) && names.user(String(d.userId))) ?? null,
      );
    case 'rule-set': {
      const known = names.ruleSet(e.entityId);
      if (known) return t.ruleSet(known.title, known.versionNo);
      return third ? t.ruleSetUnlisted(second, third) : e.entityId;
    }
    case 'targets':
      return third ? t.targets(second, third) : e.entityId;
    case 'submission':
      return third ? t.submission(second, third) : e.entityId;
    case 'evaluation':
      return t.evaluation(e.fiscalYear, text(d.total));
    case 'department-year':
      return second ? t.departmentYear(second) : e.entityId;
    case 'year':
      return t.year(first);
    case 'job':
      return t.job(text(d.kind) ?? '');
    default:
      return e.entityId;
  }
}
