import { parseTaskInputs, type ApprovalReadback, type TaskDecision, type TaskClock } from '@simpul/events';
import { familyCardNumberInput, isoDateInput, nikInput } from '@simpul/identifiers';
import { z } from 'zod';
import { findCitizensByNik } from '../citizen/citizen.repository';
import { findFamilyCardsByNumber } from '../family-card/family-card.repository';
import { issueBirthCertificateNumber } from '../registry-numbers/registry-numbers';
import { reportFamilyCardLookup, reportReads } from '../task/task-audit';
import type { DukcapilTaskHandler } from '../task/task-handler';
import { nameInput, sexInput } from '../task/task-inputs';
import { findBirthCertificatesOfMother, insertBirthCertificate } from './birth-certificate.repository';

const issueBirthCertificateInputs = z.object({
  childName: nameInput,
  childSex: sexInput,
  childBirthDate: isoDateInput,
  birthPlace: z.string().trim().min(1).max(80),
  motherNik: nikInput,
  fatherNik: nikInput.optional(),
  familyCardNumber: familyCardNumberInput,
});

const rejected = (reason: string): TaskDecision => ({ status: 'REJECTED', reason });

export function createBirthCertificateTaskHandlers(clock: TaskClock): Record<'ISSUE_BIRTH_CERTIFICATE', DukcapilTaskHandler> {
  return {
    /**
     * Akta kelahiran for a child whose mother is on the given family card (the card the child will join).
     * Reports READs only: the certificate is the child's data (Citizen.birthCertificate), and the child
     * has no NIK yet; UPDATE_FAMILY_CARD gives them one and records the certificate, with the rest of
     * the newborn's record, as a CHANGE of theirs.
     */
    async ISSUE_BIRTH_CERTIFICATE(task, tx, audit) {
      const inputs = parseTaskInputs(task, issueBirthCertificateInputs);
      const today = clock.today();
      const [card] = await findFamilyCardsByNumber(tx, [inputs.familyCardNumber]);
      if (!card) return rejected('Dukcapil has no family card (KK) with the given number. Check the number printed on the KK.');
      reportFamilyCardLookup(audit, card);
      const parents = await findCitizensByNik(tx, [inputs.motherNik, ...(inputs.fatherNik ? [inputs.fatherNik] : [])]);
      reportReads(audit, inputs.motherNik, ['Citizen.nik']);
      if (inputs.fatherNik) reportReads(audit, inputs.fatherNik, ['Citizen.nik']);
      const mother = parents.find((parent) => parent.nik === inputs.motherNik);
      if (!mother) return rejected("Dukcapil has no citizen registered under the mother's NIK.");
      reportReads(audit, mother.nik, ['Citizen.sex']);
      if (mother.sex !== 'FEMALE') return rejected("The NIK given as the mother's is registered to a man.");
      reportReads(audit, mother.nik, ['Citizen.familyCard']);
      if (mother.familyCardNumber !== card.number) {
        reportReads(audit, mother.nik, ['Citizen.fullName']);
        return rejected(`The mother (${mother.fullName}) is not on the given family card. Give the number of the KK she is registered on.`);
      }
      if (inputs.fatherNik) {
        const father = parents.find((parent) => parent.nik === inputs.fatherNik);
        if (!father) return rejected("Dukcapil has no citizen registered under the father's NIK.");
        reportReads(audit, father.nik, ['Citizen.sex']);
        if (father.sex !== 'MALE') return rejected("The NIK given as the father's is registered to a woman.");
      }
      if (inputs.childBirthDate > today) return rejected(`The child's birth date ${inputs.childBirthDate} is in the future.`);
      reportReads(audit, mother.nik, ['Citizen.birthDate']);
      if (inputs.childBirthDate <= mother.birthDate) return rejected(`The child's birth date ${inputs.childBirthDate} is not after the mother's own.`);
      const [registered] = await findBirthCertificatesOfMother(tx, mother.nik, inputs.childBirthDate, inputs.childName);
      if (registered) {
        reportReads(audit, mother.nik, ['Citizen.fullName']);
        // The refusal names the certificate: the child's, once they have a NIK.
        if (registered.childNik) reportReads(audit, registered.childNik, ['Citizen.birthCertificate', 'BirthCertificate.number']);
        return rejected(`${inputs.childName}, born ${inputs.childBirthDate} to ${mother.fullName}, already has birth certificate ${registered.number}.`);
      }
      // The certificate is numbered in the regency of the card's (the mother's) address.
      reportReads(audit, mother.nik, ['Citizen.address']);

      const number = await issueBirthCertificateNumber(tx, { regencyCode: card.regencyCode, issuedOn: today });
      await insertBirthCertificate(tx, {
        number,
        childName: inputs.childName,
        childSex: inputs.childSex,
        childBirthDate: inputs.childBirthDate,
        birthPlace: inputs.birthPlace,
        motherNik: mother.nik,
        fatherNik: inputs.fatherNik ?? null,
        familyCardNumber: card.number,
        issuedOn: today,
      });
      return { status: 'APPROVED', documents: [{ kind: 'BIRTH_CERTIFICATE', number }] };
    },
  };
}

/**
 * What a stored approval answers again: the certificate number, which carries the regency of the
 * mother's address (the number itself is the child's BirthCertificate.number once they have a NIK,
 * which the stored approval does not say).
 */
export const birthCertificateTaskReadbacks: Record<'ISSUE_BIRTH_CERTIFICATE', ApprovalReadback> = {
  ISSUE_BIRTH_CERTIFICATE(task, _approval, audit) {
    reportReads(audit, parseTaskInputs(task, issueBirthCertificateInputs).motherNik, ['Citizen.address']);
  },
};
