export * from './access-rules';
export * from './field-access';
export * from './internal-context';
export * from './purpose';
export * from './subgraph-security';
export * from './access-token';
