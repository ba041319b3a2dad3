/**
 * @jiping/reports — spreadsheets in the bureau's own layout (exceljs). Pure: no NestJS, no database, no file system;
 * every function takes plain data (a ScoreReport, a rule file) and returns bytes or text.
 */
export * from './score-table';
export * from './summary-table';
export * from './impact-workbook';
export * from './template';
export * from './template-layout';
export * from './import-submission-workbook';
export * from './import-zip-guard';
export * from './rule-set-workbook';
export * from './rule-set-standard';
export * from './score-table-review';
export * from './department-import';
export * from './rule-workbook';
export * from './template-fill';
export * from './declared-targets-check';
