import { parseTaskInputs, type ApprovalReadback, type TaskDecision, type TaskClock } from '@simpul/events';
import { familyCardNumberInput, isoDateInput, nikInput } from '@simpul/identifiers';
import { z } from 'zod';
import type { BirthCertificateRow } from '../../db/schema';
import { findBirthCertificate, findPendingBirthCertificates, recordChildNik, sameName } from '../birth-certificate/birth-certificate.repository';
import { findCitizenForUpdate, findCitizensByNik, insertCitizen, updateCitizen, type CitizenRecord } from '../citizen/citizen.repository';
import { notRegisteredAlive } from '../citizen/citizen.service';
import { issueNik } from '../registry-numbers/registry-numbers';
import { BIRTH_CERTIFICATE_FIELDS, changesOf, NEW_FAMILY_CARD_FIELDS, REISSUED_MEMBERS_FIELDS, reportFamilyCardLookup, reportReads, reportRegistrationCheck, type AuditedField } from '../task/task-audit';
import type { DukcapilTaskHandler } from '../task/task-handler';
import { issuedDocument, issuedDocumentsInput, nameInput, sexInput } from '../task/task-inputs';
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

/** Everything a new citizen record holds, as the SDL exposes it: a newborn's, created with their NIK. */
const NEW_CITIZEN_FIELDS: readonly AuditedField[] = [
  'Citizen.nik',
  'Citizen.fullName',
  'Citizen.birthPlace',
  'Citizen.birthDate',
  'Citizen.sex',
  'Citizen.religion',
  'Citizen.maritalStatus',
  'Citizen.occupation',
  'Citizen.address',
  'Citizen.familyCard',
  'FamilyMember.nik',
  'FamilyMember.fullName',
  'FamilyMember.relationship',
];

/** What a newborn's record says until it changes. */
const NEWBORN_OCCUPATION = 'BELUM/TIDAK BEKERJA';

const rejected = (reason: string): TaskDecision => ({ status: 'REJECTED', reason });

