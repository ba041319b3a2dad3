import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DepartmentEntity } from '@jiping/persistence';
import { type DepartmentImportProblem, type DepartmentImportRow, readDepartmentImport } from '@jiping/reports';
import { localized, toPointer } from '@jiping/rules';
import { type EntityManager, Repository } from 'typeorm';
import { type AuditEntry, AuditService } from '../audit/audit.service';
import { assertDepartmentVisible } from '../auth/department-scope';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode, type ErrorDetail } from '../common/api-error';
import type {
  DepartmentDto,
  DepartmentImportResultDto,
  DepartmentImportRowResultDto,
  DepartmentStatus,
} from './dto/department.dto';

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
};

/** The fields an update or an import may change. */
const EDITABLE = ['name', 'region', 'parentCode'] as const;
type Editable = (typeof EDITABLE)[number];
type Changes = Partial<Record<Editable, { from: string | null; to: string | null }>>;

/** How many rows one INSERT carries in an import (well within MySQL's and SQLite's limits on parameters). */
const INSERT_CHUNK = 200;

/** 部门“广州市科学技术局”（gz-kjj） */
const named = (d: Pick<DepartmentEntity, 'code' | 'name'>): string => `部门“${d.name}”（${d.code}）`;

/**
 * The departments (部门/单位) the bureau evaluates: created one at a time or imported in bulk, renamed, moved under
 * another parent, retired (kept for history: a retired department takes no new targets, data or submissions) and
 * reinstated. Every change is audited in the transaction that makes it. A department key sees only its own.
 */
@Injectable()
export class DepartmentsService {
  constructor(
    @InjectRepository(DepartmentEntity) private readonly departments: Repository<DepartmentEntity>,
    private readonly audit: AuditService,
  ) {}

