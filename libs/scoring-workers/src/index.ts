export * from './protocol';
export * from './scoring-pool';
