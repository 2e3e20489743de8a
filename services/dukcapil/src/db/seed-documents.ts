import { DEFAULT_TODAY, type SyntheticCitizen, type World } from '@simpul/synthetic-data';
import { addYears, ageOn, dayBefore } from '../modules/citizen/age';
import { ddmmyyyy } from '../modules/registry-numbers/registry-numbers';
import type { birthCertificates, childIdCards } from './schema';

/** KIAs have been issued since the programme began in 2016 (Permendagri 2/2016). */
const KIA_PROGRAMME_START = '2016-01-19';
const TODDLER_CARD_AGE = 5;
const KIA_AGE_LIMIT = 17;
/** Share (in tenths) of eligible children holding a KIA: not every family has applied for one. */
const KIA_COVERAGE_TENTHS = 7;

export interface SeededDocuments {
  birthCertificates: (typeof birthCertificates.$inferInsert)[];
  childIdCards: (typeof childIdCards.$inferInsert)[];
}

/** A stable number 0..9 per NIK (FNV-1a), so the same world always gets the same documents. */
function digitOf(nik: string): number {
  let hash = 0x811c9dc5;
  for (const char of nik) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash % 10;
}

const daysAfter = (isoDate: string, days: number) => new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const earliest = (a: string, b: string) => (a < b ? a : b);
const latest = (a: string, b: string) => (a > b ? a : b);

/**
 * The akta kelahiran and KIAs Dukcapil holds for the synthetic world (which has none of its own):
 * - a birth certificate for every child whose mother is on the child's family card (the spouse, or a
 *   woman heading the card), naming the head as father when the mother is his spouse; issued in the
 *   card's regency within weeks of the birth, and no later than the card the child is on;
 * - the last KIA of most children who were under 17 since 2016: the toddler card (to the 5th
 *   birthday) for those under 5 on `today`, otherwise the card issued at 5 (to the 17th birthday),
 *   expired for those who have turned 17 since.
 */
export function seededDocuments(world: Pick<World, 'citizens' | 'familyCards'>, today = DEFAULT_TODAY): SeededDocuments {
  const cardByNumber = new Map(world.familyCards.map((card) => [card.number, card]));
  const membersByCard = new Map<string, SyntheticCitizen[]>();
  for (const citizen of world.citizens) membersByCard.set(citizen.familyCardNumber, [...(membersByCard.get(citizen.familyCardNumber) ?? []), citizen]);
  const serials = new Map<string, number>();

  const certificates: SeededDocuments['birthCertificates'] = [];
  for (const child of world.citizens) {
    if (child.familyRelationship !== 'CHILD') continue;
    const card = cardByNumber.get(child.familyCardNumber)!;
    const members = membersByCard.get(card.number)!;
    const head = members.find((member) => member.familyRelationship === 'HEAD');
    const spouse = members.find((member) => member.familyRelationship === 'SPOUSE' && member.sex === 'FEMALE');
    const mother = spouse ?? (head?.sex === 'FEMALE' ? head : undefined);
    if (!mother) continue;
    const father = spouse && head?.sex === 'MALE' ? head : undefined;
    const issuedOn = earliest(daysAfter(child.birthDate, 7 + 5 * digitOf(child.nik)), latest(card.issuedOn, child.birthDate));
    const prefix = `${card.address.regencyCode}-LU-${ddmmyyyy(issuedOn)}-`;
    const serial = (serials.get(prefix) ?? 0) + 1;
    serials.set(prefix, serial);
    certificates.push({
      number: `${prefix}${String(serial).padStart(4, '0')}`,
      childName: child.fullName,
      childSex: child.sex,
      childBirthDate: child.birthDate,
      birthPlace: child.birthPlace,
      motherNik: mother.nik,
      fatherNik: father?.nik ?? null,
      familyCardNumber: card.number,
      issuedOn,
      childNik: child.nik,
    });
  }

  const cards: SeededDocuments['childIdCards'] = [];
  for (const citizen of world.citizens) {
    if (citizen.birthDate > today || digitOf(citizen.nik) >= KIA_COVERAGE_TENTHS) continue;
    const toddler = ageOn(citizen.birthDate, today) < TODDLER_CARD_AGE;
    const from = toddler ? daysAfter(citizen.birthDate, 30) : daysAfter(addYears(citizen.birthDate, TODDLER_CARD_AGE), 30);
    const issuedOn = earliest(latest(from, KIA_PROGRAMME_START), today);
    const validUntil = dayBefore(addYears(citizen.birthDate, toddler ? TODDLER_CARD_AGE : KIA_AGE_LIMIT));
    if (issuedOn > validUntil) continue;
    cards.push({ nik: citizen.nik, issuedOn, validUntil });
  }
  return { birthCertificates: certificates, childIdCards: cards };
}
