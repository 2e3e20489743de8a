export * from './graphql-client';
export * from './ports';
export * from './postgres';
