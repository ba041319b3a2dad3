import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobItemEntity } from '@jiping/persistence';
import type { DepartmentImportRow } from '@jiping/reports';
import { Repository } from 'typeorm';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { DepartmentsService } from '../departments/departments.service';
import type { DepartmentImportResultDto } from '../departments/dto/department.dto';
import { readSteps, recordStep, StepAlreadyDone } from './job-items';
import type { JobProgress } from './jobs.service';

/** What a department-import job was asked (its params, shown): the file and what the check found it would do. */
export interface DepartmentImportJobParams {
  fileName: string | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

/** What it keeps unshown (the job's input): the checked rows. */
export interface DepartmentImportJobInput {
  rows: DepartmentImportRow[];
  skipped: number;
}

const APPLY = 'apply';

/**
 * A department list imported as a job: the upload is read and every row checked when the job is created (422, by
 * row and column, and no job, when one fails), its rows stored with the job; the job checks them again against the
 * departments stored then and applies them in one transaction, which also records the job's one step: a run taken
 * over after its instance died finds the step and ends with the result of the run that applied it.
 */
@Injectable()
export class DepartmentImportJobService {
  constructor(
    @InjectRepository(JobItemEntity) private readonly items: Repository<JobItemEntity>,
    private readonly departments: DepartmentsService,
  ) {}

  /** Reads and checks the upload now, as the synchronous import does: 422 with every problem, nothing stored. */
  async check(
    buffer: Buffer,
    fileName: string | null,
  ): Promise<{ params: DepartmentImportJobParams; input: DepartmentImportJobInput }> {
    const checked = await this.departments.checkImport(buffer);
    const { created, updated, unchanged, skipped } = checked.result;
    return {
      params: { fileName, rows: checked.rows.length, created, updated, unchanged, skipped },
      input: { rows: checked.rows, skipped: checked.skipped },
    };
  }

  async run(
    jobId: string,
    input: DepartmentImportJobInput,
    actor: Principal,
    progress: JobProgress,
  ): Promise<DepartmentImportResultDto | undefined> {
    const total = input.rows.length;
    const earlier = (await readSteps<DepartmentImportResultDto>(this.items, jobId)).get(APPLY);
    if (earlier) return earlier;
    if (await progress(0, total, 0)) return undefined;
    // Two phases: every row checked again (prepared), then the rows written. Reports are made one after the other,
    // those from inside the import's transaction without waiting on them (on SQLite they are written once it ends).
    let reports = Promise.resolve(false);
    const report = (written: number, checked: number): Promise<boolean> =>
      (reports = reports.then(() => progress(written, total, checked)));
    let cancelled = false;
    try {
      const result = await this.departments.applyImport(input.rows, input.skipped, actor, {
        // checked again: the last moment to stop before anything is written
        beforeWrite: async () => {
          cancelled = await report(0, total);
          if (cancelled) throw new Cancelled();
        },
        written: (count) => void report(Math.min(count, total - 1), total).catch(() => undefined),
        alongside: (manager, result) => recordStep(manager, jobId, APPLY, 0, result),
      });
      await reports;
      await progress(total, total, total);
      return result;
    } catch (error) {
      if (error instanceof Cancelled) return undefined;
      // applied by another run meanwhile (its step is there): that run's result
      if (error instanceof StepAlreadyDone || (error instanceof ApiError && error.code === 'CONFLICT')) {
        const applied = (await readSteps<DepartmentImportResultDto>(this.items, jobId)).get(APPLY);
        if (applied) return applied;
      }
      throw error;
    }
  }
}

class Cancelled extends Error {}
