import type { TaskDecision } from '@simpul/events';
import { z } from 'zod';
import { findCitizensByNik } from '../citizen/citizen.repository';
import { findFamilyCardsByNumber } from '../family-card/family-card.repository';
import { issueBirthCertificateNumber } from '../registry-numbers/registry-numbers';
import type { DukcapilTaskHandler, TaskClock } from '../task/task-handler';
import { familyCardNumberInput, isoDateInput, nameInput, nikInput, parseTaskInputs, sexInput } from '../task/task-inputs';
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
    /** Akta kelahiran for a child whose mother is on the given family card (the card the child will join). */
    async ISSUE_BIRTH_CERTIFICATE(task, tx) {
      const inputs = parseTaskInputs(task, issueBirthCertificateInputs);
      const today = clock.today();
      const [card] = await findFamilyCardsByNumber(tx, [inputs.familyCardNumber]);
      if (!card) return rejected('Dukcapil has no family card (KK) with the given number. Check the number printed on the KK.');
      const parents = await findCitizensByNik(tx, [inputs.motherNik, ...(inputs.fatherNik ? [inputs.fatherNik] : [])]);
      const mother = parents.find((parent) => parent.nik === inputs.motherNik);
      if (!mother) return rejected("Dukcapil has no citizen registered under the mother's NIK.");
      if (mother.sex !== 'FEMALE') return rejected("The NIK given as the mother's is registered to a man.");
      if (mother.familyCardNumber !== card.number) {
        return rejected(`The mother (${mother.fullName}) is not on the given family card. Give the number of the KK she is registered on.`);
      }
      if (inputs.fatherNik) {
        const father = parents.find((parent) => parent.nik === inputs.fatherNik);
        if (!father) return rejected("Dukcapil has no citizen registered under the father's NIK.");
        if (father.sex !== 'MALE') return rejected("The NIK given as the father's is registered to a woman.");
      }
      if (inputs.childBirthDate > today) return rejected(`The child's birth date ${inputs.childBirthDate} is in the future.`);
      if (inputs.childBirthDate <= mother.birthDate) return rejected(`The child's birth date ${inputs.childBirthDate} is not after the mother's own.`);
      const [registered] = await findBirthCertificatesOfMother(tx, mother.nik, inputs.childBirthDate, inputs.childName);
      if (registered) {
        return rejected(`${inputs.childName}, born ${inputs.childBirthDate} to ${mother.fullName}, already has birth certificate ${registered.number}.`);
      }

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
