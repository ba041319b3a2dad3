import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { JobImpactRowEntity } from '@jiping/persistence';
import type { ImpactRow } from '@jiping/scoring';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import { IMPACT_ROWS_DEFAULT_LIMIT, type ImpactRowPageDto, type ImpactRowsQueryDto } from './dto/impact-rows.dto';

/** Rows written per INSERT while a job runs. */
const BATCH = 500;

/** A total has at most 10 decimals (SCORE_COLUMN): the change × 10¹⁰ is an exact integer to sort by. */
const ORDER_SCALE = new Decimal(10).pow(10);

interface Detail {
  beforeVetoes?: string[];
  afterVetoes?: string[];
  notApplicable?: string[];
  assumed?: string[];
}

function toEntity(jobId: string, row: ImpactRow): JobImpactRowEntity {
  const detail: Detail = {
    ...(row.before.vetoes && { beforeVetoes: row.before.vetoes }),
    ...(row.after.vetoes && { afterVetoes: row.after.vetoes }),
    ...(row.after.notApplicable && { notApplicable: row.after.notApplicable }),
    ...(row.assumed && { assumed: row.assumed }),
  };
  return {
    jobId,
    departmentCode: row.department.code,
    departmentName: row.department.name,
    beforeTotal: row.before.total,
    beforeGrade: row.before.grade,
    afterTotal: row.after.total,
    afterGrade: row.after.grade,
    delta: row.delta,
    deltaOrder: new Decimal(row.delta).mul(ORDER_SCALE).toDecimalPlaces(0, Decimal.ROUND_UP).toFixed(),
    detail: Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
  };
}

/** A stored line back as the streaming impact's row (without `type`). */
export function toImpactRow(entity: JobImpactRowEntity): ImpactRow {
  const detail: Detail = entity.detail ? (JSON.parse(entity.detail) as Detail) : {};
  return {
    department: { code: entity.departmentCode, name: entity.departmentName },
    before: {
      total: entity.beforeTotal,
      grade: entity.beforeGrade,
      ...(detail.beforeVetoes && { vetoes: detail.beforeVetoes }),
    },
    after: {
      total: entity.afterTotal,
      grade: entity.afterGrade,
      ...(detail.afterVetoes && { vetoes: detail.afterVetoes }),
      ...(detail.notApplicable && { notApplicable: detail.notApplicable }),
    },
    delta: entity.delta,
    ...(detail.assumed && { assumed: detail.assumed }),
  };
}

/** Where a running impact job puts its rows: buffered, written BATCH at a time. */
export interface ImpactRowSink {
  add(row: ImpactRow): Promise<void>;
  /** Writes what is buffered. */
  flush(): Promise<void>;
}

/**
 * An impact job's per-department rows (job_impact_row): written while the job runs, read a page at a time — sorted
 * by the change (the biggest movers), filtered by direction or grade transition — or all at once for the workbook.
 */
@Injectable()
export class ImpactJobRows {
  constructor(@InjectRepository(JobImpactRowEntity) private readonly rows: Repository<JobImpactRowEntity>) {}

  /** Drops a job's rows (a run starting again, or one that did not finish). */
  async clear(jobId: string): Promise<void> {
    await this.rows.delete({ jobId });
  }

  sink(jobId: string): ImpactRowSink {
    const buffer: JobImpactRowEntity[] = [];
    const flush = async (): Promise<void> => {
      while (buffer.length > 0) await this.rows.insert(buffer.splice(0, BATCH));
    };
    return {
      add: async (row) => {
        buffer.push(toEntity(jobId, row));
        if (buffer.length >= BATCH) await flush();
      },
      flush,
    };
  }

  async page(jobId: string, query: ImpactRowsQueryDto): Promise<ImpactRowPageDto> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? IMPACT_ROWS_DEFAULT_LIMIT;
    const builder = this.rows.createQueryBuilder('r').where('r.jobId = :jobId', { jobId });
    if (query.move === 'up') builder.andWhere('r.deltaOrder > 0');
    else if (query.move === 'down') builder.andWhere('r.deltaOrder < 0');
    else if (query.move === 'changed') builder.andWhere('r.deltaOrder <> 0');
    else if (query.move === 'unchanged') builder.andWhere('r.deltaOrder = 0');
    if (query.before !== undefined) builder.andWhere('r.beforeGrade = :before', { before: query.before });
    if (query.after !== undefined) builder.andWhere('r.afterGrade = :after', { after: query.after });
    const [entities, total] = await sorted(builder, query.sort ?? 'code')
      .offset(offset)
      .limit(limit)
      .getManyAndCount();
    return {
      items: entities.map(toImpactRow),
      total,
      offset,
      limit,
      next: offset + entities.length < total ? offset + entities.length : null,
    };
  }

  /** Every row of a job, by department code (for the workbook). */
  async all(jobId: string): Promise<ImpactRow[]> {
    const entities = await this.rows.find({ where: { jobId }, order: { departmentCode: 'ASC' } });
    return entities.map(toImpactRow);
  }
}

function sorted(
  builder: SelectQueryBuilder<JobImpactRowEntity>,
  sort: 'delta' | '-delta' | 'code',
): SelectQueryBuilder<JobImpactRowEntity> {
  if (sort === 'delta') builder.orderBy('r.deltaOrder', 'ASC');
  else if (sort === '-delta') builder.orderBy('r.deltaOrder', 'DESC');
  else return builder.orderBy('r.departmentCode', 'ASC');
  return builder.addOrderBy('r.departmentCode', 'ASC');
}
