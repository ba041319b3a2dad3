import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MAX_ADJUSTMENT_REASON } from '@jiping/scoring';

/** One override of a judgment-based value, with its reason. */
export class AdjustmentDto {
  @ApiProperty({
    example: '/inputs/budgetPreparation/preAssessment',
    description:
      'a JSON pointer into the submission as the engine reads it: a checklist point /inputs/<checklist>/<point>, a ' +
      'judgment /inputs/<judgment> (or …/score, …/tier), a boolean input /inputs/<input>, a qualitative target’s ' +
      '/targetResults/<code>/tier or …/score, a quantitative target’s /targetResults/<code>/ruling. Figures (money, ' +
      'percentages, counts, actual values) and declared targets are not adjustable.',
  })
  @IsString()
  @Length(1, 300)
  pointer!: string;

  @ApiProperty({
    example: true,
    description:
      'the value to set: true/false, a decimal string score ("1.4"), a tier code, "met"/"unmet", or a judgment',
  })
  @IsDefined({ message: 'value is required: true/false, a decimal string, a tier code, "met" or "unmet", …' })
  value!: unknown;

  @ApiProperty({
    example: '复核：2021年部门预算已按规定开展事前绩效评估，佐证材料见预算评审意见',
    description: '复核理由, mandatory',
  })
  @IsString()
  @Matches(/\S/, { message: 'a reason (复核理由) is required' })
  @MaxLength(MAX_ADJUSTMENT_REASON)
  reason!: string;
}

/** The adjustments (复核) to score an evaluation with. */
export class AdjustEvaluationDto {
  @ApiProperty({
    type: [AdjustmentDto],
    example: [
      {
        pointer: '/inputs/budgetPreparation/preAssessment',
        value: true,
        reason: '复核：2021年部门预算已按规定开展事前绩效评估，佐证材料见预算评审意见',
      },
      {
        pointer: '/inputs/resultApplication',
        value: { score: '1.4', tier: 'partial', reason: '整改措施部分落实' },
        reason: '绩效结果应用整改未全部落实，评为部分达成',
      },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AdjustmentDto)
  adjustments!: AdjustmentDto[];
}
