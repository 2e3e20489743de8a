import type { TaskDecision } from '@simpul/events';
import { z } from 'zod';
import type { BirthCertificateRow } from '../../db/schema';
import { findBirthCertificate, findPendingBirthCertificates, recordChildNik, sameName } from '../birth-certificate/birth-certificate.repository';
import { findCitizenForUpdate, findCitizensByNik, insertCitizen, updateCitizen } from '../citizen/citizen.repository';
import { notRegisteredAlive } from '../citizen/citizen.service';
import { issueNik } from '../registry-numbers/registry-numbers';
import type { DukcapilTaskHandler, TaskClock } from '../task/task-handler';
import { familyCardNumberInput, isoDateInput, issuedDocument, issuedDocumentsInput, nameInput, nikInput, parseTaskInputs, sexInput } from '../task/task-inputs';
import { addressOfFamilyCard } from './family-card-address';
import { findFamilyCardForUpdate, findMembersOfFamilyCards, updateFamilyCard } from './family-card.repository';
import { leaveFamilyCards, startFamilyCard } from './family-card.service';

const issueFamilyCardInputs = z
  .object({ groomNik: nikInput, brideNik: nikInput, issuedDocuments: issuedDocumentsInput })
  .refine((inputs) => inputs.groomNik !== inputs.brideNik, { message: 'groomNik and brideNik must differ', path: ['brideNik'] });

const updateFamilyCardInputs = z.object({
  familyCardNumber: familyCardNumberInput,
  childName: nameInput,
  childSex: sexInput,
  childBirthDate: isoDateInput,
  issuedDocuments: issuedDocumentsInput,
});

/** What a newborn's record says until it changes. */
const NEWBORN_OCCUPATION = 'BELUM/TIDAK BEKERJA';

const rejected = (reason: string): TaskDecision => ({ status: 'REJECTED', reason });

