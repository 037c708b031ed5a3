/**
 * A tiny XML writer for the invoice CII: elements, attributes and text, every value escaped, the
 * same tree always written as the same bytes (attributes in the order given, two-space indent,
 * LF line ends). No namespace logic: names are written as given ("ram:ID").
 */
export interface XmlElement {
  name: string;
  attributes: [string, string][];
  children: XmlElement[];
  text: string | null;
}

/** Falsy children (an absent optional value, an empty string) are left out. */
type Child = XmlElement | null | undefined | false | '';

/** An element with children; optional parts read inline (`value && textEl(...)`). */
export function el(name: string, attributes: Record<string, string> | null, ...children: Child[]): XmlElement {
  return {
    name,
    attributes: attributes ? Object.entries(attributes) : [],
    children: children.filter((child): child is XmlElement => Boolean(child)),
    text: null,
  };
}

/** An element holding text only. */
export function textEl(name: string, text: string, attributes?: Record<string, string>): XmlElement {
  return { name, attributes: attributes ? Object.entries(attributes) : [], children: [], text };
}

// XML 1.0 allows tab, LF, CR and U+0020 upwards except surrogates (paired ones are fine in JS
// strings as code points) and U+FFFE/U+FFFF: anything else cannot be written, even escaped.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text or attribute value made safe: markup characters escaped, characters XML forbids dropped. */
export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML_CHAR, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Text content: only `&`, `<` and `>` (and `]]>`'s `>`) need escaping there; quotes stay readable. */
export function escapeXmlText(value: string): string {
  return value.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

const NAME = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$/;

function write(element: XmlElement, depth: number, out: string[]): void {
  if (!NAME.test(element.name)) throw new Error(`invalid XML name: ${element.name}`);
  const indent = '  '.repeat(depth);
  const attributes = element.attributes
    .map(([key, value]) => {
      if (!NAME.test(key)) throw new Error(`invalid XML attribute name: ${key}`);
      return ` ${key}="${escapeXml(value).replace(/\n/g, '&#10;')}"`;
    })
    .join('');
  if (element.text !== null) {
    out.push(`${indent}<${element.name}${attributes}>${escapeXmlText(element.text)}</${element.name}>\n`);
  } else if (element.children.length === 0) {
    out.push(`${indent}<${element.name}${attributes}/>\n`);
  } else {
    out.push(`${indent}<${element.name}${attributes}>\n`);
    for (const child of element.children) write(child, depth + 1, out);
    out.push(`${indent}</${element.name}>\n`);
  }
}

/** The document: UTF-8 declaration, then the root element. */
export function serializeXml(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  write(root, 0, out);
  return out.join('');
}
