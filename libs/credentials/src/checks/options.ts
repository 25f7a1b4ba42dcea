import { getCredentialType } from '../catalog/registry.js';
import { coversClaimPath, type ClaimPath } from '../trust/claim-path.js';
import { COUNTER_PRESETS, askableClaims, type AskableClaim, type CheckLanguage, type CounterPreset, type CounterPresetId } from './presets.js';

/**
 * What a counter may ask, given what the verifier is registered for on chain: each preset enabled or disabled with
 * its reason, and per type the claims a composed check may use. The verifier refuses anything beyond the
 * registration anyway; this only keeps the page from offering it.
 */

/** Why the counter cannot ask something. */
export type CheckRefusal =
  /** The account's DID has no registration in force (or was never registered, or was withdrawn, …). */
  | 'not_registered'
  | 'withdrawn'
  | 'expired'
  | 'not_yet_valid'
  /** The chain mirror cannot vouch for the registration right now. */
  | 'unknown'
  /** The verifier holds no signing key of the account's DID: it cannot sign requests. */
  | 'no_signing_key'
  /** The registration does not name the preset's credential type. */
  | 'type_not_registered'
  /** The registration names the type but not every claim the preset asks. */
  | 'claims_not_registered';

/** The types and claim paths a registration allows (a mirror's registration: names where known). */
export type RegisteredScope = ReadonlyArray<{ type?: string; claims: readonly ClaimPath[] }>;

/** A preset as the page offers it. */
export interface PresetOption {
  id: CounterPresetId;
  type: string;
  typeLabels: Record<CheckLanguage, string>;
  labels: CounterPreset['labels'];
  parameter?: CounterPreset['parameter'];
  allowed: boolean;
  reason?: CheckRefusal;
  /** The claims it asks that the registration does not cover (for `claims_not_registered`). */
  refusedClaims?: AskableClaim[];
}

/** A type a check may be composed of, with only the claims the registration allows. */
export interface ComposeOption {
  type: string;
  typeLabels: Record<CheckLanguage, string>;
  claims: AskableClaim[];
}

/** What the counter page offers. */
export interface CounterOptions {
  presets: PresetOption[];
  compose: ComposeOption[];
}

function typeLabels(type: string): Record<CheckLanguage, string> {
  const definition = getCredentialType(type);
  return { 'zh-CN': definition?.labels['zh-CN'].name ?? type, en: definition?.labels.en.name ?? type };
}

/** The registered paths of `type` (undefined when the type is not registered at all). */
function registeredPaths(scope: RegisteredScope, type: string): ClaimPath[] | undefined {
  const entries = scope.filter((entry) => entry.type === type);
  return entries.length > 0 ? entries.flatMap((entry) => [...entry.claims]) : undefined;
}

/** Whether a registered path covers `path` (a registration for the whole credential is `[]` and covers all). */
const covered = (registered: readonly ClaimPath[], path: readonly string[]) => registered.some((r) => coversClaimPath(r, path));

/**
 * The counter's options for a verifier registered for `scope`, or refused for every check (`refusal`: the
 * account has no registration in force, or no signing key).
 */
export function counterOptions(input: { scope: RegisteredScope } | { refusal: CheckRefusal }): CounterOptions {
  const presets = COUNTER_PRESETS.map((preset): PresetOption => {
    const base = { id: preset.id, type: preset.type, typeLabels: typeLabels(preset.type), labels: preset.labels, ...(preset.parameter ? { parameter: preset.parameter } : {}) };
    if ('refusal' in input) return { ...base, allowed: false, reason: input.refusal };
    const registered = registeredPaths(input.scope, preset.type);
    if (!registered) return { ...base, allowed: false, reason: 'type_not_registered' };
    const askable = askableClaims(preset.type);
    const refused = preset
      .claims('')
      .filter((claim) => !covered(registered, claim.path))
      .map((claim) => askable.find((a) => a.path.join('.') === claim.path.join('.')) ?? { path: claim.path, labels: { 'zh-CN': claim.path.join('.'), en: claim.path.join('.') } });
    return refused.length > 0 ? { ...base, allowed: false, reason: 'claims_not_registered', refusedClaims: refused } : { ...base, allowed: true };
  });
  if ('refusal' in input) return { presets, compose: [] };
  const types = [...new Set(input.scope.map((entry) => entry.type).filter((type): type is string => !!type && !!getCredentialType(type)))];
  const compose = types
    .map((type) => ({ type, typeLabels: typeLabels(type), claims: askableClaims(type).filter((claim) => covered(registeredPaths(input.scope, type)!, claim.path)) }))
    .filter((option) => option.claims.length > 0);
  return { presets, compose };
}
