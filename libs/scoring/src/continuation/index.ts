export * from './continue-submission';
export * from './score-continued';
