import { parseUuid } from '@simpul/identifiers';
import { useEffect, useId, useState } from 'react';
import { RequestFailed, type GraphQLError } from '../api';
import { useConsole } from '../context';
import type { UnifiedProfileQuery as UnifiedProfile } from '../gql/graphql';
import { useI18n } from '../i18n';
import { UnifiedProfileQuery } from '../queries';
import { navigate, setQuery, useLocation } from '../router';
import { ruleMessage } from '../rules';
import { nikProblem, NikField } from './NikField';
import { Profile } from './Profile';

/** The legal bases a counter may invoke (docs/security.md, Purpose binding). */
export const OFFICER_LEGAL_BASES = ['PUBLIC_SERVICE_DELIVERY', 'EXPLICIT_CONSENT', 'LEGAL_OBLIGATION', 'VITAL_INTEREST'];
const SUPERVISOR_LEGAL_BASES = [...OFFICER_LEGAL_BASES, 'AUDIT_OVERSIGHT'];

function PurposeChooser({ onChoose, legalBases }: { onChoose(purpose: string): void; legalBases: string[] }) {
  const i18n = useI18n();
  const id = useId();
  const [kind, setKind] = useState<'legal-basis' | 'application'>('legal-basis');
  const [basis, setBasis] = useState(legalBases[0]!);
  const [applicationId, setApplicationId] = useState('');
  const parsed = parseUuid(applicationId.trim(), 'Application id');
  const applicationError = kind === 'application' && applicationId !== '' && !parsed.ok ? ruleMessage(parsed.rule, i18n.language) : undefined;
  return (
    <form
      className="card"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (kind === 'legal-basis') onChoose(`legal-basis:${basis}`);
        else if (parsed.ok) onChoose(`application:${parsed.value}`);
      }}
    >
      <h2 id={`${id}-title`}>{i18n.t('purposeTitle')}</h2>
      <p className="hint">{i18n.t('purposeHelp')}</p>
      <fieldset>
        <legend>{i18n.t('purposeKind')}</legend>
        <label className="inline">
          <input type="radio" name="purpose-kind" checked={kind === 'legal-basis'} onChange={() => setKind('legal-basis')} /> {i18n.t('purposeLegalBasis')}
        </label>
        <label className="inline">
          <input type="radio" name="purpose-kind" checked={kind === 'application'} onChange={() => setKind('application')} /> {i18n.t('purposeApplication')}
        </label>
      </fieldset>
      {kind === 'legal-basis' ? (
        <div className="field">
          <label htmlFor={`${id}-basis`}>{i18n.t('purposeLegalBasis')}</label>
          <select id={`${id}-basis`} value={basis} onChange={(e) => setBasis(e.target.value)}>
            {legalBases.map((code) => (
              <option key={code} value={code}>
                {i18n.value(code)}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-application`}>{i18n.t('applicationId')}</label>
          <input id={`${id}-application`} value={applicationId} onChange={(e) => setApplicationId(e.target.value)} aria-invalid={applicationError ? true : undefined} aria-describedby={applicationError ? `${id}-application-error` : undefined} />
          {applicationError && (
            <p id={`${id}-application-error`} className="error" role="alert">
              {applicationError}
            </p>
          )}
        </div>
      )}
      <button type="submit" className="primary" disabled={kind === 'application' && !parsed.ok}>
        {i18n.t('usePurpose')}
      </button>
    </form>
  );
}

export function purposeLabel(purpose: string, value: (v: string) => string): string {
  const [kind, code] = purpose.split(/:(.*)/s);
  return kind === 'legal-basis' && code ? value(code) : purpose;
}

export function CounterView() {
  const i18n = useI18n();
  const { api, session } = useConsole();
  const { query } = useLocation();
  const purpose = query.get('tujuan') ?? undefined;
  const [nik, setNik] = useState(query.get('nik') ?? '');
  const [searched, setSearched] = useState(query.get('nik') ?? '');
  const [result, setResult] = useState<{ citizen: UnifiedProfile['citizen'] | undefined; errors: GraphQLError[] } | undefined>();
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const lookupId = useId();

  useEffect(() => {
    if (!purpose || !searched || nikProblem(searched, true)) return;
    let current = true;
    setLoading(true);
    setFailure(undefined);
    api(UnifiedProfileQuery, { nik: searched }, purpose)
      .then((answer) => current && setResult({ citizen: answer.data?.citizen, errors: answer.errors }))
      .catch((error: unknown) => current && setFailure(error instanceof RequestFailed ? error.code : 'UNKNOWN'))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, purpose, searched]);

  const rootError = result?.errors.find((e) => e.path?.length === 1);
  return (
    <div className="stack">
      <h1>{i18n.t('counterTitle')}</h1>
      {!purpose ? (
        <PurposeChooser legalBases={session.roles.includes('supervisor') ? SUPERVISOR_LEGAL_BASES : OFFICER_LEGAL_BASES} onChoose={(p) => { setQuery({ tujuan: p }); navigate(`loket?${new URLSearchParams({ tujuan: p }).toString()}`); }} />
      ) : (
        <>
          <p className="purpose">
            {i18n.t('purposeChosen')}: <strong>{purposeLabel(purpose, i18n.value)}</strong>{' '}
            <button type="button" className="link" onClick={() => { setResult(undefined); navigate('loket'); }}>
              {i18n.t('changePurpose')}
            </button>
          </p>
          <form
            className="card"
            aria-labelledby={`${lookupId}-title`}
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              if (nikProblem(nik, true)) return;
              setQuery({ nik });
              setSearched(nik);
            }}
          >
            <h2 id={`${lookupId}-title`}>{i18n.t('lookupTitle')}</h2>
            <div className="row">
              <NikField label={i18n.t('nik')} value={nik} onChange={setNik} complete={nik === searched && nik !== ''} serverError={rootError?.extensions?.rule ? ruleMessage(rootError.extensions.rule, i18n.language, rootError.message) : undefined} />
              <button type="submit" className="primary" disabled={nik.length !== 16 || nikProblem(nik, true) !== undefined}>
                {i18n.t('search')}
              </button>
            </div>
          </form>
          {loading && <p role="status">{i18n.t('loading')}</p>}
          {failure && <p className="error" role="alert">{i18n.t('errorGeneric')} {failure}</p>}
          {rootError && !rootError.extensions?.rule && !loading && (
            <p className="error" role="alert">
              {rootError.extensions?.code?.startsWith('SUBGRAPH') ? i18n.t('unavailableDukcapil') : `${i18n.t('errorGeneric')} ${rootError.extensions?.code ?? ''}`}
            </p>
          )}
          {result && !loading && result.citizen === null && !rootError && <p role="status">{i18n.t('notFound')}</p>}
          {result?.citizen && !loading && (
            <>
              <p>
                <button type="button" className="primary" onClick={() => navigate(`permohonan/baru?nik=${result.citizen!.nik}`)}>
                  {i18n.t('fileForCitizen')}
                </button>
              </p>
              <Profile citizen={result.citizen} errors={result.errors} onOpenCitizen={(other) => { setNik(other); setQuery({ nik: other }); setSearched(other); }} />
            </>
          )}
        </>
      )}
    </div>
  );
}
