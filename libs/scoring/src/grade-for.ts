import type { GradeSpec } from '@jiping/rules';
import type { D } from './decimal';

/** The first grade (highest first) whose inclusive lower bound the total reaches; the lowest grade otherwise. */
export function gradeFor(total: D, grades: readonly GradeSpec[]): GradeSpec {
  return grades.find((grade) => total.gte(grade.min)) ?? grades[grades.length - 1];
}
