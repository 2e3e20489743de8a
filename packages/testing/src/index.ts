export * from './graphql-client';
export * from './ports';
export * from './postgres';
export * from './stack';
export * from './subgraph-on-postgres';
export * from './kafka-mock-cluster';
