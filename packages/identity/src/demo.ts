// @simpul/identity/demo: the demo realm's credentials and how to fetch their tokens, without the
// identity provider itself (the CLI and the test stack only talk to a running one).
export * from './demo-credentials';
export * from './demo-tokens';
