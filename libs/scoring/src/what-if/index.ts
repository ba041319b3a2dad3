export * from './apply-changes';
export * from './compare-reports';
