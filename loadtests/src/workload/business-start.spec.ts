import { BUSINESS_START, BUSINESS_START_KBLI, businessOwners, businessStartBody, readSubmitAnswer } from './business-start';

const TODAY = new Date('2026-06-01T00:00:00Z');
const citizen = (nik: string, birthDate: string) => ({ nik, birthDate });

describe('businessOwners', () => {
  const citizens = [
    citizen('1', '2010-03-01'), // 16: a minor
    citizen('2', '2005-06-02'), // 20 (21 tomorrow)
    citizen('3', '2005-05-30'), // 21
    citizen('4', '1980-01-01'), // 46
    citizen('5', '1966-06-03'), // 59
    citizen('6', '1966-05-30'), // 60
    citizen('7', '1940-01-01'), // 86
  ];

  it('keeps citizens from 21 to under 60, in a seeded order', () => {
    const owners = businessOwners(citizens, 7, TODAY);
    expect([...owners].sort()).toEqual(['3', '4', '5']);
    expect(businessOwners(citizens, 7, TODAY)).toEqual(owners);
  });

  it('refuses a world with no adults in that range', () => {
    expect(() => businessOwners([citizens[0]!], 1, TODAY)).toThrow('no citizens aged 21–60');
  });
});

describe('businessStartBody', () => {
  const input = (body: string) =>
    (JSON.parse(body) as { variables: { input: { type: string; applicantNik: string; inputs: { name: string; value: string }[] } } })
      .variables.input;
  const value = (body: string, name: string) => input(body).inputs.find((entry) => entry.name === name)?.value;

  it('files a BUSINESS_START with every required input', () => {
    const body = businessStartBody(['3201010101900001'], 0);
    expect(JSON.parse(body)).toMatchObject({ operationName: 'SubmitApplication', query: expect.stringContaining('submitApplication(input: $input)') });
    expect(input(body)).toMatchObject({ type: BUSINESS_START, applicantNik: '3201010101900001', mppOffice: 'MPP Siak' });
    expect(value(body, 'kbli')).toBe(BUSINESS_START_KBLI);
    expect(value(body, 'businessName')).toBe('UD Uji Beban 1');
    expect(value(body, 'businessAddress')).toBe('Ruko UD Uji Beban No. 1, Siak Sri Indrapura');
  });

  it('goes round the owners and never repeats a business name or an address, even for the same owner', () => {
    const owners = ['A', 'B', 'C'];
    const bodies = [...Array.from({ length: 500 }, (_, n) => businessStartBody(owners, n)), businessStartBody(owners, 0, 'UD Uji Awal')];
    expect(bodies.slice(0, 7).map((body) => input(body).applicantNik)).toEqual(['A', 'B', 'C', 'A', 'B', 'C', 'A']);
    expect(new Set(bodies.map((body) => value(body, 'businessName'))).size).toBe(bodies.length);
    expect(new Set(bodies.map((body) => value(body, 'businessAddress')?.toLowerCase())).size).toBe(bodies.length);
    expect(value(bodies.at(-1)!, 'businessName')).toBe('UD Uji Awal 1');
  });

  it('rejects numbers that are not application numbers, and an empty owner list', () => {
    expect(() => businessStartBody(['A'], -1)).toThrow('whole number');
    expect(() => businessStartBody(['A'], 1.5)).toThrow('whole number');
    expect(() => businessStartBody([], 0)).toThrow('no business owners');
  });
});

describe('readSubmitAnswer', () => {
  const application = {
    id: '0195f3c2-0000-7000-8000-000000000001',
    status: 'SUBMITTED',
    tasks: [
      { id: 't-nib', participant: 'licensing', status: 'ASSIGNED' },
      { id: 't-npwp', participant: 'tax', status: 'PENDING' },
    ],
  };

  it('takes the application id and its tasks from a clean answer, marking those that wait for earlier steps', () => {
    expect(readSubmitAnswer(200, JSON.stringify({ data: { submitApplication: application } }))).toEqual({
      ok: true,
      applicationId: application.id,
      tasks: [
        { id: 't-nib', participant: 'licensing', waitsForEarlierSteps: false },
        { id: 't-npwp', participant: 'tax', waitsForEarlierSteps: true },
      ],
    });
  });

  it('counts HTTP errors, non-JSON, GraphQL errors and answers without an application as failures, with a sample', () => {
    expect(readSubmitAnswer(502, 'Bad Gateway')).toEqual({ ok: false, kind: 'http-status', sample: '502 Bad Gateway' });
    expect(readSubmitAnswer(200, '<html>')).toMatchObject({ ok: false, kind: 'invalid-body' });
    const refused = JSON.stringify({ data: null, errors: [{ message: 'inputs.kbli: unknown', extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(readSubmitAnswer(200, refused)).toMatchObject({ ok: false, kind: 'graphql-errors', sample: expect.stringContaining('inputs.kbli') });
    expect(readSubmitAnswer(200, JSON.stringify({ data: { submitApplication: null } }))).toMatchObject({ ok: false, kind: 'missing-data' });
    const noTasks = { ...application, tasks: [] };
    expect(readSubmitAnswer(200, JSON.stringify({ data: { submitApplication: noTasks } }))).toMatchObject({ ok: false, kind: 'missing-data' });
    const badTask = { ...application, tasks: [{ id: 7 }] };
    expect(readSubmitAnswer(200, JSON.stringify({ data: { submitApplication: badTask } }))).toMatchObject({ ok: false, kind: 'missing-data' });
  });

  it('shortens long failing bodies', () => {
    const answer = readSubmitAnswer(500, 'x'.repeat(5000));
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.sample.length).toBeLessThanOrEqual(304);
  });
});
