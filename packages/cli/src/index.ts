// @simpul/cli as a library: what the benchmarks reuse of the command line (the audit command, the
// port search, the demo query), so they run exactly what `npm run simpul` runs.
export { AUDIT_EXIT, runAuditCommand } from './audit-command';
export { freePortBlock } from './ports';
export { UNIFIED_PROFILE_QUERY } from './demo-query';
