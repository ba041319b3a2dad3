import { ApiProperty } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: '/indicators/0/children/3/children/2/method/bands/1/when', description: 'JSON pointer' })
  pointer!: string;
  @ApiProperty({
    example: '指标值为 80%（含）-82%（区间 [80, 82)）时没有对应的档次：档次之间有空缺',
    description: 'Chinese unless the request says Accept-Language: en',
  })
  message!: string;
  @ApiProperty({
    required: false,
    example: '管理效能 › 资产管理 › 固定资产利用率',
    description: 'where users know it: the indicator’s Chinese path, 填报项「…」, or the sheet and cell (年终数据!C12)',
  })
  path?: string;
}

/** The one error body of the API. */
export class ErrorBodyDto {
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'INVALID_SUBMISSION' }) code!: string;
  @ApiProperty({ example: 'the submission does not fit rule set guangzhou-department-overall@2021.1.0: 1 problem(s)' })
  message!: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details!: ErrorDetailDto[];
}
