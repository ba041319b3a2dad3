/** 评分结果 (department journey 4). */
export const resultsZh = {
  toYear: '返回本年度工作',
  reviewTitle: '复核情况',
  notReviewed: '绩效处未作复核调整：总分即自评分。',
  selfScore: '自评分',
  reviewScore: '复核分',
  grade: '等次',
  readOnly: '复核由绩效处作出，本页只读。',
  columns: { indicator: '指标', self: '自评分', reviewed: '复核分', reason: '复核理由', by: '复核人与时间' },
};
