import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RuleSetEntity } from '@jiping/persistence';
import { localized, parseRuleFileText, type RuleSet, toRuleSet } from '@jiping/rules';
import { compileRuleSet, type CompiledRuleSet } from '@jiping/scoring';
import { type FindOptionsWhere, Repository } from 'typeorm';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { parseRuleSetRef } from './rule-set-ref';

/** Rule sets kept parsed and validated, by checksum. */
export const CACHE_LIMIT = 64;

/**
 * Finds stored rule-set versions and turns them into validated, compiled rule sets (cached by checksum: a stored
 * version never changes once published, and a draft's checksum changes with its content).
 *
 * The rule file (`content`, some 50 kB) is read only when it is needed: the rows the find methods return have it
 * when the rule set of their checksum is not cached yet (toRuleSet and compiled then parse it once), or when asked
 * for with `withContent`; otherwise `content` is left undefined, and toRuleSet and compiled answer from the cache.
 *
 * The cache keeps the {@link CACHE_LIMIT} rule sets used last (every uploaded draft has its own checksum). A row
 * read without its file keeps its rule set for as long as the row itself is in use, so a rule set leaving the cache
 * meanwhile never leaves such a row unscorable.
 */
@Injectable()
export class RuleSetLoader {
  /** By checksum, least recently used first. */
  private readonly ruleSets = new Map<string, RuleSet>();
  /** The rule set of each row read without its file. */
  private readonly ofRow = new WeakMap<RuleSetEntity, RuleSet>();
  /** Every column of rule_set but the rule file. */
  private readonly columnsWithoutFile: (keyof RuleSetEntity)[];

  constructor(@InjectRepository(RuleSetEntity) private readonly rows: Repository<RuleSetEntity>) {
    this.columnsWithoutFile = rows.metadata.columns
      .map((column) => column.propertyName as keyof RuleSetEntity)
      .filter((name) => name !== 'content');
  }

  /**
   * A version by reference (`id:year:n` or `id:year:published`); drafts only when `includeDrafts`. With
   * `withContent`, the row always has its rule file (for callers that return the file itself).
   */
  async findByRef(
    ref: string,
    options: { includeDrafts: boolean; pointer?: string; withContent?: boolean },
  ): Promise<RuleSetEntity> {
    const { ruleSetId, fiscalYear, versionNo } = parseRuleSetRef(ref, options.pointer);
    const where: FindOptionsWhere<RuleSetEntity> =
      versionNo === 'published' ? { ruleSetId, fiscalYear, status: 'published' } : { ruleSetId, fiscalYear, versionNo };
    const row = options.withContent ? await this.rows.findOneBy(where) : await this.findOne(where);
    if (!row || (row.status === 'draft' && !options.includeDrafts))
      throw ApiError.notFound(localized(`规则集“${ref}”`, `rule set "${ref}"`));
    return row;
  }

  /** Every rule set published for a fiscal year (one per rule-set id), none when nothing is published. */
  findAllPublishedForYear(fiscalYear: number): Promise<RuleSetEntity[]> {
    return this.findAll({ fiscalYear, status: 'published' });
  }

  /** The published rule set in force for a fiscal year (one per rule-set id; name the id when there are several). */
  async findPublishedForYear(fiscalYear: number, ruleSetId?: string): Promise<RuleSetEntity> {
    const rows = await this.findAll({ fiscalYear, status: 'published', ...(ruleSetId ? { ruleSetId } : {}) });
    if (rows.length === 0) {
      throw new ApiError(
        ApiErrorCode.PRECONDITION_MISSING,
        localized(
          `${fiscalYear}年度还没有已发布的规则集${ruleSetId ? `“${ruleSetId}”` : ''}：请管理员先发布`,
          `no published rule set for ${fiscalYear}${ruleSetId ? ` with id "${ruleSetId}"` : ''}: an admin must publish one first`,
        ),
      );
    }
    if (rows.length > 1) {
      throw new ApiError(
        ApiErrorCode.RULE_SET_AMBIGUOUS,
        localized(
          `${fiscalYear}年度有多个已发布的规则集，请写明用哪一个`,
          `several rule sets are published for ${fiscalYear}; name one`,
        ),
        [
          {
            pointer: '/ruleSetId',
            message: localized(
              `应为以下之一：${rows.map((r) => r.ruleSetId).join('、')}`,
              `one of ${rows.map((r) => r.ruleSetId).join(', ')}`,
            ),
          },
        ],
      );
    }
    return rows[0];
  }

