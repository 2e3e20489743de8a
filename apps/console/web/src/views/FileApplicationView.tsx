import { parseFamilyCardNumber, parseNib, parseNpwp, parsePassportNumber, parsePlateNumber } from '@simpul/identifiers';
import { useEffect, useId, useState } from 'react';
import { RequestFailed } from '../api';
import { useConsole } from '../context';
import type { ServiceCatalogQuery as Catalog } from '../gql/graphql';
import { useI18n, type Language } from '../i18n';
import { ServiceCatalogQuery, SubmitApplicationMutation } from '../queries';
import { navigate, setQuery, useLocation } from '../router';
import { ruleMessage } from '../rules';
import { nikProblem, NikField } from './NikField';

type ApplicationType = Catalog['serviceCatalog'][number];
type InputDefinition = ApplicationType['inputs'][number];

/** Filing is the platform's own work (README, "Filing an application"). */
export const FILING_PURPOSE = 'legal-basis:PUBLIC_SERVICE_DELIVERY';
const DRAFT_KEY = 'simpul-console-draft';

/** The catalogue's labels in Bahasa Indonesia (the catalogue's own label otherwise). */
const LABELS: Record<string, string> = {
  BUSINESS_START: 'Memulai usaha (NIB, NPWP badan, rekening, listrik)',
  MARRIAGE_REGISTRATION: 'Pencatatan pernikahan',
  ADDRESS_CHANGE: 'Pindah alamat',
  BIRTH_REGISTRATION: 'Pencatatan kelahiran (akta, KK, KIA)',
  VEHICLE_ANNUAL_RENEWAL: 'Pengesahan STNK tahunan',
  PASSPORT_APPLICATION: 'Permohonan paspor',
  businessName: 'Nama usaha',
  kbli: 'Kode KBLI 2020',
  businessAddress: 'Alamat usaha',
  businessScale: 'Skala usaha',
  groomNik: 'NIK mempelai pria',
  brideNik: 'NIK mempelai wanita',
  marriageDate: 'Tanggal akad nikah',
  newAddress: 'Alamat baru',
  movingDate: 'Tanggal pindah',
  childName: 'Nama lengkap anak',
  childSex: 'Jenis kelamin anak',
  childBirthDate: 'Tanggal lahir anak',
  birthPlace: 'Tempat lahir',
  motherNik: 'NIK ibu',
  fatherNik: 'NIK ayah',
  familyCardNumber: 'Nomor Kartu Keluarga',
  plateNumber: 'Nomor polisi',
  passportKind: 'Jenis paspor',
  previousPassportNumber: 'Nomor paspor lama',
};

export function typeLabel(code: string, fallback: string, language: Language): string {
  return language === 'id' ? (LABELS[code] ?? fallback) : fallback;
}

