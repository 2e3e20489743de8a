import { useEffect, useState } from 'react';
import { RequestFailed } from '../api';
import { useConsole } from '../context';
import type { MyDataAccessLogQuery as AccessLog, MyDataQuery as MyData } from '../gql/graphql';
import { useI18n, type Translator } from '../i18n';
import { MyDataAccessLogQuery, MyDataQuery } from '../queries';
import { ApplicationList } from './Profile';

/** A citizen reads their own data for themselves (docs/security.md, Purpose binding). */
const OWN_DATA_PURPOSE = 'legal-basis:CITIZEN_OWN_DATA_REQUEST';

type Entry = AccessLog['myDataAccessLog']['entries'][number];

/** Institutions behind the services of the log, in words. */
const INSTITUTIONS: Record<string, { id: string; en: string }> = {
  dukcapil: { id: 'Dinas Kependudukan dan Pencatatan Sipil (Dukcapil)', en: 'Civil registry (Dukcapil)' },
  licensing: { id: 'Perizinan berusaha (OSS)', en: 'Business licensing (OSS)' },
  tax: { id: 'Kantor pajak', en: 'Tax office' },
  immigration: { id: 'Kantor imigrasi', en: 'Immigration office' },
  police: { id: 'Kepolisian', en: 'Police' },
  'religious-affairs': { id: 'Kantor Urusan Agama (KUA)', en: 'Religious affairs office (KUA)' },
  applications: { id: 'Mal Pelayanan Publik (permohonan)', en: 'Public service mall (applications)' },
  audit: { id: 'Log audit', en: 'Audit log' },
};

/** "Petugas melalui aplikasi mpp-console melihat nama lengkap, alamat … untuk Penyelenggaraan pelayanan publik". */
export function describeAccess(entry: Entry, i18n: Translator): string {
  const own = entry.purpose === OWN_DATA_PURPOSE;
  const who = own ? i18n.t('accessYou') : entry.actorType === 'USER' ? i18n.t('accessOfficer') : `${i18n.t('accessSystem')} ${entry.client}`;
  const via = entry.actorType === 'USER' ? ` ${i18n.t('accessVia')} ${entry.client}` : '';
  const verb = entry.kind === 'CHANGE' ? i18n.t('accessChange') : i18n.t('accessRead');
  const fields = entry.fields.map((f) => f.split('.').pop()).join(', ');
  const purpose = entry.purpose ? ` ${i18n.t('accessFor')} ${purposeWords(entry.purpose, i18n)}` : '';
  return `${who}${via} ${verb} ${fields}${purpose}`;
}

function purposeWords(purpose: string, i18n: Translator): string {
  const [kind, value] = purpose.split(/:(.*)/s);
  if (kind === 'legal-basis' && value) return i18n.value(value);
  if (kind === 'application' && value) return `${i18n.t('applicationTitle').toLowerCase()} ${value.slice(0, 8)}…`;
  return purpose;
}

export function CitizenView() {
  const i18n = useI18n();
  const { api, session } = useConsole();
  const [data, setData] = useState<MyData['citizen'] | undefined | null>();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  useEffect(() => {
    if (!session.nik) return;
    const fail = (error: unknown) => setFailure(`${i18n.t('errorGeneric')} ${error instanceof RequestFailed ? error.code : 'UNKNOWN'}`);
    api(MyDataQuery, { nik: session.nik }, OWN_DATA_PURPOSE).then((a) => setData(a.data?.citizen ?? null), fail);
    api(MyDataAccessLogQuery, { after: null }, OWN_DATA_PURPOSE).then((a) => {
      setEntries(a.data?.myDataAccessLog.entries ?? []);
      setNext(a.data?.myDataAccessLog.nextCursor);
    }, fail);
  }, [api, session.nik, i18n]);

  const more = async () => {
    if (!next) return;
    const answer = await api(MyDataAccessLogQuery, { after: next }, OWN_DATA_PURPOSE);
    setEntries((current) => [...current, ...(answer.data?.myDataAccessLog.entries ?? [])]);
    setNext(answer.data?.myDataAccessLog.nextCursor);
  };

  return (
    <div className="stack">
      <h1>{i18n.t('citizenTitle')}</h1>
      {failure && <p className="error" role="alert">{failure}</p>}
      {!session.nik && <p className="error" role="alert">{i18n.t('noRole')}</p>}
      <section className="card" aria-labelledby="my-data-title">
        <h2 id="my-data-title">{data?.fullName ?? i18n.t('citizenTitle')}</h2>
        {data === undefined ? (
          <p role="status">{i18n.t('loading')}</p>
        ) : data ? (
          <dl className="rows">
            <div>
              <dt>{i18n.t('nik')}</dt>
              <dd>{data.nik}</dd>
            </div>
            <div>
              <dt>{i18n.t('birth')}</dt>
              <dd>
                {data.birthPlace}, {i18n.date(data.birthDate)}
              </dd>
            </div>
            <div>
              <dt>{i18n.t('address')}</dt>
              <dd>
                {data.address.street}, {data.address.village}, {data.address.regency.name}
              </dd>
            </div>
          </dl>
        ) : null}
      </section>
      <section className="card" aria-labelledby="my-applications-title">
        <h2 id="my-applications-title">{i18n.t('myApplications')}</h2>
        <ApplicationList items={data?.applications} />
      </section>
      <section className="card" aria-labelledby="access-log-title">
        <h2 id="access-log-title">{i18n.t('accessLogTitle')}</h2>
        {entries.length === 0 ? (
          <p className="muted">{i18n.t('accessLogEmpty')}</p>
        ) : (
          <ul className="items access-log">
            {entries.map((entry, i) => (
              <li key={`${entry.at}-${i}`}>
                <time dateTime={entry.at}>{i18n.date(entry.at)}</time> — <strong>{(INSTITUTIONS[entry.service] ?? { id: entry.service, en: entry.service })[i18n.language]}</strong>:{' '}
                {describeAccess(entry, i18n)}
              </li>
            ))}
          </ul>
        )}
        {next && (
          <button type="button" onClick={() => void more()}>
            {i18n.t('more')}
          </button>
        )}
      </section>
    </div>
  );
}
