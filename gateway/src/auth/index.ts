export * from './gateway-auth';
