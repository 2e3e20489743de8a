import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue, parseServiceCatalogue, ServiceCatalogueError } from './service-catalogue';

const participants = [
  { code: 'dukcapil', name: 'Dukcapil', kind: 'AGENCY', entitledToNik: true },
  { code: 'bank-bpd', name: 'Bank BPD', kind: 'BANK', entitledToNik: false },
];

function catalogue(steps: unknown[], extra: Record<string, unknown> = {}) {
  return {
    participants,
    applicationTypes: [
      {
        code: 'TEST_TYPE',
        title: 'Test',
        description: 'A test type',
        inputs: [{ name: 'plateNumber', label: 'Plate', kind: 'PLATE_NUMBER', required: true }],
        steps,
        ...extra,
      },
    ],
  };
}

const step = (id: string, dependsOn: string[] = [], overrides: Record<string, unknown> = {}) => ({
  id,
  title: `Step ${id}`,
  participant: 'dukcapil',
  taskKind: 'CHECK_SOMETHING',
  inputs: ['applicantNik', 'plateNumber'],
  dependsOn,
  slaHours: 24,
  ...overrides,
});

function problemsOf(json: unknown): string[] {
  try {
    parseServiceCatalogue(json, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceCatalogueError);
    expect((error as Error).message).toContain('Invalid service catalogue (test.json)');
    return (error as ServiceCatalogueError).problems;
  }
  throw new Error('expected the catalogue to be refused');
}

describe('the shipped service catalogue', () => {
  const shipped = loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);

  it('has the participants of the MPP', () => {
    expect([...shipped.participants.keys()].sort()).toEqual(
      ['bank-bpd', 'bpjs-kesehatan', 'dukcapil', 'immigration', 'licensing', 'pln', 'police', 'religious-affairs', 'tax'].sort(),
    );
    expect(shipped.participants.get('bank-bpd')).toMatchObject({ kind: 'BANK', entitledToNik: false });
    expect(shipped.participants.get('dukcapil')).toMatchObject({ kind: 'AGENCY', entitledToNik: true });
  });

  it('has the six application types of ARCHITECTURE.md §5', () => {
    expect([...shipped.applicationTypes.keys()]).toEqual(
      expect.arrayContaining(['BUSINESS_START', 'MARRIAGE_REGISTRATION', 'ADDRESS_CHANGE', 'BIRTH_REGISTRATION', 'VEHICLE_ANNUAL_RENEWAL', 'PASSPORT_APPLICATION']),
    );
  });

  it('starts a business with the NIB, then NPWP, bank account and electricity in parallel', () => {
    const type = shipped.applicationTypes.get('BUSINESS_START')!;
    expect(type.orderedSteps.map((s) => [s.participant, s.dependsOn])).toEqual([
      ['licensing', []],
      ['tax', ['issue-nib']],
      ['bank-bpd', ['issue-nib']],
      ['pln', ['issue-nib']],
    ]);
    expect(type.slaHours).toBe(24 + 120);
    expect(type.participantCodes).toEqual(['licensing', 'tax', 'bank-bpd', 'pln']);
  });
});

