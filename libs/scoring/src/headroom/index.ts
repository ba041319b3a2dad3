export { computeHeadroom } from './compute-headroom';
export * from './headroom.types';
