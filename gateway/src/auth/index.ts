export * from './auth-env';
export * from './bearer-token';
export * from './gateway-auth';
export * from './principal';
export * from './token-verifier';
