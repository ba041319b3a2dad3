export * from './score-with-adjustments';
