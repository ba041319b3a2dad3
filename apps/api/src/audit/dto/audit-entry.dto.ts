import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from '../audit.service';

/** One line of the audit log. */
export class AuditEntryDto {
  @ApiProperty({ example: '019a6f0e-5c2b-7003-9f1d-3c4b5a697887', description: 'time-ordered (UUID version 7)' })
  id!: string;

  @ApiProperty({ example: '2022-04-08T02:15:30.412Z', description: 'ISO timestamp, to the millisecond' })
  at!: string;

  @ApiProperty({ example: '王立新', description: 'the name of the person who acted' }) actor!: string;

  @ApiProperty({
    example: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    description: 'the API key they used; "oidc" for single sign-on, "bootstrap" for the service at start',
  })
  actorKeyId!: string;

  @ApiProperty({
    example: '3f2c7a0e-6b1d-4f7e-9a53-0d2f9b6e4c11',
    nullable: true,
    type: String,
    description: 'the user (GET /users/{id}); null for the service itself and for entries older than users',
  })
  actorUserId!: string | null;

  @ApiProperty({ example: 'evaluator', enum: ['admin', 'evaluator', 'department'] }) actorRole!: string;

  @ApiProperty({ example: 'evaluation.adjusted', enum: AUDIT_ACTIONS }) action!: string;

  @ApiProperty({ example: 'evaluation', enum: AUDIT_ENTITY_TYPES }) entityType!: string;

  @ApiProperty({
    example: '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11',
    description:
      'how the API names the entity: a rule-set ref (guangzhou-department-overall:2021:1), ' +
      '<department>:<year>:<revision> for targets and submissions (gz-kjj:2021:1), an evaluation or API key id',
  })
  entityId!: string;

  @ApiProperty({ example: 'gz-kjj', nullable: true, type: String }) departmentCode!: string | null;

  @ApiProperty({ example: 2021, nullable: true, type: Number }) fiscalYear!: number | null;

  @ApiProperty({
    example: '复核：2021年部门预算已按规定开展事前绩效评估，佐证材料见预算评审意见',
    nullable: true,
    type: String,
    description: 'why: the reasons of an adjustment (复核理由), joined by "；"',
  })
  reason!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      adjustedFrom: '0d6b8f4e-2c1a-4e7b-9f3d-5a2c1b0e9d87',
      sequence: 2,
      pointers: ['/inputs/budgetPreparation/preAssessment'],
      totalBefore: '94.622',
      total: '95.622',
      grade: '优',
    },
    description: 'a small object describing the action (revision, ref, total…); never a key',
  })
  details!: Record<string, unknown>;
}
