import { parseTaskInputs, uuidv7, type ApprovalReadback, type TaskDecision } from '@simpul/events';
import { isoDateInput, nikInput } from '@simpul/identifiers';
import { z } from 'zod';
import { AUDITED_FIELDS, changesOf, reportReads, type AuditedField } from '../task/task-audit';
import type { ReligiousAffairsTaskHandler } from '../task/task-handler';
import type { CivilRegistry, CivilRecord } from './civil-registry';
import { issueMarriageCertificateNumber } from './marriage-certificate';
import { findActiveMarriagesOf, insertMarriage } from './marriage.repository';

const registerMarriageInputs = z
  .object({ groomNik: nikInput, brideNik: nikInput, marriageDate: isoDateInput })
  .refine((inputs) => inputs.groomNik !== inputs.brideNik, { message: 'groomNik and brideNik must differ', path: ['brideNik'] });

const rejected = (reason: string): TaskDecision => ({ status: 'REJECTED', reason });

/** What a registered marriage is, for each spouse: every field of the KUA's register it audits. */
const NEW_MARRIAGE_FIELDS: readonly AuditedField[] = AUDITED_FIELDS;

function civilRegistryObjection(who: 'groom' | 'bride', record: CivilRecord | null): string | undefined {
  if (!record) return `Dukcapil has no citizen registered under the ${who}'s NIK: the KUA registers marriages of registered residents only. Check the NIK against the e-KTP.`;
  if (record.maritalStatus === 'MARRIED') {
    return `Dukcapil records the ${who} as married. A marriage that has ended (divorce or death) must be recorded at Dukcapil before the KUA can register a new one.`;
  }
  return undefined;
}

export function createMarriageTaskHandlers(deps: { civilRegistry: CivilRegistry }): Record<'REGISTER_MARRIAGE', ReligiousAffairsTaskHandler> {
  return {
    /**
     * Registers the marriage and issues the Akta Nikah, at the KUA of the bride's kecamatan, when
     * neither the KUA's own register nor Dukcapil shows either spouse married.
     */
    async REGISTER_MARRIAGE(task, tx, audit) {
      const { groomNik, brideNik, marriageDate } = parseTaskInputs(task, registerMarriageInputs);
      const active = await findActiveMarriagesOf(tx, [groomNik, brideNik]);
      reportReads(audit, groomNik, ['Citizen.marriages']);
      reportReads(audit, brideNik, ['Citizen.marriages']);
      for (const [who, nik] of [['groom', groomNik], ['bride', brideNik]] as const) {
        const marriage = active.find((m) => m.husbandNik === nik || m.wifeNik === nik);
        if (marriage) {
          // The refusal gives that marriage's certificate: its record is both its parties'.
          for (const party of [marriage.husbandNik, marriage.wifeNik]) {
            reportReads(audit, party, ['Marriage.certificateNumber', 'Marriage.kuaOffice', 'Marriage.registeredAt']);
          }
          return rejected(
            `The KUA register shows the ${who} still married (Akta Nikah ${marriage.certificateNumber}, ${marriage.kuaOffice}, ${marriage.registeredAt}). A divorce or death must be recorded first.`,
          );
        }
      }
      // Dukcapil down: GatewayQueryError propagates and the task worker retries; it is not a refusal.
      // Dukcapil audits what it answers (as the KUA's service account, for this application): only
      // the KUA's own register is reported here.
      const { groom, bride } = await deps.civilRegistry.lookUpCouple(groomNik, brideNik, `application:${task.applicationId}`);
      const objection = civilRegistryObjection('groom', groom) ?? civilRegistryObjection('bride', bride);
      if (objection || !bride) return rejected(objection!);

      const kuaOffice = `KUA Kecamatan ${bride.district.name}`;
      const certificateNumber = await issueMarriageCertificateNumber(tx, { districtCode: bride.district.code, registeredAt: marriageDate });
      await audit.recordChanges([...changesOf(groomNik, NEW_MARRIAGE_FIELDS), ...changesOf(brideNik, NEW_MARRIAGE_FIELDS)]);
      await insertMarriage(tx, { id: uuidv7(), husbandNik: groomNik, wifeNik: brideNik, registeredAt: marriageDate, kuaOffice, certificateNumber });
      return {
        status: 'APPROVED',
        documents: [{ kind: 'MARRIAGE_CERTIFICATE', number: certificateNumber }],
        note: `Marriage registered at ${kuaOffice}.`,
      };
    },
  };
}

/** What a stored approval answers again: the couple's Akta Nikah number and the KUA that registered it. */
export const marriageTaskReadbacks: Record<'REGISTER_MARRIAGE', ApprovalReadback> = {
  REGISTER_MARRIAGE(task, _approval, audit) {
    const { groomNik, brideNik } = parseTaskInputs(task, registerMarriageInputs);
    for (const nik of [groomNik, brideNik]) reportReads(audit, nik, ['Marriage.certificateNumber', 'Marriage.kuaOffice']);
  },
};
