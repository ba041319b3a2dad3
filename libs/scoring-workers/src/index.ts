export * from './protocol';
export * from './scoring-pool';
export * from './inline-rule-sets';
export * from './inline-rules-protocol';
export * from './as-validation-pipe-leaves-it';