describe('catalogue validation', () => {
  it('accepts a valid catalogue and orders its steps', () => {
    const parsed = parseServiceCatalogue(catalogue([step('b', ['a']), step('a')]));
    expect(parsed.applicationTypes.get('TEST_TYPE')!.orderedSteps.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('names an unknown participant by type and step', () => {
    expect(problemsOf(catalogue([step('a', [], { participant: 'bank-bri' })]))).toEqual([
      'applicationTypes[TEST_TYPE].steps[a].participant: unknown participant "bank-bri"',
    ]);
  });

  it('names an unknown step in dependsOn', () => {
    expect(problemsOf(catalogue([step('a'), step('b', ['a', 'issue-nbi'])]))).toEqual([
      'applicationTypes[TEST_TYPE].steps[b].dependsOn: unknown step "issue-nbi"',
    ]);
  });

  it('reports a dependency cycle with its path', () => {
    expect(problemsOf(catalogue([step('a'), step('b', ['a', 'c']), step('c', ['b'])]))).toEqual([
      'applicationTypes[TEST_TYPE].steps: dependency cycle b → c → b',
    ]);
  });

  it('refuses a step that depends on itself', () => {
    expect(problemsOf(catalogue([step('a', ['a'])]))).toEqual(['applicationTypes[TEST_TYPE].steps[a].dependsOn: a step cannot depend on itself']);
  });

  it('refuses duplicate step ids and unknown step inputs', () => {
    expect(problemsOf(catalogue([step('a'), step('a', [], { inputs: ['plateNumber', 'plateNumbr'] })]))).toEqual([
      'applicationTypes[TEST_TYPE].steps[a]: step id used twice',
      'applicationTypes[TEST_TYPE].steps[a].inputs: unknown input "plateNumbr"',
    ]);
  });

  it('refuses an input that no step receives, and reserved input names', () => {
    const json = catalogue([step('a', [], { inputs: ['plateNumber'] })], {
      inputs: [
        { name: 'plateNumber', label: 'Plate', kind: 'PLATE_NUMBER', required: true },
        { name: 'ownerName', label: 'Owner', kind: 'STRING', required: false },
        { name: 'applicantNik', label: 'NIK', kind: 'NIK', required: true },
      ],
    });
    expect(problemsOf(json)).toEqual([
      'applicationTypes[TEST_TYPE].inputs[applicantNik]: "applicantNik" is every application\'s applicant; do not declare it',
      'applicationTypes[TEST_TYPE].inputs[ownerName]: no step receives this input',
      'applicationTypes[TEST_TYPE].inputs[applicantNik]: no step receives this input',
    ]);
  });

  it('names the entry at fault in shape errors', () => {
    const json = catalogue([step('a', [], { participant: 'Bank_BPD', slaHours: 0.0001 })]);
    json.participants = [...participants, { code: 'pln', name: 'PLN', kind: 'STATE_COMPANY', entitledToNik: false }];
    const problems = problemsOf(json);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^participants\[pln\]\.kind: /),
        expect.stringMatching(/^applicationTypes\[TEST_TYPE\]\.steps\[a\]\.participant: participant code must be lower-kebab-case/),
        expect.stringMatching(/^applicationTypes\[TEST_TYPE\]\.steps\[a\]\.slaHours: /),
      ]),
    );
  });

  it('refuses a CHOICE input without options, and distinct groups naming unknown inputs', () => {
    const json = catalogue([step('a', [], { inputs: ['plateNumber', 'colour'] })], {
      inputs: [
        { name: 'plateNumber', label: 'Plate', kind: 'PLATE_NUMBER', required: true },
        { name: 'colour', label: 'Colour', kind: 'CHOICE', required: true, options: [] },
      ],
    });
    expect(problemsOf(json)).toEqual([expect.stringMatching(/^applicationTypes\[TEST_TYPE\]\.inputs\[colour\]\.options: /)]);
    const distinct = catalogue([step('a')], { distinctInputs: [['plateNumber', 'otherPlate']] });
    expect(problemsOf(distinct)).toEqual(['applicationTypes[TEST_TYPE].distinctInputs[0]: unknown input "otherPlate"']);
  });

  it('refuses duplicate participant and type codes', () => {
    const json = catalogue([step('a')]);
    json.participants = [...participants, participants[0]!];
    json.applicationTypes = [...json.applicationTypes, json.applicationTypes[0]!];
    expect(problemsOf(json)).toEqual(
      expect.arrayContaining(['participants[dukcapil]: participant code listed twice', 'applicationTypes[TEST_TYPE]: application type code listed twice']),
    );
  });

  describe('from a file', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'catalogue-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('names the file when it is not JSON or missing', () => {
      const path = join(dir, 'broken.json');
      writeFileSync(path, '{ "participants": [');
      expect(() => loadServiceCatalogue(path)).toThrow(/broken\.json[\s\S]*not valid JSON/);
      expect(() => loadServiceCatalogue(join(dir, 'missing.json'))).toThrow(/missing\.json[\s\S]*cannot read/);
    });
  });
});
