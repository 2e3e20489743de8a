export * from './hardening';
export * from './hardening-env';
export * from './operation-limits';
export * from './persisted-queries';
export * from './rate-limit';
export * from './redis-rate-limit';
export * from './request-guard';
export * from './subscriptions';
