/**
 * Size limits on what a verifier reads from untrusted JWTs, checked before anything else looks at the input
 * (no pattern, parser, resolver or signature check sees a string that broke them). Every check here is one
 * linear pass without recursion, so hostile input costs time proportional to its length and never more.
 *
 * The figures are far above what govcred issues (a credential JWT is 1.5–3 KB, a presentation of the most
 * credentials a request may ask for about 30 KB), and far below what would hurt.
 */
export const JWT_LIMITS = {
  /** Longest compact credential JWT (characters). @default 16384 */
  credentialJwtLength: 16_384,
  /**
   * Longest compact presentation JWT (characters): room for {@link JWT_LIMITS.credentialsPerPresentation}
   * credentials of the longest kind, base64url-encoded once more. @default 458752
   */
  presentationJwtLength: 458_752,
  /** Longest key proof JWT of OID4VCI (characters). @default 8192 */
  proofJwtLength: 8_192,
  /** Most credentials one presentation may carry (each costs a DID resolution and a signature check). @default 20 */
  credentialsPerPresentation: 20,
  /** Deepest nesting of objects and arrays in a JWT header or payload (the payload object is level 1). @default 16 */
  jsonDepth: 16,
  /** Most values (members and array elements, at any depth) in a JWT header or payload. @default 4096 */
  jsonValues: 4_096,
} as const;

/** Why a JSON text was refused by {@link checkJsonShape}. */
export type JsonShapeFailure = { ok: false; reason: 'too_deep' | 'too_many_values'; message: string };

/**
 * Checks the nesting depth and the number of values of a JSON text in one pass over its characters, before
 * it is parsed (JSON.parse is linear, but deep results overflow the stack of whatever walks them later:
 * JSON.stringify of a reply, a schema validator, a structured clone). Strings are skipped with their escapes;
 * the text need not be valid JSON (the parser judges that afterwards).
 */
export function checkJsonShape(text: string, maxDepth: number = JWT_LIMITS.jsonDepth, maxValues: number = JWT_LIMITS.jsonValues): { ok: true } | JsonShapeFailure {
  let depth = 0;
  let values = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = endOfString(text, i);
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return { ok: false, reason: 'too_deep', message: `JSON nested deeper than ${maxDepth} levels` };
      values++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    } else if (c === 0x2c /* , */) {
      values++;
    }
    if (values > maxValues) return { ok: false, reason: 'too_many_values', message: `JSON with more than ${maxValues} values` };
  }
  return { ok: true };
}

/**
 * The index of the quote closing the string opened at `open` (or the text's end when none does). Jumps from
 * quote to backslash with indexOf rather than looking at every character: most of a presentation's payload is
 * the string of its embedded credential JWT. Linear: both searches only move forward.
 */
function endOfString(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  let backslash = text.indexOf('\\', open + 1);
  while (quote >= 0 && backslash >= 0 && backslash < quote) {
    // An escape before the quote: skip the escaped character (which may be that very quote).
    const next = backslash + 2;
    if (quote < next) quote = text.indexOf('"', next);
    backslash = text.indexOf('\\', next);
  }
  return quote < 0 ? text.length : quote;
}

/**
 * Whether a parsed JSON value (e.g. a request body) nests objects and arrays deeper than `maxDepth` (the value
 * itself is level 1). Walks with an explicit stack, never recursion, and stops at the first level too deep:
 * whatever later walks the value recursively (JSON.stringify, structuredClone, a validator) overflows its
 * stack at a few thousand levels, which a 256 KB body easily reaches.
 */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** `value` as JSON for a problem message, cut to `max` characters: messages never echo large input. */
export function quoted(value: unknown, max = 60): string {
  let text: string;
  if (typeof value === 'string') text = value.length > max ? `${value.slice(0, max)}…` : value;
  else if (value === null || ['number', 'boolean', 'undefined'].includes(typeof value)) text = String(value);
  else text = Array.isArray(value) ? 'an array' : 'an object';
  return typeof value === 'string' ? JSON.stringify(text) : text;
}
