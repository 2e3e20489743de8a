import { MPP_REGENCIES, PROVINCES } from '@simpul/identifiers';
import type { FamilyCardRow } from '../../db/schema';

/** The address printed on a family card: every member's registered address. */
export type FamilyCardAddress = Pick<
  FamilyCardRow,
  'street' | 'rt' | 'rw' | 'village' | 'districtCode' | 'districtName' | 'regencyCode' | 'regencyName' | 'provinceCode' | 'provinceName' | 'postalCode'
>;

export function addressOfFamilyCard(card: FamilyCardRow): FamilyCardAddress {
  const { street, rt, rw, village, districtCode, districtName, regencyCode, regencyName, provinceCode, provinceName, postalCode } = card;
  return { street, rt, rw, village, districtCode, districtName, regencyCode, regencyName, provinceCode, provinceName, postalCode };
}

export const ADDRESS_EXAMPLE = 'Jl. Merdeka No. 10, RT 002/RW 005, Kel. Babakan, Kec. Bogor Tengah, Kota Bogor 16128';

export type AddressReading = { ok: true; address: FamilyCardAddress } | { ok: false; reason: string };

const normalise = (text: string) => text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

const RT_RW = /\bRT\.?\s*:?\s*(\d{1,3})\s*[/,]?\s*RW\.?\s*:?\s*(\d{1,3})\b/i;
const VILLAGE = /^(?:kelurahan\s+|kel\.\s*|kel\s+|desa\s+|ds\.\s*)(.+)$/i;
const DISTRICT = /^(?:kecamatan\s+|kec\.\s*|kec\s+)(.+)$/i;
const REGENCY = /^(?:kabupaten\s+|kab\.\s*|kab\s+|kota\s+)(.+)$/i;
const POSTAL_CODE = /\b(\d{5})\b/g;

/**
 * Reads a new address as a counter officer types it into one field: street, RT/RW, kelurahan/desa,
 * kecamatan (a district of a regency this registry serves) and postal code, comma-separated, e.g.
 * `Jl. Merdeka No. 10, RT 002/RW 005, Kel. Babakan, Kec. Bogor Tengah, Kota Bogor 16128`.
 * A family card needs every part; what is missing or unknown is said in the reason.
 */
export function readAddress(text: string): AddressReading {
  const withoutPostalCode = (segment: string) => segment.replace(POSTAL_CODE, '').trim();
  const segments = text.split(',').map((segment) => segment.trim()).filter(Boolean);
  const rtRw = RT_RW.exec(text);
  const postalCodes = [...text.matchAll(POSTAL_CODE)].map((match) => match[1]!);
  const labelled = (pattern: RegExp) =>
    segments.map((segment) => pattern.exec(withoutPostalCode(segment.replace(RT_RW, '')))?.[1]?.trim()).find((value) => value);
  const village = labelled(VILLAGE);
  const districtName = labelled(DISTRICT);
  const regencyName = labelled(REGENCY);
  const firstSegment = segments[0] ?? '';
  const street = [VILLAGE, DISTRICT, REGENCY].some((pattern) => pattern.test(firstSegment)) ? '' : firstSegment.replace(RT_RW, '').trim();

  const missing = [
    ...(street ? [] : ['the street (first, before a comma)']),
    ...(rtRw ? [] : ['RT/RW']),
    ...(village ? [] : ['the kelurahan/desa ("Kel." or "Desa")']),
    ...(districtName ? [] : ['the kecamatan ("Kec.")']),
    ...(postalCodes.length > 0 ? [] : ['the 5-digit postal code']),
  ];
  if (missing.length > 0) {
    return { ok: false, reason: `The new address is incomplete: it lacks ${missing.join(', ')}. Write it as "${ADDRESS_EXAMPLE}".` };
  }

  // "Kota Bogor" is the regency's name; "Kab. Siak" names the regency Siak.
  const bare = (name: string) => normalise(name).replace(/^kota /, '');
  const regencies = regencyName ? MPP_REGENCIES.filter((regency) => bare(regency.name) === bare(regencyName)) : MPP_REGENCIES;
  const districts = regencies.flatMap((regency) =>
    regency.districts.filter((district) => normalise(district.name) === normalise(districtName!)).map((district) => ({ regency, district })),
  );
  if (districts.length !== 1) {
    const where = regencyName ? ` in ${regencyName}` : '';
    const served = MPP_REGENCIES.map((r) => r.name).join(', ');
    const problem = districts.length === 0 ? `is not a kecamatan${where} that this registry serves (${served})` : 'names a kecamatan in more than one regency: add the kabupaten/kota';
    return { ok: false, reason: `The new address's kecamatan "${districtName}" ${problem}.` };
  }
  const { regency, district } = districts[0]!;
  return {
    ok: true,
    address: {
      street,
      rt: rtRw![1]!.padStart(3, '0'),
      rw: rtRw![2]!.padStart(3, '0'),
      village: village!,
      districtCode: district.code,
      districtName: district.name,
      regencyCode: regency.code,
      regencyName: regency.name,
      provinceCode: regency.provinceCode,
      provinceName: PROVINCES[regency.provinceCode] ?? '',
      postalCode: postalCodes[postalCodes.length - 1]!,
    },
  };
}

export function isSameAddress(a: FamilyCardAddress, b: FamilyCardAddress): boolean {
  return a.districtCode === b.districtCode && a.rt === b.rt && a.rw === b.rw && normalise(a.village) === normalise(b.village) && normalise(a.street) === normalise(b.street);
}