  /** The stored version an evaluation was scored with; a missing row or a changed checksum is an internal error. */
  async findPinned(evaluation: { id: string; ruleSetRowId: string; ruleSetChecksum: string }): Promise<RuleSetEntity> {
    const row = await this.findById(evaluation.ruleSetRowId);
    if (!row || row.checksum !== evaluation.ruleSetChecksum) {
      throw new ApiError(
        ApiErrorCode.INTERNAL,
        `evaluation ${evaluation.id} was scored with rule-set row ${evaluation.ruleSetRowId} ` +
          `(checksum ${evaluation.ruleSetChecksum}), which is missing or changed`,
      );
    }
    return row;
  }

  /** A stored version by its row id, whatever its status; null when there is no such row. */
  findById(id: string): Promise<RuleSetEntity | null> {
    return this.findOne({ id });
  }

  /** The validated RuleSet of a stored version. */
  toRuleSet(row: RuleSetEntity): RuleSet {
    const cached = this.ofRow.get(row) ?? this.cached(row.checksum);
    if (cached) return cached;
    if (row.content === undefined) {
      throw new ApiError(ApiErrorCode.INTERNAL, `stored rule set ${row.id} was read without its rule file`);
    }
    const ruleSet = toRuleSet(parseRuleFileText(row.content));
    if (ruleSet.checksum !== row.checksum) {
      throw new ApiError(ApiErrorCode.INTERNAL, `stored rule set ${row.id} does not match its checksum`);
    }
    if (this.ruleSets.size >= CACHE_LIMIT) this.ruleSets.delete(this.ruleSets.keys().next().value!);
    this.ruleSets.set(row.checksum, ruleSet);
    return ruleSet;
  }

  /** Rule sets in the cache now (at most {@link CACHE_LIMIT}). */
  get cachedCount(): number {
    return this.ruleSets.size;
  }

  /** The compiled rule set, ready to score (compileRuleSet caches it by checksum). */
  compiled(row: RuleSetEntity): CompiledRuleSet {
    return compileRuleSet(this.toRuleSet(row));
  }

  /**
   * One row, first without its rule file; read again whole when its checksum's rule set is not cached yet (a draft
   * replaced meanwhile is then read as it is now: its new checksum, with the file of that checksum).
   */
  private async findOne(where: FindOptionsWhere<RuleSetEntity>): Promise<RuleSetEntity | null> {
    const row = await this.rows.findOne({ select: this.columnsWithoutFile, where });
    return !row || this.keepFor([row]) ? row : this.rows.findOneBy(where);
  }

  /** The rows of a query, as findOne reads one: whole only when a rule set among them is not cached yet. */
  private async findAll(where: FindOptionsWhere<RuleSetEntity>): Promise<RuleSetEntity[]> {
    const rows = await this.rows.find({ select: this.columnsWithoutFile, where });
    return this.keepFor(rows) ? rows : this.rows.findBy(where);
  }

  /** Ties each row read without its file to its cached rule set; false when one of them is not cached. */
  private keepFor(rows: RuleSetEntity[]): boolean {
    const ruleSets = rows.map((row) => this.cached(row.checksum));
    if (ruleSets.some((ruleSet) => ruleSet === undefined)) return false;
    rows.forEach((row, i) => this.ofRow.set(row, ruleSets[i]!));
    return true;
  }

  /** The cached rule set of a checksum, now the most recently used. */
  private cached(checksum: string): RuleSet | undefined {
    const ruleSet = this.ruleSets.get(checksum);
    if (ruleSet) {
      this.ruleSets.delete(checksum);
      this.ruleSets.set(checksum, ruleSet);
    }
    return ruleSet;
  }
}
