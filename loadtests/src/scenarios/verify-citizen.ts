import { postGraphQL } from '@simpul/testing';
import {
  BANK_CLIENT,
  BANK_PURPOSE,
  citizenVerificationBodies,
  VERIFY_CITIZEN_QUERY,
  VERIFY_CITIZEN_REQUIRED_FIELDS,
} from '../workload/citizen-verification';
import { runGatewayComparison } from './gateway-comparison-scenario';
import type { Scenario, ScenarioOutcome, SharedStackContext } from './scenario';

const ID = 'verify-citizen';
const TITLE = 'verifyCitizen, as a partner bank calls it';

/** Before measuring: the bank's call for a sample citizen answers registered and matching. */
async function checkBankCall(context: SharedStackContext, headers: Record<string, string>): Promise<void> {
  const [sample] = context.world.samples;
  const citizen = context.world.citizens.find((candidate) => candidate.nik === sample?.nik);
  if (!citizen) throw new Error('the world has no sample citizen to verify');
  const response = await postGraphQL<{ verifyCitizen: { registered: boolean; fullNameMatches: boolean; birthDateMatches: boolean } | null }>(
    context.simpulOn.url,
    VERIFY_CITIZEN_QUERY,
    { nik: citizen.nik, claims: { fullName: citizen.fullName, birthDate: citizen.birthDate } },
    headers,
  );
  const answer = response.data?.verifyCitizen;
  if (response.status !== 200 || response.errors?.length || !answer) {
    const detail = response.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`;
    throw new Error(`the secured gateway refuses ${BANK_CLIENT}'s verifyCitizen: ${detail}`);
  }
  if (!answer.registered || !answer.fullNameMatches || !answer.birthDateMatches) {
    throw new Error(`verifyCitizen does not confirm sample citizen ${citizen.nik}'s own claims: ${JSON.stringify(answer)}`);
  }
}

export const verifyCitizenScenario: Scenario = {
  id: ID,
  title: TITLE,
  stack: 'shared',
  async run(context: SharedStackContext): Promise<ScenarioOutcome> {
    const bank = { ...context.simpulOn, headers: () => context.securedHeaders(BANK_CLIENT, BANK_PURPOSE) };
    context.log(`checking ${BANK_CLIENT}'s verifyCitizen through the secured gateway`);
    await checkBankCall(context, await bank.headers());
    return runGatewayComparison(
      context,
      {
        id: ID,
        title: TITLE,
        targets: [bank],
        ratios: [],
        workloadMethod: [
          `**Operation**: \`verifyCitizen(nik, claims: { fullName, birthDate })\` through the Simpul gateway with everything on, ` +
            `as the partner bank calls it: the \`${BANK_CLIENT}\` client's access token (client credentials, fetched again before ` +
            `every run) and \`x-simpul-purpose: ${BANK_PURPOSE}\`; the gateway verifies the token and signs the context, Dukcapil ` +
            'checks the bank role and purpose, answers yes/no and appends the access to the audit log.',
          `**Variables**: every citizen of the world, in a seeded shuffled order, claiming their own registered name and birth date.`,
          '**Check before measuring**: the call for a sample citizen answers registered, name and birth date matching.',
        ],
        successCondition: 'a non-null `data.verifyCitizen`',
        appendix: ['```graphql', VERIFY_CITIZEN_QUERY, '```'].join('\n'),
      },
      { bodies: citizenVerificationBodies(context.world), requiredDataFields: VERIFY_CITIZEN_REQUIRED_FIELDS },
    );
  },
};
