import type { AuditRecorder, Database } from '@simpul/service-kit';
import type { CitizenRow, DukcapilSchema } from '../../db/schema';
import { ageOn } from '../citizen/age';
import { updateCitizen, type CitizenRecord } from '../citizen/citizen.repository';
import { issueFamilyCardNumber } from '../registry-numbers/registry-numbers';
import { changesOf, REISSUED_MEMBERS_FIELDS, reportReads } from '../task/task-audit';
import type { FamilyCardAddress } from './family-card-address';
import { findFamilyCardForUpdate, findMembersOfFamilyCards, insertFamilyCard, updateFamilyCard } from './family-card.repository';

const ADULT_AGE = 17;

/** A new family card at `address` headed by `headNik` (whose own record the caller moves onto it). */
export async function startFamilyCard(
  db: Database<DukcapilSchema>,
  card: { headNik: string; address: FamilyCardAddress; issuedOn: string },
): Promise<string> {
  const number = await issueFamilyCardNumber(db, { districtCode: card.address.districtCode, issuedOn: card.issuedOn });
  await insertFamilyCard(db, { number, headNik: card.headNik, issuedOn: card.issuedOn, ...card.address });
  return number;
}

/**
 * Takes `leavers` off their family cards (the caller moves them onto another). Each card is reissued
 * for those who stay; when its head leaves, the spouse heads it, or else the eldest adult, or else
 * the eldest member. A card nobody stays on is kept as it was: the registry does not erase history.
 * Reports to `audit` what it reads and changes of those who stay (the caller reports the leavers').
 */
export async function leaveFamilyCards(db: Database<DukcapilSchema>, leavers: readonly CitizenRecord[], today: string, audit: AuditRecorder): Promise<void> {
  const leaving = new Set(leavers.map((leaver) => leaver.nik));
  for (const number of new Set(leavers.map((leaver) => leaver.familyCardNumber))) {
    const card = (await findFamilyCardForUpdate(db, number))!;
    // The deceased stay on the card (history), so its reissue is theirs too; only the living can head it.
    const remaining = (await findMembersOfFamilyCards(db, [card.number])).filter((member) => !leaving.has(member.nik));
    const staying = remaining.filter((member) => !member.diedOn);
    if (staying.length === 0) continue;
    const changes = remaining.flatMap((member) => changesOf(member.nik, REISSUED_MEMBERS_FIELDS));
    let headNik = card.headNik;
    if (leaving.has(card.headNik)) {
      for (const member of staying) reportReads(audit, member.nik, ['FamilyMember.relationship', 'Citizen.birthDate']);
      headNik = successorOf(staying, today).nik;
      changes.push(...changesOf(headNik, ['FamilyMember.relationship']), ...remaining.flatMap((member) => changesOf(member.nik, ['FamilyCard.head'])));
    }
    await audit.recordChanges(changes);
    if (headNik !== card.headNik) await updateCitizen(db, headNik, { familyRelationship: 'HEAD' });
    await updateFamilyCard(db, card.number, { headNik, issuedOn: today });
  }
}

function successorOf(staying: readonly CitizenRow[], today: string): CitizenRow {
  const eldestFirst = [...staying].sort((a, b) => a.birthDate.localeCompare(b.birthDate));
  return (
    eldestFirst.find((member) => member.familyRelationship === 'SPOUSE') ??
    eldestFirst.find((member) => ageOn(member.birthDate, today) >= ADULT_AGE) ??
    eldestFirst[0]!
  );
}
