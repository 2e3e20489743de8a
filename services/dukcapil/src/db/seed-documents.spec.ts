import { DEFAULT_TODAY, generateWorld } from '@simpul/synthetic-data';
import { addYears, ageOn, dayBefore } from '../modules/citizen/age';
import { BIRTH_CERTIFICATE_NUMBER } from '../modules/registry-numbers/registry-numbers';
import { seededDocuments } from './seed-documents';

const world = generateWorld({ citizens: 400, seed: 11 });
const documents = seededDocuments(world);
const citizenByNik = new Map(world.citizens.map((citizen) => [citizen.nik, citizen]));
const cardByNumber = new Map(world.familyCards.map((card) => [card.number, card]));

describe('the birth certificates and KIAs seeded for the synthetic world', () => {
  it('are the same for the same world', () => {
    expect(seededDocuments(generateWorld({ citizens: 400, seed: 11 }))).toEqual(documents);
  });

  it('give each child whose mother is on their card one certificate, numbered in the card’s regency, before the card', () => {
    const children = world.citizens.filter((citizen) => citizen.familyRelationship === 'CHILD');
    expect(documents.birthCertificates.length).toBeGreaterThan(children.length / 2);
    expect(new Set(documents.birthCertificates.map((certificate) => certificate.number)).size).toBe(documents.birthCertificates.length);
    expect(new Set(documents.birthCertificates.map((certificate) => certificate.childNik)).size).toBe(documents.birthCertificates.length);
    for (const certificate of documents.birthCertificates) {
      const child = citizenByNik.get(certificate.childNik!)!;
      const mother = citizenByNik.get(certificate.motherNik)!;
      const card = cardByNumber.get(child.familyCardNumber)!;
      expect(certificate).toMatchObject({ childName: child.fullName, childSex: child.sex, childBirthDate: child.birthDate, birthPlace: child.birthPlace, familyCardNumber: card.number });
      expect(certificate.number).toMatch(BIRTH_CERTIFICATE_NUMBER);
      expect(certificate.number.startsWith(`${card.address.regencyCode}-LU-`)).toBe(true);
      expect([child.familyRelationship, mother.sex, mother.familyCardNumber]).toEqual(['CHILD', 'FEMALE', card.number]);
      if (certificate.fatherNik) expect([certificate.fatherNik, mother.familyRelationship]).toEqual([card.headNik, 'SPOUSE']);
      expect(certificate.issuedOn >= child.birthDate && certificate.issuedOn <= card.issuedOn).toBe(true);
    }
    expect(documents.birthCertificates.some((certificate) => certificate.fatherNik !== null)).toBe(true);
  });

  it('give most children under 17 since 2016 their last KIA: to the 5th birthday under 5, else to the 17th', () => {
    const eligible = world.citizens.filter((citizen) => addYears(citizen.birthDate, 17) > '2016-01-19');
    expect(documents.childIdCards.length).toBeGreaterThan(eligible.length / 2);
    expect(documents.childIdCards.length).toBeLessThan(eligible.length);
    for (const card of documents.childIdCards) {
      const holder = citizenByNik.get(card.nik)!;
      const toddler = ageOn(holder.birthDate, DEFAULT_TODAY) < 5;
      expect(card.validUntil).toBe(dayBefore(addYears(holder.birthDate, toddler ? 5 : 17)));
      expect(card.issuedOn >= '2016-01-19' && card.issuedOn <= card.validUntil && card.issuedOn <= DEFAULT_TODAY).toBe(true);
      if (!toddler) expect(card.issuedOn >= addYears(holder.birthDate, 5)).toBe(true);
    }
    // Some have expired since (their holders turned 17), some are current.
    expect(documents.childIdCards.some((card) => card.validUntil < DEFAULT_TODAY)).toBe(true);
    expect(documents.childIdCards.some((card) => card.validUntil >= DEFAULT_TODAY)).toBe(true);
  });
});
