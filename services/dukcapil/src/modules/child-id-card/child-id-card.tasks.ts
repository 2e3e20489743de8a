import { matchesCivilRegistryNumber, parseTaskInputs, type ApprovalReadback, type TaskDecision, type TaskClock } from '@simpul/events';
import { familyCardNumberInput } from '@simpul/identifiers';
import { z } from 'zod';
import { addYears, ageOn, dayBefore } from '../citizen/age';
import { sameName } from '../birth-certificate/birth-certificate.repository';
import { findFamilyCardsByNumber, findMembersOfFamilyCards } from '../family-card/family-card.repository';
import { changesOf, reportFamilyCardLookup, reportReads, type AuditedField } from '../task/task-audit';
import type { DukcapilTaskHandler } from '../task/task-handler';
import { issuedDocument, issuedDocumentsInput, nameInput } from '../task/task-inputs';
import { findChildIdCardForUpdate, saveChildIdCard } from './child-id-card.repository';

const issueChildIdCardInputs = z.object({ familyCardNumber: familyCardNumberInput, childName: nameInput, issuedDocuments: issuedDocumentsInput });

/** KIA holders are under 17; a card issued before 5 runs to the 5th birthday, later ones to the 17th. */
const KIA_AGE_LIMIT = 17;
const TODDLER_CARD_AGE = 5;

/** A KIA issued to a child: a first card, or one replacing the last (same number, the child's NIK). */
const NEW_CARD_FIELDS: readonly AuditedField[] = ['Citizen.childIdCard', 'ChildIdCard.number', 'ChildIdCard.issuedOn', 'ChildIdCard.validUntil'];
const REPLACED_CARD_FIELDS: readonly AuditedField[] = ['Citizen.childIdCard', 'ChildIdCard.issuedOn', 'ChildIdCard.validUntil'];

const rejected = (reason: string): TaskDecision => ({ status: 'REJECTED', reason });

export function createChildIdCardTaskHandlers(clock: TaskClock): Record<'ISSUE_CHILD_ID_CARD', DukcapilTaskHandler> {
  return {
    /**
     * KIA (Kartu Identitas Anak) for a child under 17 on the family card; its number is the child's NIK.
     * Reports what it reads of the card and the child (whether they hold a KIA, and until when), and
     * the new card as a CHANGE of the child's Citizen.childIdCard.
     */
    async ISSUE_CHILD_ID_CARD(task, tx, audit) {
      const inputs = parseTaskInputs(task, issueChildIdCardInputs);
      const today = clock.today();
      const [card] = await findFamilyCardsByNumber(tx, [inputs.familyCardNumber]);
      if (!card) return rejected('Dukcapil has no family card (KK) with the given number. Check the number printed on the KK.');
      const members = await findMembersOfFamilyCards(tx, [card.number]);
      reportFamilyCardLookup(audit, card, ['FamilyCard.number', 'FamilyCard.members']);
      // The NIK issued by the step that added the child to the card, when there was one, says who is meant.
      const issuedNik = issuedDocument(inputs.issuedDocuments, 'NIK');
      for (const member of members) reportReads(audit, member.nik, [issuedNik ? 'FamilyMember.nik' : 'FamilyMember.fullName']);
      // It comes masked through the shared status topic (its last four digits): with the name it is unambiguous on one card.
      const candidates = issuedNik
        ? members.filter((member) => matchesCivilRegistryNumber(member.nik, issuedNik) && (issuedNik === member.nik || sameName(member.fullName, inputs.childName)))
        : members.filter((member) => sameName(member.fullName, inputs.childName));
      if (candidates.length === 0) return rejected(`No one named ${inputs.childName} is on the given family card. Add the child to the KK first.`);
      if (candidates.length > 1) return rejected(`More than one member of the given family card is named ${inputs.childName}; the counter must say which child is meant.`);
      const child = candidates[0]!;
      reportReads(audit, child.nik, ['FamilyMember.nik', 'FamilyMember.fullName']);
      if (!sameName(child.fullName, inputs.childName)) {
        return rejected(`The child added to the family card is registered as ${child.fullName}, not ${inputs.childName}.`);
      }
      if (child.diedOn) return rejected(`Dukcapil records ${child.fullName} as deceased since ${child.diedOn}.`);
      reportReads(audit, child.nik, ['Citizen.birthDate']);
      const age = ageOn(child.birthDate, today);
      if (age >= KIA_AGE_LIMIT) return rejected(`${child.fullName} is ${age}: a KIA is for children under ${KIA_AGE_LIMIT}; record an e-KTP instead.`);
      const current = await findChildIdCardForUpdate(tx, child.nik);
      reportReads(audit, child.nik, current ? ['Citizen.childIdCard', 'ChildIdCard.validUntil'] : ['Citizen.childIdCard']);
      if (current && current.validUntil >= today) return rejected(`${child.fullName} already holds a KIA, valid until ${current.validUntil}.`);

      const validUntil = dayBefore(addYears(child.birthDate, age < TODDLER_CARD_AGE ? TODDLER_CARD_AGE : KIA_AGE_LIMIT));
      await audit.recordChanges(changesOf(child.nik, current ? REPLACED_CARD_FIELDS : NEW_CARD_FIELDS));
      await saveChildIdCard(tx, { nik: child.nik, issuedOn: today, validUntil });
      return { status: 'APPROVED', documents: [{ kind: 'CHILD_ID_CARD', number: child.nik }], note: `KIA valid until ${validUntil}.` };
    },
  };
}

/** What a stored approval answers again: the KIA's number (the child's NIK) and, in its note, its last valid day. */
export const childIdCardTaskReadbacks: Record<'ISSUE_CHILD_ID_CARD', ApprovalReadback> = {
  ISSUE_CHILD_ID_CARD(_task, approval, audit) {
    const childNik = issuedDocument(approval.documents, 'CHILD_ID_CARD');
    if (childNik) reportReads(audit, childNik, ['Citizen.nik', 'Citizen.childIdCard', 'ChildIdCard.number', 'ChildIdCard.validUntil']);
  },
};
