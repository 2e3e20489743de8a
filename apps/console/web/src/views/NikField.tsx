import { parseNik } from '@simpul/identifiers';
import { useId } from 'react';
import { useI18n } from '../i18n';
import { ruleMessage } from '../rules';

/** The rule a NIK typed so far breaks (undefined while it is still being typed and fine so far, or valid). */
export function nikProblem(value: string, complete: boolean): string | undefined {
  if (value === '') return undefined;
  if (/\D/.test(value)) return 'NIK_DIGITS';
  if (value.length < 16 && !complete) return undefined;
  const parsed = parseNik(value);
  return parsed.ok ? undefined : parsed.rule;
}

/**
 * A NIK input validated as it is typed with the server's own validator (packages/identifiers), the
 * rule always shown beneath it, and the first broken rule (or the server's) next to it.
 */
export function NikField(props: { label: string; value: string; onChange(value: string): void; serverError?: string; complete?: boolean; name?: string }) {
  const i18n = useI18n();
  const id = useId();
  const problem = nikProblem(props.value, props.complete ?? false);
  const error = props.serverError ?? (problem ? ruleMessage(problem, i18n.language) : undefined);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name ?? 'nik'}
        inputMode="numeric"
        autoComplete="off"
        maxLength={16}
        value={props.value}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-rule${error ? ` ${id}-error` : ''}`}
        onChange={(e) => props.onChange(e.target.value.replace(/\s/g, ''))}
      />
      <p id={`${id}-rule`} className="hint">
        {i18n.t('nikRule')}
      </p>
      {error && (
        <p id={`${id}-error`} className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
