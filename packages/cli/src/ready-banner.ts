import { formatDemoCredentials, type DemoCredentials } from '@simpul/identity/demo';
import type { SampleCitizen } from '@simpul/synthetic-data';
import { PLAIN, type Style } from './style';

export interface ReadyBannerInput {
  startupMs: number;
  gatewayUrl: string;
  /** Simpul Console (apps/console), when it runs. */
  consoleUrl?: string;
  /** The embedded event broker (the services' EVENTS_URL). */
  eventsUrl: string;
  subgraphs: readonly { name: string; url: string }[];
  /** The example participants: a base URL (events) or where Simpul posts the tasks (webhook). */
  participants: readonly { name: string; url: string; connects: 'events' | 'webhook' }[];
  samples: readonly SampleCitizen[];
  /** Ready-to-paste command querying the first sample's unified profile (with `demoToken`'s token). */
  curl?: string;
  /** The identity provider (issuer) and who can sign in to it with what (development only). */
  identity: { issuer: string; credentials: DemoCredentials };
  /** Whose token the curl carries and how long it lives, or why there is none. */
  demoToken: DemoTokenInfo;
  dataDir: string;
  seeding: { citizens: number; seed: number };
}

export interface DemoTokenInfo {
  /** The demo user (or client) the token is for. */
  who: string;
  /** Seconds, when the token says (`exp` - `iat`). */
  lifetimeSeconds?: number;
  /** Why no token could be fetched; the curl then has a placeholder. */
  error?: string;
  /** Commands that get a new one: e.g. `npm run simpul -- token petugas`, a client credentials curl. */
  renew: { user: string; client?: string };
}

/** The placeholder of the curl when no token could be fetched. */
export const TOKEN_PLACEHOLDER = '<token>';

/** What `simpul start` prints once everything answers: where to go, whom to look up, what to paste. */
export function formatReadyBanner(input: ReadyBannerInput, style: Style = PLAIN): string[] {
  const nameWidth = Math.max(...input.subgraphs.map((s) => s.name.length));
  const lines = [
    '',
    `${style.green(style.bold('Simpul is ready'))} in ${(input.startupMs / 1000).toFixed(1)} s`,
    '',
    `  GraphQL gateway  ${style.bold(input.gatewayUrl)}  ${style.dim('(requests need a bearer token)')}`,
    ...(input.consoleUrl ? [`  Simpul Console   ${style.bold(input.consoleUrl)}  ${style.dim('(sign in as petugas or warga)')}`] : []),
    `  Event broker     ${input.eventsUrl}  ${style.dim('(embedded; for the services only)')}`,
    '',
    ...formatDemoCredentials(input.identity.credentials, input.identity.issuer).map((line) => `  ${line}`),
    '',
    '  Subgraphs',
    ...input.subgraphs.map((s) => `    ${s.name.padEnd(nameWidth)}  ${s.url}`),
    ...participantLines(input.participants, style),
    '',
    `  Data  ${input.dataDir}  ${style.dim(`(${input.seeding.citizens} synthetic citizens, seed ${input.seeding.seed})`)}`,
  ];
  if (input.samples.length > 0) {
    lines.push(
      '',
      '  Sample citizens, each with records in every subgraph:',
      ...input.samples.flatMap((s) => [
        '',
        `    ${style.bold(s.nik)}  ${s.fullName}`,
        ...s.highlights.map((highlight) => `      ${style.dim('·')} ${highlight}`),
      ]),
    );
  }
  if (input.curl && input.samples[0]) {
    const token = input.demoToken;
    lines.push(
      '',
      `  Unified profile of ${input.samples[0].fullName} across the seven data subgraphs, as ${token.who}:`,
      ...(token.error
        ? [
            `  ${style.yellow('note')} could not get ${token.who}'s token (${token.error});`,
            `  replace ${TOKEN_PLACEHOLDER} with the output of: ${token.renew.user}`,
          ]
        : []),
      '',
      input.curl,
      '',
      ...tokenRenewalLines(token, style, `Tokens expire after ${lifetimeOf(token)} (the realm's access token lifespan). A new one:`),
    );
  } else {
    lines.push('', ...tokenRenewalLines(input.demoToken, style, 'An access token for the gateway:'));
  }
  lines.push('', style.dim('Press Ctrl-C to stop.'), '');
  return lines;
}

function tokenRenewalLines(token: DemoTokenInfo, style: Style, lead: string): string[] {
  return [
    `  ${style.dim(lead)}`,
    `    ${token.renew.user}`,
    ...(token.renew.client ? [`  ${style.dim("or a client's, with the client credentials grant:")}`, `    ${token.renew.client}`] : []),
  ];
}

function lifetimeOf(token: DemoTokenInfo): string {
  const seconds = token.lifetimeSeconds;
  if (seconds === undefined) return 'a few minutes';
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} s`;
}

const CONNECTION_NOTES = {
  events: 'events (takes its tasks from the broker)',
  webhook: 'webhook (Simpul posts its tasks here)',
} as const;

function participantLines(participants: ReadyBannerInput['participants'], style: Style): string[] {
  if (participants.length === 0) return [];
  const nameWidth = Math.max(...participants.map((p) => p.name.length));
  const urlWidth = Math.max(...participants.map((p) => p.url.length));
  return [
    '',
    `  Participants  ${style.dim('(example systems of other institutions, outside Simpul)')}`,
    ...participants.map((p) => `    ${p.name.padEnd(nameWidth)}  ${p.url.padEnd(urlWidth)}  ${CONNECTION_NOTES[p.connects]}`),
  ];
}
