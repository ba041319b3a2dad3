export * from './export-rule-workbook';
export * from './import-rule-workbook';
export * from './preview-rule-workbook';
export * from './rule-workbook-layout';