  async create(
    dto: { code: string; name: string; region: string; parentCode?: string | null },
    principal: Principal,
  ): Promise<DepartmentDto> {
    const duplicate = () =>
      ApiError.conflict(
        localized(
          `部门代码“${dto.code}”已存在；部门代码一经创建不能更改，也不能重复使用`,
          `department "${dto.code}" already exists; department codes never change`,
        ),
      );
    if (await this.departments.existsBy({ code: dto.code })) throw duplicate();
    const parentCode = dto.parentCode ?? null;
    if (parentCode !== null) await this.assertParent(parentCode, dto.code);
    const entity = this.departments.create({
      code: dto.code,
      name: dto.name,
      region: dto.region,
      parentCode,
      createdAt: new Date(),
      updatedAt: null,
      retiredAt: null,
      retiredReason: null,
    });
    try {
      await this.departments.manager.transaction(async (manager) => {
        // insert, not save: save would update an existing row of the same code.
        await manager.getRepository(DepartmentEntity).insert(entity);
        await this.audit.record(principal, createdEntry(entity), manager);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate();
      throw error;
    }
    return toDepartmentDto(entity);
  }

  async list(
    principal: Principal,
    filter: { region?: string; status?: DepartmentStatus; parentCode?: string } = {},
  ): Promise<DepartmentDto[]> {
    const query = this.departments.createQueryBuilder('d').orderBy('d.code', 'ASC');
    if (principal.role === 'department') query.andWhere('d.code = :own', { own: principal.departmentCode ?? '' });
    if (filter.region !== undefined) query.andWhere('d.region = :region', { region: filter.region });
    if (filter.parentCode !== undefined) query.andWhere('d.parentCode = :parent', { parent: filter.parentCode });
    if (filter.status === 'active') query.andWhere('d.retiredAt IS NULL');
    if (filter.status === 'retired') query.andWhere('d.retiredAt IS NOT NULL');
    return (await query.getMany()).map(toDepartmentDto);
  }

  async get(code: string, principal: Principal): Promise<DepartmentDto> {
    return toDepartmentDto(await this.findVisible(code, principal));
  }

  /** The department, if the caller may see it: 404 when it does not exist or belongs to another department's key. */
  async findVisible(code: string, principal: Principal): Promise<DepartmentEntity> {
    assertDepartmentVisible(principal, code);
    const department = await this.departments.findOneBy({ code });
    // the same text as assertDepartmentVisible's: another department's and an unknown one look alike
    if (!department) throw ApiError.notFound(localized(`部门“${code}”`, `department "${code}"`));
    return department;
  }

  /** Refuses (409) new targets, data or submissions, keys and users for a retired department. */
  assertActive(department: DepartmentEntity): void {
    if (department.retiredAt === null || department.retiredAt === undefined) return;
    const day = new Date(department.retiredAt).toISOString().slice(0, 10);
    throw ApiError.conflict(
      localized(
        `${named(department)}已于 ${day} 撤销，不再接受新的填报：如需继续使用，请管理员先恢复该部门`,
        `department "${department.code}" was retired on ${day} and takes no new data; an admin may reinstate it`,
      ),
    );
  }

  /** Renames, moves to another region or parent: only what changes is written and audited. A retired one: 409. */
  async update(
    code: string,
    dto: { name?: string; region?: string; parentCode?: string | null },
    principal: Principal,
  ): Promise<DepartmentDto> {
    return this.departments.manager.transaction(async (manager) => {
      const repository = manager.getRepository(DepartmentEntity);
      const department = await repository.findOneBy({ code });
      if (!department) throw ApiError.notFound(localized(`部门“${code}”`, `department "${code}"`));
      if (department.retiredAt) {
        throw ApiError.conflict(
          localized(
            `${named(department)}已撤销，不能修改：请先恢复（POST /departments/${code}/reinstate）`,
            `department "${code}" is retired and cannot be changed; reinstate it first`,
          ),
        );
      }
      if (dto.parentCode !== undefined && dto.parentCode !== null && dto.parentCode !== department.parentCode) {
        await this.assertParent(dto.parentCode, code, manager);
      }
      const changes = changesOf(department, dto);
      if (Object.keys(changes).length === 0) return toDepartmentDto(department);
      const patch: Partial<DepartmentEntity> = { updatedAt: new Date() };
      for (const [field, change] of Object.entries(changes) as Array<[Editable, { to: string | null }]>) {
        (patch as Record<string, unknown>)[field] = change.to;
      }
      await repository.update({ code }, patch);
      const updated = Object.assign(department, patch);
      await this.audit.record(principal, updatedEntry(updated, changes), manager);
      return toDepartmentDto(updated);
    });
  }

  /** 撤销: kept for history and marked in lists; takes no new targets, data or submissions. */
  async retire(code: string, reason: string, principal: Principal): Promise<DepartmentDto> {
    return this.departments.manager.transaction(async (manager) => {
      const repository = manager.getRepository(DepartmentEntity);
      const department = await repository.findOneBy({ code });
      if (!department) throw ApiError.notFound(localized(`部门“${code}”`, `department "${code}"`));
      if (department.retiredAt) {
        throw ApiError.conflict(localized(`${named(department)}已经撤销`, `department "${code}" is retired already`));
      }
      const now = new Date();
      const patch = { retiredAt: now, retiredReason: reason, updatedAt: now };
      await repository.update({ code }, patch);
      const retired = Object.assign(department, patch);
      await this.audit.record(
        principal,
        {
          action: 'department.retired',
          entityType: 'department',
          entityId: code,
          departmentCode: code,
          reason,
          details: { name: department.name },
        },
        manager,
      );
      return toDepartmentDto(retired);
    });
  }

  /** Undoes a retirement (恢复): the department takes data again. */
  async reinstate(code: string, reason: string, principal: Principal): Promise<DepartmentDto> {
    return this.departments.manager.transaction(async (manager) => {
      const repository = manager.getRepository(DepartmentEntity);
      const department = await repository.findOneBy({ code });
      if (!department) throw ApiError.notFound(localized(`部门“${code}”`, `department "${code}"`));
      if (!department.retiredAt) {
        throw ApiError.conflict(
          localized(`${named(department)}未撤销，无需恢复`, `department "${code}" is not retired`),
        );
      }
      const retiredAt = new Date(department.retiredAt).toISOString();
      const patch = { retiredAt: null, retiredReason: null, updatedAt: new Date() };
      await repository.update({ code }, patch);
      const reinstated = Object.assign(department, patch);
      await this.audit.record(
        principal,
        {
          action: 'department.reinstated',
          entityType: 'department',
          entityId: code,
          departmentCode: code,
          reason,
          details: { name: department.name, retiredAt },
        },
        manager,
      );
      return toDepartmentDto(reinstated);
    });
  }

  /**
   * Imports a department list (xlsx template or CSV): every row is checked first — its form, then against the stored
   * departments (a retired one cannot be changed, a parent must exist here or in the file, no cycle) — and any problem
   * refuses the whole file (422, every problem named by row and column); otherwise, in one transaction, new codes
   * are created, existing ones renamed or moved where the file differs, and each change is audited. `dryRun` checks
   * and reports without storing.
   */
  async import(buffer: Buffer, options: { dryRun: boolean }, principal: Principal): Promise<DepartmentImportResultDto> {
    const checked = await this.checkImport(buffer);
    if (options.dryRun) return checked.result;
    return this.applyImport(checked.rows, checked.skipped, principal);
  }

  /**
   * Reads and checks an uploaded list as `import` does (422 with every problem by row and column), storing nothing:
   * the rows to import and what importing them now would do (dryRun: true).
   */
  async checkImport(buffer: Buffer): Promise<CheckedImport> {
    const read = await readDepartmentImport(buffer);
    // A file or header that cannot be read stops here; row problems are gathered with those the database finds.
    if (read.problems.some((p) => p.row <= 1)) throw importRefused(read.problems);
    const stored = new Map((await this.departments.find()).map((d) => [d.code, d]));
    const plan = planImport(read.rows, stored, new Set(read.problems.map((p) => p.pointer)));
    const problems = [...read.problems, ...plan.problems].sort((a, b) => a.row - b.row);
    if (problems.length > 0) throw importRefused(problems);
    return { rows: read.rows, skipped: read.skipped, result: resultOf(plan, read.skipped, true) };
  }

  /**
   * Imports rows `checkImport` accepted: checked again against the departments stored now (someone may have retired
   * a parent meanwhile: 422 as on upload), then one transaction creates and changes them, each change audited.
   * `alongside` runs in that transaction (a job's step record; it throwing stores nothing); `beforeWrite` is called
   * once the rows are checked, before anything is written (a job's progress and its cancel).
   */
  async applyImport(
    rows: DepartmentImportRow[],
    skipped: number,
    principal: Principal,
    options: {
      beforeWrite?: () => Promise<void>;
      alongside?: (manager: EntityManager, result: DepartmentImportResultDto) => Promise<void>;
      /**
       * Told, inside the transaction, how many rows are written so far (created and changed departments, by batch of
       * INSERT_CHUNK). Not awaited: what it writes elsewhere must not wait on this transaction (SQLite has one
       * connection).
       */
      written?: (count: number) => void;
    } = {},
  ): Promise<DepartmentImportResultDto> {
    const stored = new Map((await this.departments.find()).map((d) => [d.code, d]));
    const plan = planImport(rows, stored, new Set());
    if (plan.problems.length > 0) throw importRefused(plan.problems.sort((a, b) => a.row - b.row));
    const result = resultOf(plan, skipped, false);
    await options.beforeWrite?.();
    if (result.created + result.updated === 0 && !options.alongside) return result;
    const now = new Date();
    try {
      await this.departments.manager.transaction(async (manager) => {
        await options.alongside?.(manager, result);
        const repository = manager.getRepository(DepartmentEntity);
        // Codes created meanwhile by someone else: the insert fails on the key and nothing is stored.
        const created = plan.creates.map((row) =>
          repository.create({
            code: row.code,
            name: row.name,
            region: row.region,
            parentCode: row.parentCode,
            createdAt: now,
            updatedAt: null,
            retiredAt: null,
            retiredReason: null,
          }),
        );
        for (let i = 0; i < created.length; i += INSERT_CHUNK) {
          await repository.insert(created.slice(i, i + INSERT_CHUNK));
          options.written?.(Math.min(i + INSERT_CHUNK, created.length));
        }
        for (const [i, { row, changes }] of plan.updates.entries()) {
          const patch: Partial<DepartmentEntity> = { updatedAt: now };
          for (const [field, change] of Object.entries(changes) as Array<[Editable, { to: string | null }]>) {
            (patch as Record<string, unknown>)[field] = change.to;
          }
          await repository.update({ code: row.code }, patch);
          if ((i + 1) % INSERT_CHUNK === 0 || i + 1 === plan.updates.length) {
            options.written?.(created.length + i + 1);
          }
        }
        const source = { source: 'import', rows: rows.length };
        const entries: AuditEntry[] = [
          ...created.map((entity) => createdEntry(entity, source)),
          ...plan.updates.map(({ row, changes }) =>
            updatedEntry({ code: row.code, name: row.name }, changes, { ...source, row: row.row }),
          ),
        ];
        await this.audit.recordMany(principal, entries, manager);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw ApiError.conflict(
          localized(
            '导入期间有其他人新建了同一部门代码的部门，未导入任何部门：请重新上传',
            'a department of one of these codes was created meanwhile; nothing was imported: upload again',
          ),
        );
      }
      throw error;
    }
    return result;
  }

  /** A parent must exist, not be retired, not be the department itself, and not lie below it (no cycle). */
  private async assertParent(parentCode: string, code: string, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(DepartmentEntity) : this.departments;
    const refuse = (zh: string, en: string): never => {
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, localized(`上级部门有误：${zh}`, `invalid parent: ${en}`), [
        { pointer: '/parentCode', message: localized(zh, en) },
      ]);
    };
    if (parentCode === code) refuse('上级部门不能是部门自身', 'a department cannot be its own parent');
    const parent = await repository.findOneBy({ code: parentCode });
    if (!parent) refuse(`没有部门代码为“${parentCode}”的部门`, `no department "${parentCode}"`);
    if (parent!.retiredAt) {
      refuse(`${named(parent!)}已撤销，不能作为上级部门`, `department "${parentCode}" is retired`);
    }
    // Walk up from the parent: meeting the department itself would make a cycle.
    const seen = new Set<string>([parentCode]);
    for (let up = parent!.parentCode; up !== null; ) {
      if (up === code) {
        refuse(
          `“${parentCode}”是本部门的下级部门，不能作为上级部门（会形成循环）`,
          `"${parentCode}" lies below this department (a cycle)`,
        );
      }
      if (seen.has(up)) break;
      seen.add(up);
      const next = await repository.findOne({ select: ['code', 'parentCode'], where: { code: up } });
      up = next?.parentCode ?? null;
    }
  }
}

/** An uploaded list that passed every check: its rows and what importing them would do. */
export interface CheckedImport {
  rows: DepartmentImportRow[];
  /** Empty rows and the template's example rows. */
  skipped: number;
  result: DepartmentImportResultDto;
}

function resultOf(plan: ImportPlan, skipped: number, dryRun: boolean): DepartmentImportResultDto {
  return {
    dryRun,
    created: plan.results.filter((r) => r.action === 'created').length,
    updated: plan.results.filter((r) => r.action === 'updated').length,
    unchanged: plan.results.filter((r) => r.action === 'unchanged').length,
    skipped,
    rows: plan.results,
  };
}

interface ImportPlan {
  problems: DepartmentImportProblem[];
  results: DepartmentImportRowResultDto[];
  creates: DepartmentImportRow[];
  updates: Array<{ row: DepartmentImportRow; changes: Changes }>;
}

/** What an import would do with each row, checked against the stored departments; every problem, by row. */
function planImport(
  rows: DepartmentImportRow[],
  stored: Map<string, DepartmentEntity>,
  /** Pointers of the cells whose form is wrong already: nothing more is said of them. */
  malformed: ReadonlySet<string>,
): ImportPlan {
  const problems: DepartmentImportProblem[] = [];
  const plan: ImportPlan = { problems, results: [], creates: [], updates: [] };
  const inFile = new Map(rows.map((row) => [row.code, row]));
  const problem = (row: DepartmentImportRow, field: 'code' | 'parentCode', zh: string, en: string): void => {
    if (malformed.has(toPointer('rows', row.row, field))) return;
    const column = field === 'code' ? '部门代码' : '上级部门代码';
    problems.push({
      pointer: toPointer('rows', row.row, field),
      row: row.row,
      column,
      message: localized(`第${row.row}行“${column}”：${zh}`, `row ${row.row}, ${column} (${field}): ${en}`),
    });
  };
  for (const row of rows) {
    const existing = stored.get(row.code);
    const changes = existing ? changesOf(existing, row) : {};
    if (existing?.retiredAt && Object.keys(changes).length > 0) {
      problem(
        row,
        'code',
        `${named(existing)}已撤销，不能通过导入修改（本行修改了${changedLabels(changes)}）：请先恢复该部门，或按原样填写`,
        `department "${row.code}" is retired and cannot be changed by an import`,
      );
    }
    if (row.parentCode !== null && row.parentCode !== existing?.parentCode) {
      const parent = inFile.get(row.parentCode) ?? stored.get(row.parentCode);
      if (!parent) {
        problem(
          row,
          'parentCode',
          `没有部门代码为“${row.parentCode}”的部门（系统中和本文件中都没有）：请填写上级部门的部门代码，或先导入上级部门`,
          `no department "${row.parentCode}", neither stored nor in this file`,
        );
      } else if (!inFile.has(row.parentCode) && stored.get(row.parentCode)?.retiredAt) {
        problem(
          row,
          'parentCode',
          `上级${named(stored.get(row.parentCode)!)}已撤销，不能作为上级部门`,
          `the parent "${row.parentCode}" is retired`,
        );
      }
    }
    if (!existing) {
      plan.creates.push(row);
      plan.results.push({ row: row.row, code: row.code, action: 'created' });
    } else if (Object.keys(changes).length > 0) {
      plan.updates.push({ row, changes });
      plan.results.push({ row: row.row, code: row.code, action: 'updated', changed: Object.keys(changes) });
    } else plan.results.push({ row: row.row, code: row.code, action: 'unchanged' });
  }
  // Cycles in the hierarchy as it would be: the file's parents over the stored ones.
  const parentOf = (code: string): string | null =>
    inFile.has(code) ? inFile.get(code)!.parentCode : (stored.get(code)?.parentCode ?? null);
  for (const row of rows) {
    const seen = new Set<string>([row.code]);
    for (let up = parentOf(row.code); up !== null; up = parentOf(up)) {
      if (up === row.code) {
        problem(
          row,
          'parentCode',
          `上级部门形成循环（${[...seen].join(' → ')} → ${row.code}）：部门不能是自己的下级`,
          `the parents form a cycle (${[...seen].join(' → ')} → ${row.code})`,
        );
        break;
      }
      if (seen.has(up)) break;
      seen.add(up);
    }
  }
  return plan;
}

const FIELD_LABELS: Record<Editable, string> = { name: '部门名称', region: '地区', parentCode: '上级部门代码' };
const changedLabels = (changes: Changes): string =>
  (Object.keys(changes) as Editable[]).map((f) => FIELD_LABELS[f]).join('、');

/** The fields of `to` that differ from the department (a field `to` omits is unchanged). */
function changesOf(
  department: DepartmentEntity,
  to: { name?: string; region?: string; parentCode?: string | null },
): Changes {
  const changes: Changes = {};
  for (const field of EDITABLE) {
    const next = to[field];
    if (next === undefined) continue;
    const current = department[field] ?? null;
    if ((next ?? null) !== current) changes[field] = { from: current, to: next ?? null };
  }
  return changes;
}

function importRefused(problems: DepartmentImportProblem[]): ApiError {
  const rows = [...new Set(problems.map((p) => p.row).filter((row) => row > 0))];
  const shown = rows.slice(0, 20).join('、') + (rows.length > 20 ? ` 等${rows.length}行` : '');
  const details: ErrorDetail[] = problems.map((p) => ({
    pointer: p.pointer,
    message: p.message,
    ...(p.cell ? { path: p.cell } : p.row > 0 ? { path: `第${p.row}行${p.column ? `“${p.column}”` : ''}` } : {}),
  }));
  return new ApiError(
    ApiErrorCode.VALIDATION_FAILED,
    rows.length > 0
      ? localized(
          `部门名单有 ${problems.length} 处错误（第 ${shown} 行），未导入任何部门：请改正后重新上传`,
          `the department list has ${problems.length} problem(s) (rows ${rows.slice(0, 20).join(', ')}${rows.length > 20 ? ', …' : ''}); nothing was imported`,
        )
      : localized(
          `无法导入部门名单：${problems.map((p) => p.message.zh).join('；')}`,
          `the department list cannot be imported: ${problems.map((p) => p.message.en).join('; ')}`,
        ),
    details,
  );
}

function createdEntry(entity: DepartmentEntity, extra: Record<string, unknown> = {}): AuditEntry {
  return {
    action: 'department.created',
    entityType: 'department',
    entityId: entity.code,
    departmentCode: entity.code,
    details: { name: entity.name, region: entity.region, parentCode: entity.parentCode, ...extra },
  };
}

function updatedEntry(
  department: Pick<DepartmentEntity, 'code' | 'name'>,
  changes: Changes,
  extra: Record<string, unknown> = {},
): AuditEntry {
  return {
    action: 'department.updated',
    entityType: 'department',
    entityId: department.code,
    departmentCode: department.code,
    details: { name: department.name, changes, ...extra },
  };
}

export function toDepartmentDto(entity: DepartmentEntity): DepartmentDto {
  const iso = (date: Date | null | undefined): string | null => (date ? new Date(date).toISOString() : null);
  const retired = Boolean(entity.retiredAt);
  return {
    code: entity.code,
    name: entity.name,
    region: entity.region,
    parentCode: entity.parentCode ?? null,
    status: retired ? 'retired' : 'active',
    statusLabel: retired ? '已撤销' : '在用',
    createdAt: new Date(entity.createdAt).toISOString(),
    updatedAt: iso(entity.updatedAt),
    retiredAt: iso(entity.retiredAt),
    retiredReason: entity.retiredReason ?? null,
  };
}
