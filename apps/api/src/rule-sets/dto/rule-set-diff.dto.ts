import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RuleSetChangeKind } from '@jiping/rules';
import { IsNotEmpty, IsString } from 'class-validator';

/** Every kind of change, checked against the union at compile time so the enum cannot drift. */
const KINDS: Record<RuleSetChangeKind, true> = {
  'metadata-changed': true,
  'rounding-changed': true,
  'grade-changed': true,
  'input-added': true,
  'input-removed': true,
  'input-changed': true,
  'indicator-added': true,
  'indicator-removed': true,
  'indicator-renamed': true,
  'indicator-moved': true,
  'weight-changed': true,
  'method-changed': true,
  'parameter-changed': true,
  'formula-changed': true,
  'band-changed': true,
  'condition-changed': true,
  'declared-changed': true,
  'explanation-changed': true,
  'basis-changed': true,
  'not-applicable-changed': true,
  'veto-added': true,
  'veto-removed': true,
  'veto-changed': true,
};
const CHANGE_KINDS = Object.keys(KINDS) as RuleSetChangeKind[];

export class RuleSetDiffQueryDto {
  @ApiProperty({
    example: 'guangzhou-department-overall:2021:1',
    description: 'the version to compare with (the "from" side): <rule-set id>:<fiscal year>:<version no | published>',
  })
  @IsString()
  @IsNotEmpty()
  against!: string;
}

export class RuleSetIdentityDto {
  @ApiProperty({ example: 'guangzhou-department-overall' }) id!: string;
  @ApiProperty({ example: '2021.1.0' }) version!: string;
  @ApiProperty({ example: '097ff09e291dce632830f25867aa92afb30970e13d3bfaac5002a99afa9ab3d3' }) checksum!: string;
}

export class RuleSetChangeDto {
  @ApiProperty({ enum: CHANGE_KINDS, example: 'band-changed' }) kind!: RuleSetChangeKind;

  @ApiPropertyOptional({ example: 'fixed-asset-utilization', description: 'indicator code, input id or grade code' })
  code?: string;

  @ApiProperty({
    example: '/indicators/0/children/3/children/2/method/bands/0',
    description: 'JSON pointer into the "to" file (into the "from" file for removals)',
  })
  pointer!: string;

  @ApiPropertyOptional({
    example: '管理效能 › 资产管理 › 固定资产利用率',
    description:
      'what the change is about, as the bureau names it: an indicator’s Chinese path, 填报项「…」, 等次「…」',
  })
  path?: string;

  @ApiPropertyOptional({ example: '90%（含）-95% 得2分；85%（含）-90% 得1.5分' }) before?: string;
  @ApiPropertyOptional({ example: '85%（含）-95% 得分值的75%（1.5分）' }) after?: string;

  @ApiProperty({
    example:
      '管理效能 › 资产管理 › 固定资产利用率：85%（含）-95% 得分值的75%（1.5分）（原 90%（含）-95% 得2分；85%（含）-90% 得1.5分）',
    description: 'one sentence of a 修订说明; Chinese, or English with Accept-Language: en',
  })
  message!: string;
}

/** What changed from `against` (from) to the version in the path (to). */
export class RuleSetDiffDto {
  @ApiProperty({ example: 'guangzhou-department-overall:2021:1', description: 'the version compared with (against)' })
  fromRef!: string;

  @ApiProperty({ example: 'guangzhou-department-overall:2021:2', description: 'the version in the path' })
  toRef!: string;

  @ApiProperty({ type: RuleSetIdentityDto }) from!: RuleSetIdentityDto;
  @ApiProperty({
    type: RuleSetIdentityDto,
    example: {
      id: 'guangzhou-department-overall',
      version: '2021.1.0',
      checksum: 'f0c0627781fd1785ecfc89210fc2e605cbf1cb1e81902138623be523bb9ae208',
    },
  })
  to!: RuleSetIdentityDto;

  @ApiProperty({ type: [RuleSetChangeDto] }) changes!: RuleSetChangeDto[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { 'band-changed': 2 },
    description: 'how many changes of each kind',
  })
  summary!: Partial<Record<RuleSetChangeKind, number>>;
}
