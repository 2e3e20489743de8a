import { useCallback, useEffect, useRef, useState } from 'react';
import { RequestFailed } from '../api';
import { useConsole } from '../context';
import type { ApplicationQuery as ApplicationAnswer } from '../gql/graphql';
import { useI18n } from '../i18n';
import { followApplication } from '../live';
import { ApplicationQuery } from '../queries';
import { ruleMessage } from '../rules';

type Application = NonNullable<ApplicationAnswer['application']>;
type TimelineEntry = Application['timeline'][number];

const FINAL = new Set(['COMPLETED', 'PARTIALLY_REJECTED', 'REJECTED']);

/**
 * One application: its task plan, the live timeline (server-sent events through the gateway) until
 * every participant has answered, the documents issued, and a printable receipt (tanda terima).
 */
export function ApplicationView({ id }: { id: string }) {
  const i18n = useI18n();
  const { api, apiAuth } = useConsole();
  const [application, setApplication] = useState<Application | null | undefined>();
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);
  const [live, setLive] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const refreshing = useRef<Promise<void> | undefined>(undefined);
  const purpose = `application:${id}`;

  const refresh = useCallback(() => {
    // One refresh at a time; events that arrive meanwhile are covered by the next answer.
    refreshing.current ??= api(ApplicationQuery, { id }, purpose)
      .then((answer) => {
        const error = answer.errors[0];
        if (error && !answer.data?.application) setFailure(ruleMessage(error.extensions?.rule ?? error.extensions?.code, i18n.language, error.message));
        setApplication(answer.data?.application ?? null);
        if (answer.data?.application) setTimeline((current) => merge(current, answer.data!.application!.timeline));
      })
      .catch((error: unknown) => setFailure(`${i18n.t('errorGeneric')} ${error instanceof RequestFailed ? error.code : 'UNKNOWN'}`))
      .finally(() => {
        refreshing.current = undefined;
      });
    return refreshing.current;
  }, [api, id, purpose, i18n]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const done = application ? FINAL.has(application.status) : false;
  useEffect(() => {
    if (done || application === null) return;
    return followApplication(id, apiAuth, {
      status: () => void refresh(),
      timeline: (entry) => {
        setTimeline((current) => merge(current, [entry as TimelineEntry]));
        void refresh();
      },
      connected: setLive,
    });
  }, [id, apiAuth, refresh, done, application === null]);

  if (application === undefined) return <p role="status">{i18n.t('loading')}</p>;
  if (application === null) return <p className="error" role="alert">{failure ?? i18n.t('notFound')}</p>;

  const documents = application.tasks.flatMap((task) => task.documents.map((document) => ({ ...document, participant: task.participantName ?? task.participant })));
  return (
    <div className="stack application">
      <h1>
        {i18n.t('applicationTitle')} {application.type}
      </h1>
      <section className="card receipt" aria-labelledby="receipt-title">
        <h2 id="receipt-title">{i18n.t('receipt')}</h2>
        <dl className="rows">
          <div>
            <dt>{i18n.t('applicationId')}</dt>
            <dd>
              <code>{application.id}</code>
            </dd>
          </div>
          <div>
            <dt>{i18n.t('applicantNik')}</dt>
            <dd>
              {application.applicant.fullName} ({application.applicant.nik})
            </dd>
          </div>
          <div>
            <dt>{i18n.t('mppOffice')}</dt>
            <dd>{application.mppOffice}</dd>
          </div>
          <div>
            <dt>{i18n.t('submittedAt')}</dt>
            <dd>{i18n.date(application.submittedAt)}</dd>
          </div>
          <div>
            <dt>{i18n.t('status')}</dt>
            <dd>
              <strong className={`status status-${application.status}`} data-testid="application-status">
                {i18n.value(application.status)}
              </strong>
              {application.slaBreached && <span className="badge danger"> {i18n.t('slaBreached')}</span>}
              {!done && <span className={`badge ${live ? 'live' : ''}`}> {live ? `● ${i18n.t('live')}` : '○'}</span>}
            </dd>
          </div>
        </dl>
        <button type="button" className="no-print" onClick={() => window.print()}>
          {i18n.t('printReceipt')}
        </button>
      </section>
      <section className="card" aria-labelledby="tasks-title">
        <h2 id="tasks-title">{i18n.t('steps')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{i18n.t('participant')}</th>
              <th scope="col">{i18n.t('status')}</th>
              <th scope="col">{i18n.t('due')}</th>
            </tr>
          </thead>
          <tbody>
            {application.tasks.map((task) => (
              <tr key={task.id} className={task.slaBreached ? 'breached' : undefined}>
                <td>
                  {task.participantName ?? task.participant} — {task.taskKind}
                </td>
                <td>
                  {i18n.value(task.status)}
                  {task.reason && <span className="muted"> ({task.reason})</span>}
                  {task.slaBreached && <span className="badge danger"> {i18n.t('slaBreached')}</span>}
                </td>
                <td>{task.dueAt ? i18n.date(task.dueAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {documents.length > 0 && (
        <section className="card" aria-labelledby="documents-title">
          <h2 id="documents-title">{i18n.t('documents')}</h2>
          <ul className="items">
            {documents.map((document) => (
              <li key={`${document.kind}-${document.number}`}>
                <strong>{document.kind}</strong> {document.number} — {document.participant}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card no-print" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{i18n.t('timeline')}</h2>
        <ol className="timeline" aria-live="polite">
          {timeline.map((entry) => (
            <li key={entry.sequence}>
              <time dateTime={entry.occurredAt}>{i18n.date(entry.occurredAt)}</time> · {i18n.value(entry.kind)}
              {entry.participant && ` · ${entry.participant}`}
              {entry.taskStatus && ` · ${i18n.value(entry.taskStatus)}`}
              {entry.applicationStatus && ` · ${i18n.value(entry.applicationStatus)}`}
              {entry.reason && ` · ${entry.reason}`}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function merge(current: TimelineEntry[], more: TimelineEntry[]): TimelineEntry[] {
  const bySequence = new Map(current.map((entry) => [entry.sequence, entry]));
  for (const entry of more) bySequence.set(entry.sequence, entry);
  return [...bySequence.values()].sort((a, b) => Number(a.sequence) - Number(b.sequence));
}