/** The rule a value breaks, by the input's kind: the same validators the server applies. */
function inputProblem(definition: InputDefinition, value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return definition.required ? 'INPUT_REQUIRED' : undefined;
  const parsed = (result: { ok: true } | { ok: false; rule: string }) => (result.ok ? undefined : result.rule);
  switch (definition.kind) {
    case 'NIK':
      return nikProblem(trimmed, true);
    case 'KK_NUMBER':
      return parsed(parseFamilyCardNumber(trimmed));
    case 'NPWP':
      return parsed(parseNpwp(trimmed));
    case 'NIB':
      return parsed(parseNib(trimmed));
    case 'PLATE_NUMBER':
      return parsed(parsePlateNumber(trimmed));
    case 'PASSPORT_NUMBER':
      return parsed(parsePassportNumber(trimmed));
    case 'KBLI':
      return /^\d{5}$/.test(trimmed) ? undefined : 'KBLI_FORMAT';
    case 'DATE': {
      const date = new Date(`${trimmed}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== trimmed) return 'DATE_FORMAT';
      return definition.notInFuture && date.getTime() > Date.now() ? 'DATE_IN_FUTURE' : undefined;
    }
    case 'CHOICE':
      return definition.options?.includes(trimmed) ? undefined : 'CHOICE_UNKNOWN';
    default:
      return definition.maxLength && trimmed.length > definition.maxLength ? 'TEXT_TOO_LONG' : undefined;
  }
}

interface Draft {
  type: string;
  applicantNik: string;
  mppOffice: string;
  values: Record<string, string>;
}

/** What the officer typed, kept for this tab: a refusal, a reload or a sign-in round trip loses nothing. */
function loadDraft(): Partial<Draft> {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? '{}') as Partial<Draft>;
  } catch {
    return {};
  }
}

export function FileApplicationView() {
  const i18n = useI18n();
  const { api, session } = useConsole();
  const { query } = useLocation();
  const formId = useId();
  const [catalog, setCatalog] = useState<ApplicationType[] | undefined>();
  const [draft, setDraft] = useState<Draft>(() => {
    const saved = loadDraft();
    return {
      type: query.get('jenis') ?? saved.type ?? '',
      applicantNik: query.get('nik') ?? saved.applicantNik ?? '',
      mppOffice: saved.mppOffice ?? session.mppOffice ?? '',
      values: saved.values ?? {},
    };
  });
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  }, [draft]);

  useEffect(() => {
    void api(ServiceCatalogQuery, {}, FILING_PURPOSE).then((answer) => setCatalog(answer.data?.serviceCatalog ?? []));
  }, [api]);

  const type = catalog?.find((t) => t.code === draft.type);
  const update = (patch: Partial<Draft>, field?: string) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (field) {
      setTouched((t) => new Set(t).add(field));
      setServerErrors(({ [field]: _dropped, ...rest }) => rest);
    }
  };

  const clientProblems = (): Record<string, string> => {
    const problems: Record<string, string> = {};
    const applicant = nikProblem(draft.applicantNik, true) ?? (draft.applicantNik === '' ? 'INPUT_REQUIRED' : undefined);
    if (applicant) problems['applicantNik'] = applicant;
    if (draft.mppOffice.trim() === '') problems['mppOffice'] = 'INPUT_REQUIRED';
    for (const definition of type?.inputs ?? []) {
      const problem = inputProblem(definition, draft.values[definition.name] ?? '');
      if (problem) problems[definition.name] = problem;
    }
    return problems;
  };
  const problems = clientProblems();
  const errorOf = (field: string): string | undefined =>
    serverErrors[field] ?? (touched.has(field) && problems[field] ? ruleMessage(problems[field], i18n.language) : undefined);

  const submit = async () => {
    setTouched(new Set(['applicantNik', 'mppOffice', ...(type?.inputs.map((i) => i.name) ?? [])]));
    setFormError(undefined);
    if (!type || Object.keys(problems).length > 0) {
      setFormError(i18n.t('fixErrors'));
      return;
    }
    setSubmitting(true);
    try {
      const inputs = type.inputs.filter((d) => (draft.values[d.name] ?? '').trim() !== '').map((d) => ({ name: d.name, value: draft.values[d.name]!.trim() }));
      const answer = await api(SubmitApplicationMutation, { input: { type: type.code, applicantNik: draft.applicantNik, mppOffice: draft.mppOffice.trim(), inputs } }, FILING_PURPOSE);
      const id = answer.data?.submitApplication.id;
      if (id) {
        sessionStorage.removeItem(DRAFT_KEY);
        navigate(`permohonan/${id}`);
        return;
      }
      const byField: Record<string, string> = {};
      let general: string | undefined;
      for (const error of answer.errors) {
        const ext = error.extensions ?? {};
        const listed = ext.problems ?? (ext.field ? [{ field: ext.field, rule: ext.rule ?? ext.code ?? '', message: error.message }] : []);
        // The server names an input `inputs.<name>`, the applicant `applicantNik`.
        for (const problem of listed) byField[problem.field.replace(/^inputs\./, '')] ??= ruleMessage(problem.rule, i18n.language, problem.message);
        if (listed.length === 0) general = `${ruleMessage(ext.rule ?? ext.code, i18n.language, error.message)} (${ext.rule ?? ext.code ?? ''})`;
      }
      setServerErrors(byField);
      setFormError(general ?? i18n.t('fixErrors'));
    } catch (error) {
      setFormError(`${i18n.t('errorGeneric')} ${error instanceof RequestFailed ? error.code : 'UNKNOWN'}`);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="stack">
      <h1>{i18n.t('fileTitle')}</h1>
      {!catalog ? (
        <p role="status">{i18n.t('loading')}</p>
      ) : (
        <form
          className="card"
          aria-labelledby={`${formId}-title`}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <h2 id={`${formId}-title`} className="visually-hidden">
            {i18n.t('fileTitle')}
          </h2>
          <div className="field">
            <label htmlFor={`${formId}-type`}>{i18n.t('applicationType')}</label>
            <select
              id={`${formId}-type`}
              value={draft.type}
              onChange={(e) => {
                update({ type: e.target.value });
                setQuery({ jenis: e.target.value });
              }}
            >
              <option value="">{i18n.t('choose')}</option>
              {catalog.map((t) => (
                <option key={t.code} value={t.code}>
                  {typeLabel(t.code, t.title, i18n.language)}
                </option>
              ))}
            </select>
            {type && <p className="hint">{type.description}</p>}
          </div>
          <NikField name="applicantNik" label={i18n.t('applicantNik')} value={draft.applicantNik} complete={touched.has('applicantNik')} serverError={serverErrors['applicantNik']} onChange={(v) => update({ applicantNik: v }, 'applicantNik')} />
          <TextField id={`${formId}-office`} name="mppOffice" label={i18n.t('mppOffice')} value={draft.mppOffice} error={errorOf('mppOffice')} onChange={(v) => update({ mppOffice: v }, 'mppOffice')} />
          {type?.inputs.map((definition) => (
            <InputField key={definition.name} id={`${formId}-${definition.name}`} definition={definition} value={draft.values[definition.name] ?? ''} error={errorOf(definition.name)} onChange={(v) => update({ values: { ...draft.values, [definition.name]: v } }, definition.name)} />
          ))}
          {formError && (
            <p className="error" role="alert">
              {formError}
            </p>
          )}
          <button type="submit" className="primary" disabled={!type || submitting}>
            {submitting ? i18n.t('submitting') : i18n.t('submit')}
          </button>
        </form>
      )}
    </div>
  );
}

function TextField(props: { id: string; name: string; label: string; value: string; error?: string | undefined; hint?: string; type?: string; onChange(value: string): void }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={[props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && (
        <p id={`${props.id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} className="error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

function InputField({ id, definition, value, error, onChange }: { id: string; definition: InputDefinition; value: string; error: string | undefined; onChange(value: string): void }) {
  const i18n = useI18n();
  const label = `${typeLabel(definition.name, definition.label, i18n.language)}${definition.required ? '' : ` ${i18n.t('optional')}`}`;
  if (definition.kind === 'NIK') return <NikField name={definition.name} label={label} value={value} onChange={onChange} complete={value.length >= 16} serverError={error} />;
  if (definition.kind === 'CHOICE') {
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <select id={id} name={definition.name} value={value} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => onChange(e.target.value)}>
          <option value="">{i18n.t('choose')}</option>
          {definition.options?.map((option) => (
            <option key={option} value={option}>
              {i18n.value(option)}
            </option>
          ))}
        </select>
        {error && (
          <p id={`${id}-error`} className="error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  }
  const hint = definition.maxLength ? `≤ ${definition.maxLength}` : definition.kind === 'KBLI' ? '5 digit' : undefined;
  return <TextField id={id} name={definition.name} label={label} value={value} error={error} type={definition.kind === 'DATE' ? 'date' : 'text'} onChange={onChange} {...(hint ? { hint } : {})} />;
}
