export * from './auth-env';
export * from './bearer-token';
export * from './principal';
export * from './token-verifier';
