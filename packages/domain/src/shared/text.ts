// Printable ASCII holds no diacritic but ^ and `: such text skips Unicode normalisation, the
// costly part when imports fold hundreds of thousands of names.
const PLAIN = /^[\x20-\x5d\x5f\x61-\x7e]*$/;

/** Lower case without accents, white space collapsed: what sorting, searching and matching compare. */
export const fold = (value: string): string =>
  (PLAIN.test(value) ? value : value.normalize('NFD').replace(/\p{Diacritic}/gu, '')).toLowerCase().replace(/\s+/g, ' ').trim();
