import { auditAppendScenario } from './audit-append';
import { fanOutScenario } from './fan-out';
import type { Scenario } from './scenario';
import { startupScenario } from './startup';
import { unifiedCitizenScenario } from './unified-citizen';
import { verifyCitizenScenario } from './verify-citizen';

/** Every scenario `npm run bench` knows, in the order it runs them. */
export const SCENARIOS: readonly Scenario[] = [unifiedCitizenScenario, verifyCitizenScenario, auditAppendScenario, fanOutScenario, startupScenario];

/** The scenarios named by `--scenario` (all but the opt-in ones when none is named); an unknown id is an error. */
export function selectScenarios(ids: readonly string[], available: readonly Scenario[] = SCENARIOS): Scenario[] {
  if (ids.length === 0) return available.filter((scenario) => !scenario.optIn);
  return ids.map((id) => {
    const scenario = available.find((candidate) => candidate.id === id);
    if (!scenario) {
      throw new Error(`unknown scenario "${id}"; available: ${available.map((candidate) => candidate.id).join(', ')}`);
    }
    return scenario;
  });
}
