import { ApiProperty } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: '/inputs/procurementActual' }) pointer!: string;
  @ApiProperty({ example: '实际采购金额合计数（万元） is a decimal string such as "1388.29", not a JSON number' })
  message!: string;
}

/** The one error body of the API. */
export class ErrorBodyDto {
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'INVALID_SUBMISSION' }) code!: string;
  @ApiProperty({ example: 'the submission does not fit rule set guangzhou-department-overall@2021.1.0: 1 problem(s)' })
  message!: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details!: ErrorDetailDto[];
}