export function createFamilyCardTaskHandlers(clock: TaskClock): Record<'ISSUE_FAMILY_CARD' | 'UPDATE_FAMILY_CARD', DukcapilTaskHandler> {
  return {
    /**
     * After the KUA registered the marriage: a new KK for the couple at the groom's address, the groom
     * as head and the bride as spouse, both recorded MARRIED and taken off their previous cards.
     */
    async ISSUE_FAMILY_CARD(task, tx) {
      const inputs = parseTaskInputs(task, issueFamilyCardInputs);
      // Locked in NIK order, so two tasks about the same people cannot deadlock.
      const [first, second] = [inputs.groomNik, inputs.brideNik].sort();
      const locked = new Map([[first!, await findCitizenForUpdate(tx, first!)], [second!, await findCitizenForUpdate(tx, second!)]]);
      const groom = locked.get(inputs.groomNik);
      const bride = locked.get(inputs.brideNik);
      const problem = notRegisteredAlive(groom, 'the groom') ?? notRegisteredAlive(bride, 'the bride');
      if (problem || !groom || !bride) return rejected(problem!);
      if (groom.sex !== 'MALE') return rejected(`Dukcapil records the groom (${groom.fullName}) as female.`);
      if (bride.sex !== 'FEMALE') return rejected(`Dukcapil records the bride (${bride.fullName}) as male.`);
      for (const [who, spouse] of [['groom', groom], ['bride', bride]] as const) {
        if (spouse.maritalStatus === 'MARRIED') {
          return rejected(`Dukcapil records the ${who} (${spouse.fullName}) as already married; the earlier marriage must be ended in the registry (divorce or death) first.`);
        }
      }
      const marriageCertificate = issuedDocument(inputs.issuedDocuments, 'MARRIAGE_CERTIFICATE');
      if (!marriageCertificate) return rejected('No marriage certificate (Akta Nikah) from the KUA came with the request: the couple\'s family card is issued on a registered marriage.');

      const today = clock.today();
      const address = addressOfFamilyCard(groom.familyCard);
      await leaveFamilyCards(tx, [groom, bride], today);
      const number = await startFamilyCard(tx, { headNik: groom.nik, address, issuedOn: today });
      await updateCitizen(tx, groom.nik, { familyCardNumber: number, familyRelationship: 'HEAD', maritalStatus: 'MARRIED' });
      await updateCitizen(tx, bride.nik, { familyCardNumber: number, familyRelationship: 'SPOUSE', maritalStatus: 'MARRIED' });
      return {
        status: 'APPROVED',
        documents: [{ kind: 'FAMILY_CARD', number }],
        note: `Family card issued at the groom's address (${address.village}, Kecamatan ${address.districtName}) on marriage certificate ${marriageCertificate}.`,
      };
    },

    /** Adds a child with a birth certificate to the family card, with a new NIK, and reissues the card. */
    async UPDATE_FAMILY_CARD(task, tx) {
      const inputs = parseTaskInputs(task, updateFamilyCardInputs);
      const today = clock.today();
      const card = await findFamilyCardForUpdate(tx, inputs.familyCardNumber);
      if (!card) return rejected('Dukcapil has no family card (KK) with the given number. Check the number printed on the KK.');

      const certificateNumber = issuedDocument(inputs.issuedDocuments, 'BIRTH_CERTIFICATE');
      let certificate: BirthCertificateRow | undefined;
      if (certificateNumber) {
        certificate = await findBirthCertificate(tx, certificateNumber);
        if (!certificate) return rejected(`Birth certificate ${certificateNumber} is not in Dukcapil's register.`);
        if (certificate.familyCardNumber !== card.number) return rejected(`Birth certificate ${certificate.number} was issued for a child of another family card.`);
      } else {
        const pending = await findPendingBirthCertificates(tx, card.number, inputs.childBirthDate, inputs.childName);
        if (pending.length > 1) return rejected(`More than one birth certificate names ${inputs.childName}, born ${inputs.childBirthDate}, on this family card; the counter must say which.`);
        certificate = pending[0];
        if (!certificate) {
          return rejected(`No birth certificate for ${inputs.childName}, born ${inputs.childBirthDate}, was issued for this family card: a child is added to a KK on their birth certificate.`);
        }
      }
      const differences = [
        ...(sameName(certificate.childName, inputs.childName) ? [] : [`name ${certificate.childName}`]),
        ...(certificate.childSex === inputs.childSex ? [] : [`sex ${certificate.childSex}`]),
        ...(certificate.childBirthDate === inputs.childBirthDate ? [] : [`birth date ${certificate.childBirthDate}`]),
      ];
      if (differences.length > 0) return rejected(`The child's details differ from birth certificate ${certificate.number}, which records ${differences.join(', ')}.`);
      if (certificate.childNik) return rejected(`${certificate.childName} (birth certificate ${certificate.number}) is already on a family card.`);

      const parents = await findCitizensByNik(tx, [certificate.motherNik, ...(certificate.fatherNik ? [certificate.fatherNik] : [])]);
      const mother = parents.find((parent) => parent.nik === certificate.motherNik);
      const members = await findMembersOfFamilyCards(tx, [card.number]);
      const head = members.find((member) => member.nik === card.headNik);
      // A child of the head or spouse is the head's child; a grandchild (the head's child's child) is OTHER.
      const childOfCouple = parents.some((parent) => parent.familyCardNumber === card.number && ['HEAD', 'SPOUSE'].includes(parent.familyRelationship));
      const nik = await issueNik(tx, { districtCode: card.districtCode, birthDate: certificate.childBirthDate, sex: certificate.childSex });
      await insertCitizen(tx, {
        nik,
        fullName: certificate.childName,
        birthPlace: certificate.birthPlace,
        birthDate: certificate.childBirthDate,
        sex: certificate.childSex,
        religion: mother?.religion ?? head?.religion ?? 'OTHER',
        maritalStatus: 'SINGLE',
        occupation: NEWBORN_OCCUPATION,
        familyCardNumber: card.number,
        familyRelationship: childOfCouple ? 'CHILD' : 'OTHER',
      });
      await recordChildNik(tx, certificate.number, nik);
      await updateFamilyCard(tx, card.number, { issuedOn: today });
      return {
        status: 'APPROVED',
        documents: [
          { kind: 'NIK', number: nik },
          { kind: 'FAMILY_CARD', number: card.number },
        ],
      };
    },
  };
}
