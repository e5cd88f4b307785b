// COS speaks XML on the wire. Building and parsing go through fast-xml-parser; entities are escaped on output
// (ETags carry quotes, which COS sends as &quot;), and request bodies are validated before use.
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { CosError } from "./errors";

const builder = new XMLBuilder({});

export type XmlValue = string | number | boolean | XmlObject | XmlValue[] | undefined;
export interface XmlObject {
  [name: string]: XmlValue;
}

export function buildXml(root: string, content: XmlObject): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: content })}`;
}

/** Parses a request body, with every name in `arrays` always an array; malformed XML is COS's 400 MalformedXML. */
export function parseXmlBody(body: Buffer, arrays: readonly string[]): Record<string, unknown> {
  const text = body.toString("utf8");
  if (text.trim() === "" || XMLValidator.validate(text) !== true) {
    throw new CosError(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
  }
  const parser = new XMLParser({ parseTagValue: false, ignoreDeclaration: true, isArray: (name) => arrays.includes(name) });
  const parsed: unknown = parser.parse(text);
  if (typeof parsed !== "object" || parsed === null) throw new CosError(400, "MalformedXML", "The XML body is empty");
  return parsed as Record<string, unknown>;
}
