import { isDeepStrictEqual } from 'node:util';
import { postGraphQL } from '@simpul/testing';
import { nikRotation } from '../workload/nik-rotation';
import { UNIFIED_PROFILE_QUERY, UNIFIED_PROFILE_REQUIRED_FIELDS, unifiedProfileBodies } from '../workload/unified-profile';
import { runGatewayComparison } from './gateway-comparison-scenario';
import type { GatewayTarget } from '../report/gateway-comparison';
import type { SharedStackContext, Scenario, ScenarioOutcome } from './scenario';

const ID = 'unified-citizen';
const TITLE = 'Unified citizen profile';
const QUERY_APPENDIX = [
  '<details><summary>The measured query</summary>',
  '',
  '```graphql',
  UNIFIED_PROFILE_QUERY,
  '```',
  '',
  '</details>',
].join('\n');

/**
 * Before measuring, every gateway must give the same, complete answer for the world's sample
 * citizens (who have records in every subgraph): otherwise they would not be doing the same work
 * and the comparison would mean nothing.
 */
async function verifyGatewaysAgree(context: SharedStackContext, targets: readonly GatewayTarget[]): Promise<void> {
  for (const sample of context.world.samples) {
    const variables = { nik: sample.nik };
    const answers = await Promise.all(
      targets.map(async (target) => ({
        target,
        response: await postGraphQL(target.url, UNIFIED_PROFILE_QUERY, variables, await target.headers?.()),
      })),
    );
    for (const { target, response } of answers) {
      if (response.status !== 200 || response.errors?.length) {
        const detail = response.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`;
        throw new Error(`${target.label} cannot answer the unified profile of sample citizen ${sample.nik}: ${detail}`);
      }
      const citizen = response.data?.citizen as Record<string, unknown> | null | undefined;
      if (!citizen) throw new Error(`${target.label} does not know sample citizen ${sample.nik}`);
      const nullFields = Object.keys(citizen).filter((field) => citizen[field] === null);
      if (nullFields.length > 0) {
        throw new Error(
          `${target.label} returned null ${nullFields.join(', ')} for sample citizen ${sample.nik}, who has data in every subgraph`,
        );
      }
    }
    const [first, ...others] = answers;
    for (const other of others) {
      if (!isDeepStrictEqual(first!.response.data, other.response.data)) {
        throw new Error(`${other.target.label} and ${first!.target.label} disagree on the unified profile of sample citizen ${sample.nik}`);
      }
    }
  }
}

export const unifiedCitizenScenario: Scenario = {
  id: ID,
  title: TITLE,
  stack: 'shared',
  async run(context: SharedStackContext): Promise<ScenarioOutcome> {
    const targets = [context.stock, context.simpulOff, context.simpulOn];
    context.log(`checking that the ${targets.length} gateways return the same complete profile for ${context.world.samples.length} sample citizens`);
    await verifyGatewaysAgree(context, targets);

    const niks = nikRotation(context.world);
    return runGatewayComparison(
      context,
      {
        id: ID,
        title: TITLE,
        targets,
        ratios: [
          { subject: context.simpulOff.id, baseline: context.stock.id },
          { subject: context.simpulOn.id, baseline: context.stock.id },
        ],
        workloadMethod: [
          "**Operation**: the CLI demo's `UnifiedProfile` query (`UNIFIED_PROFILE_QUERY` from @simpul/cli): one citizen " +
            'with fields from all seven subgraphs, so every request is a federated plan touching each subgraph.',
          `**Variables**: the NIKs of all ${niks.length.toLocaleString('en-US')} citizens of the world, in a seeded shuffled ` +
            'order, handed out round-robin across connections (request *n* asks for NIK *n* mod the list length); every run ' +
            'sends the same sequence, so neither gateway gets an easier mix of citizens.',
          '**Check before measuring**: the query for the world’s three sample citizens (records in every subgraph) through ' +
            'every gateway (the secured one with the officer’s token and purpose) must return HTTP 200, no errors, no null field, ' +
            'and identical data.',
        ],
        successCondition: 'a non-null `data.citizen` (an unknown NIK counts as a failure)',
        appendix: QUERY_APPENDIX,
      },
      { bodies: unifiedProfileBodies(niks), requiredDataFields: UNIFIED_PROFILE_REQUIRED_FIELDS },
    );
  },
};
