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

/** The one error body of the API: application/problem+json (RFC 9457) with the API's own fields as extensions. */
export class ErrorBodyDto {
  @ApiProperty({ example: 'urn:jiping:problem:invalid-submission', description: 'the code as a URN' }) type!: string;
  @ApiProperty({ example: '填报数据与规则集不符', description: 'the same for every error of this code' })
  title!: string;
  @ApiProperty({ example: 422 }) status!: number;
  @ApiProperty({ example: '填报数据不符合规则集 guangzhou-department-overall@2021.1.0：1 个问题' }) detail!: string;
  @ApiProperty({ example: '/departments/gz-kjj/years/2021/submissions', description: 'the path asked' })
  instance!: string;
  @ApiProperty({ example: '3da91a2e-601a-491f-8890-49d78c2c175d', description: 'also in X-Request-Id and the logs' })
  requestId!: string;
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'INVALID_SUBMISSION' }) code!: string;
  @ApiProperty({ example: 'the submission does not fit rule set guangzhou-department-overall@2021.1.0: 1 problem(s)' })
  message!: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details!: ErrorDetailDto[];
}
