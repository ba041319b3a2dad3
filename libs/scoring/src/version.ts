/** The engine version written into every ScoreReport; kept equal to package.json's version (a test checks it). */
export const ENGINE_VERSION = '0.1.0';
