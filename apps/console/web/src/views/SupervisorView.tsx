import { parseUuid } from '@simpul/identifiers';
import { useEffect, useId, useState } from 'react';
import { useConsole } from '../context';
import type { ApplicationQuery as ApplicationAnswer } from '../gql/graphql';
import { useI18n } from '../i18n';
import { followApplication } from '../live';
import { ApplicationQuery } from '../queries';
import { navigate } from '../router';
import { ruleMessage } from '../rules';

type Application = NonNullable<ApplicationAnswer['application']>;
const FOLLOWED_KEY = 'simpul-console-followed';

/**
 * The supervisor's board. The graph has no query listing an office's open applications yet, so the
 * supervisor adds the applications to follow (by number); each is refreshed live from its stream,
 * SLA breaches highlighted, filtered by participant and status.
 */
export function SupervisorView() {
  const i18n = useI18n();
  const { api, apiAuth } = useConsole();
  const formId = useId();
  const [followed, setFollowed] = useState<string[]>(() => JSON.parse(localStorage.getItem(FOLLOWED_KEY) ?? '[]') as string[]);
  const [applications, setApplications] = useState<Record<string, Application>>({});
  const [input, setInput] = useState('');
  const [participant, setParticipant] = useState('');
  const [status, setStatus] = useState('');
  const parsed = parseUuid(input.trim(), 'Application id');

  useEffect(() => localStorage.setItem(FOLLOWED_KEY, JSON.stringify(followed)), [followed]);
  useEffect(() => {
    const stops = followed.map((id) => {
      const load = () => void api(ApplicationQuery, { id }, `application:${id}`).then((a) => a.data?.application && setApplications((all) => ({ ...all, [id]: a.data!.application! })));
      load();
      return followApplication(id, apiAuth, { status: load, timeline: load, connected: () => undefined });
    });
    return () => stops.forEach((stop) => stop());
  }, [api, apiAuth, followed]);

  const rows = followed
    .map((id) => applications[id])
    .filter((a): a is Application => a !== undefined)
    .filter((a) => !status || a.status === status)
    .filter((a) => !participant || a.tasks.some((t) => t.participant === participant));
  const participants = [...new Set(Object.values(applications).flatMap((a) => a.tasks.map((t) => t.participant)))].sort();

  return (
    <div className="stack">
      <h1>{i18n.t('supervisorTitle')}</h1>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (parsed.ok && !followed.includes(parsed.value)) setFollowed([...followed, parsed.value]);
          setInput('');
        }}
      >
        <p className="hint">{i18n.t('supervisorHelp')}</p>
        <div className="row">
          <div className="field">
            <label htmlFor={`${formId}-id`}>{i18n.t('applicationId')}</label>
            <input id={`${formId}-id`} value={input} onChange={(e) => setInput(e.target.value)} aria-invalid={input && !parsed.ok ? true : undefined} />
            {input && !parsed.ok && <p className="error" role="alert">{ruleMessage(parsed.rule, i18n.language)}</p>}
          </div>
          <button type="submit" className="primary" disabled={!parsed.ok}>
            {i18n.t('follow')}
          </button>
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor={`${formId}-participant`}>{i18n.t('filterParticipant')}</label>
            <select id={`${formId}-participant`} value={participant} onChange={(e) => setParticipant(e.target.value)}>
              <option value="">{i18n.t('all')}</option>
              {participants.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${formId}-status`}>{i18n.t('filterStatus')}</label>
            <select id={`${formId}-status`} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{i18n.t('all')}</option>
              {['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'PARTIALLY_REJECTED', 'REJECTED'].map((s) => (
                <option key={s} value={s}>
                  {i18n.value(s)}
                </option>
              ))}
            </select>
          </div>
        </div>
      </form>
      <section className="card" aria-label={i18n.t('supervisorTitle')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{i18n.t('applicationTitle')}</th>
              <th scope="col">{i18n.t('mppOffice')}</th>
              <th scope="col">{i18n.t('status')}</th>
              <th scope="col">{i18n.t('submittedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} className={a.slaBreached ? 'breached' : undefined}>
                <td>
                  <a href={`/console/permohonan/${a.id}`} onClick={(e) => { e.preventDefault(); navigate(`permohonan/${a.id}`); }}>
                    {a.type} {a.id.slice(0, 8)}
                  </a>
                </td>
                <td>{a.mppOffice}</td>
                <td>
                  {i18n.value(a.status)}
                  {a.slaBreached && <span className="badge danger"> {i18n.t('slaBreached')}</span>}
                </td>
                <td>{i18n.date(a.submittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
