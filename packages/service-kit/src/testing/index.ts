// @simpul/service-kit/testing: stand-ins for tests only, kept off the main entry.
export * from './test-identity-provider';
