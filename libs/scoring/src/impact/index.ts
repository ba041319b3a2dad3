export * from './impact-scoring';
export * from './impact-summary';
