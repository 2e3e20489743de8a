import type { SampleCitizen } from '@simpul/synthetic-data';
import { PLAIN, type Style } from './style';

export interface ReadyBannerInput {
  startupMs: number;
  gatewayUrl: string;
  /** The embedded event broker (the services' EVENTS_URL). */
  eventsUrl: string;
  subgraphs: readonly { name: string; url: string }[];
  /** The example participants: a base URL (events) or where Simpul posts the tasks (webhook). */
  participants: readonly { name: string; url: string; connects: 'events' | 'webhook' }[];
  samples: readonly SampleCitizen[];
  /** Ready-to-paste command querying the first sample's unified profile. */
  curl?: string;
  dataDir: string;
  seeding: { citizens: number; seed: number };
}

/** What `simpul start` prints once everything answers: where to go, whom to look up, what to paste. */
export function formatReadyBanner(input: ReadyBannerInput, style: Style = PLAIN): string[] {
  const nameWidth = Math.max(...input.subgraphs.map((s) => s.name.length));
  const lines = [
    '',
    `${style.green(style.bold('Simpul is ready'))} in ${(input.startupMs / 1000).toFixed(1)} s`,
    '',
    `  GraphQL gateway  ${style.bold(input.gatewayUrl)}`,
    `  Event broker     ${input.eventsUrl}  ${style.dim('(embedded; for the services only)')}`,
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
    lines.push(
      '',
      `  Unified profile of ${input.samples[0].fullName} across the seven data subgraphs:`,
      '',
      input.curl,
    );
  }
  lines.push('', style.dim('Press Ctrl-C to stop.'), '');
  return lines;
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
