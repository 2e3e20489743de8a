export * from './health';
export * from './metrics';
