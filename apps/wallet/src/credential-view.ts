import { normalizeCredential } from 'did-jwt-vc';
import {
  StatusMirror,
  createProvider,
  ethrDidAddress,
  getCredentialType,
  parseStatusEntries,
  type ChainConfig,
  type EntryStatus,
} from '../../../libs/credentials/src/index.js';
import type { Lang } from './i18n.js';
import type { StoredCredential } from './store/wallet-store.js';

/** What the wallet shows of one credential. */
export interface CredentialView {
  id: string;
  type: string;
  typeLabel: string;
  issuer: string;
  issuerName?: string;
  subject: string;
  validFrom?: string;
  validUntil?: string;
  status: EntryStatus | 'expired' | 'not_yet_valid';
  claims: Array<{ key: string; label: string; value: string }>;
}

/**
 * Reads every status list of the registry from chain into a mirror (whole lists, never a single entry, so the
 * node cannot tell which credential the citizen looked at).
 */
export async function loadStatusMirror(chain: ChainConfig): Promise<StatusMirror | undefined> {
  const provider = createProvider(chain.rpcUrl, chain.chainId);
  try {
    const mirror = new StatusMirror({ provider, registry: chain.statusRegistry, chainId: chain.chainId, fromBlock: chain.deployBlock });
    await mirror.sync();
    return mirror;
  } catch {
    return undefined; // status shows as unknown
  } finally {
    provider.destroy();
  }
}

function statusOf(credential: Record<string, unknown>, issuer: string, chain: ChainConfig, mirror?: StatusMirror): EntryStatus {
  const parsed = parseStatusEntries(credential.credentialStatus);
  const owner = ethrDidAddress(issuer, chain.chainId);
  if (!mirror || 'error' in parsed || !owner) return 'unknown';
  let result: EntryStatus = 'valid';
  for (const entry of parsed.entries) {
    const status = mirror.lookup(owner, entry.listId, entry.index);
    if (status === 'revoked' || status === 'superseded') return status;
    if (status === 'unknown') result = 'unknown';
    else if (status === 'suspended' && (result === 'valid' || result === 'encumbered')) result = 'suspended';
    else if (status === 'encumbered' && result === 'valid') result = 'encumbered';
  }
  return result;
}

/** Builds the view of a stored credential, with labels in `lang` and status from `mirror`. */
export function viewCredential(stored: StoredCredential, lang: Lang, chain: ChainConfig, mirror: StatusMirror | undefined, now = new Date()): CredentialView {
  const vc = normalizeCredential(stored.jwt) as unknown as Record<string, unknown> & {
    credentialSubject: Record<string, unknown>;
    issuanceDate?: string;
    expirationDate?: string;
  };
  const definition = getCredentialType(stored.type);
  const labels = definition?.labels[lang];
  let status: CredentialView['status'] = statusOf(vc, stored.issuer, chain, mirror);
  if (status === 'valid' && vc.expirationDate && new Date(vc.expirationDate) < now) status = 'expired';
  if (status === 'valid' && vc.issuanceDate && new Date(vc.issuanceDate) > now) status = 'not_yet_valid';
  const { id: subject, ...claims } = vc.credentialSubject;
  return {
    id: stored.id,
    type: stored.type,
    typeLabel: labels?.name ?? stored.type,
    issuer: stored.issuer,
    issuerName: stored.issuerName?.[lang] ?? stored.issuerName?.en ?? Object.values(stored.issuerName ?? {})[0],
    subject: String(subject),
    validFrom: vc.issuanceDate,
    validUntil: vc.expirationDate,
    status,
    claims: Object.entries(claims).map(([key, value]) => ({
      key,
      label: labels?.fields[key] ?? key,
      value: typeof value === 'string' ? value : JSON.stringify(value),
    })),
  };
}