export function createFamilyCardTaskHandlers(clock: TaskClock): Record<'ISSUE_FAMILY_CARD' | 'UPDATE_FAMILY_CARD', DukcapilTaskHandler> {
  return {
    /**
     * After the KUA registered the marriage: a new KK for the couple at the groom's address, the groom
     * as head and the bride as spouse, both recorded MARRIED and taken off their previous cards.
     */
    async ISSUE_FAMILY_CARD(task, tx, audit) {
      const inputs = parseTaskInputs(task, issueFamilyCardInputs);
      // Locked in NIK order, so two tasks about the same people cannot deadlock.
      const [first, second] = [inputs.groomNik, inputs.brideNik].sort();
      const locked = new Map([[first!, await findCitizenForUpdate(tx, first!)], [second!, await findCitizenForUpdate(tx, second!)]]);
      const groom = locked.get(inputs.groomNik);
      const bride = locked.get(inputs.brideNik);
      reportRegistrationCheck(audit, inputs.groomNik, groom);
      reportRegistrationCheck(audit, inputs.brideNik, bride);
      const problem = notRegisteredAlive(groom, 'the groom') ?? notRegisteredAlive(bride, 'the bride');
      if (problem || !groom || !bride) return rejected(problem!);
      for (const spouse of [groom, bride]) reportReads(audit, spouse.nik, ['Citizen.sex', 'Citizen.maritalStatus']);
      // A refusal naming a spouse discloses their name too.
      const rejectedNaming = (spouse: CitizenRecord, reason: string): TaskDecision => {
        reportReads(audit, spouse.nik, ['Citizen.fullName']);
        return rejected(reason);
      };
      if (groom.sex !== 'MALE') return rejectedNaming(groom, `Dukcapil records the groom (${groom.fullName}) as female.`);
      if (bride.sex !== 'FEMALE') return rejectedNaming(bride, `Dukcapil records the bride (${bride.fullName}) as male.`);
      for (const [who, spouse] of [['groom', groom], ['bride', bride]] as const) {
        if (spouse.maritalStatus === 'MARRIED') {
          return rejectedNaming(
            spouse,
            `Dukcapil records the ${who} (${spouse.fullName}) as already married; the earlier marriage must be ended in the registry (divorce or death) first.`,
          );
        }
      }
      const marriageCertificate = issuedDocument(inputs.issuedDocuments, 'MARRIAGE_CERTIFICATE');
      if (!marriageCertificate) return rejected('No marriage certificate (Akta Nikah) from the KUA came with the request: the couple\'s family card is issued on a registered marriage.');

      const today = clock.today();
      const address = addressOfFamilyCard(groom.familyCard);
      reportReads(audit, groom.nik, ['Citizen.address', 'Citizen.familyCard']);
      reportReads(audit, bride.nik, ['Citizen.familyCard']);
      // Both are recorded on a card created for them: its address becomes theirs (the groom's too, though it reads the same).
      const couple: readonly AuditedField[] = ['Citizen.address', 'Citizen.familyCard', 'Citizen.maritalStatus', 'FamilyMember.relationship', ...NEW_FAMILY_CARD_FIELDS];
      await audit.recordChanges([...changesOf(groom.nik, couple), ...changesOf(bride.nik, couple)]);
      await leaveFamilyCards(tx, [groom, bride], today, audit);
      const number = await startFamilyCard(tx, { headNik: groom.nik, address, issuedOn: today });
      await updateCitizen(tx, groom.nik, { familyCardNumber: number, familyRelationship: 'HEAD', maritalStatus: 'MARRIED' });
      await updateCitizen(tx, bride.nik, { familyCardNumber: number, familyRelationship: 'SPOUSE', maritalStatus: 'MARRIED' });
      // The note goes out on the shared status topic: it names no address (the counter reads it in the graph).
      return {
        status: 'APPROVED',
        documents: [{ kind: 'FAMILY_CARD', number }],
        note: `Family card issued at the groom's registered address on marriage certificate ${marriageCertificate}.`,
      };
    },

    /** Adds a child with a birth certificate to the family card, with a new NIK, and reissues the card. */
    async UPDATE_FAMILY_CARD(task, tx, audit) {
      const inputs = parseTaskInputs(task, updateFamilyCardInputs);
      const today = clock.today();
      const card = await findFamilyCardForUpdate(tx, inputs.familyCardNumber);
      if (!card) return rejected('Dukcapil has no family card (KK) with the given number. Check the number printed on the KK.');
      reportFamilyCardLookup(audit, card);
      // A birth certificate is the child's data: until the child has a NIK, its checks read no one's
      // fields; one already given to a child (childNik) is read of that child.

      const certificateNumber = issuedDocument(inputs.issuedDocuments, 'BIRTH_CERTIFICATE');
      let certificate: BirthCertificateRow | undefined;
      if (certificateNumber) {
        certificate = await findBirthCertificate(tx, certificateNumber);
        if (!certificate) return rejected(`Birth certificate ${certificateNumber} is not in Dukcapil's register.`);
        if (certificate.childNik) reportReads(audit, certificate.childNik, ['Citizen.birthCertificate', 'BirthCertificate.number']);
        if (certificate.familyCardNumber !== card.number) return rejected(`Birth certificate ${certificate.number} was issued for a child of another family card.`);
      } else {
        const pending = await findPendingBirthCertificates(tx, card.number, inputs.childBirthDate, inputs.childName);
        if (pending.length > 1) return rejected(`More than one birth certificate names ${inputs.childName}, born ${inputs.childBirthDate}, on this family card; the counter must say which.`);
        certificate = pending[0];
        if (!certificate) {
          return rejected(`No birth certificate for ${inputs.childName}, born ${inputs.childBirthDate}, was issued for this family card: a child is added to a KK on their birth certificate.`);
        }
      }
      if (certificate.childNik) reportReads(audit, certificate.childNik, ['BirthCertificate.fullName', 'BirthCertificate.sex', 'BirthCertificate.birthDate']);
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
      for (const parent of parents) reportReads(audit, parent.nik, ['Citizen.familyCard', 'FamilyMember.relationship']);
      if (mother) reportReads(audit, mother.nik, ['Citizen.religion']);
      else if (head) reportReads(audit, head.nik, ['Citizen.religion']);
      reportFamilyCardLookup(audit, card, ['FamilyCard.members', 'FamilyCard.address']);
      const nik = await issueNik(tx, { districtCode: card.districtCode, birthDate: certificate.childBirthDate, sex: certificate.childSex });
      // The newborn's record is created with their new NIK, their birth certificate becomes theirs, and
      // every member's card is reissued with them on it.
      await audit.recordChanges([
        ...changesOf(nik, [...NEW_CITIZEN_FIELDS, ...BIRTH_CERTIFICATE_FIELDS, ...REISSUED_MEMBERS_FIELDS]),
        ...members.flatMap((member) => changesOf(member.nik, REISSUED_MEMBERS_FIELDS)),
      ]);
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

/** What a stored approval answers again: ISSUE_FAMILY_CARD the couple's card and its address; UPDATE_FAMILY_CARD the newborn's NIK and card. */
export const familyCardTaskReadbacks: Record<'ISSUE_FAMILY_CARD' | 'UPDATE_FAMILY_CARD', ApprovalReadback> = {
  ISSUE_FAMILY_CARD(task, _approval, audit) {
    const { groomNik, brideNik } = parseTaskInputs(task, issueFamilyCardInputs);
    reportReads(audit, groomNik, ['Citizen.familyCard', 'Citizen.address']);
    reportReads(audit, brideNik, ['Citizen.familyCard']);
  },
  UPDATE_FAMILY_CARD(_task, approval, audit) {
    const childNik = issuedDocument(approval.documents, 'NIK');
    if (childNik) reportReads(audit, childNik, ['Citizen.nik', 'Citizen.familyCard']);
  },
};
