import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** An agency the devnet created, with what a client needs to act for it. */
export interface ManifestAgency {
  id: string;
  name: string;
  did: string;
  apiKey: string;
  credentialTypes: string[];
  /** Demo staff accounts of the portal, with their passwords (a devnet: nothing here protects real data). */
  staff?: ManifestStaff[];
}

/** A portal staff account the devnet created. */
export interface ManifestStaff {
  username: string;
  role: 'clerk' | 'officer' | 'auditor';
  password: string;
}

/** A verifier account the devnet created on the verifier service, with the API key that acts for it. */
export interface ManifestVerifier {
  id: string;
  name: string;
  /** Its did:ethr, registered on the VerifierRegistry (its key is in secrets.json); absent in the legacy mode. */
  did?: string;
  apiKey: string;
  /** Whether the verifier holds the DID's key and so signs OpenID4VP requests (accounts from before OID4VP do not). */
  signsRequests?: boolean;
  /** Demo clerks of the counter page (`/` on the verifier), with their passwords (a devnet: nothing real is behind them). */
  clerks?: ManifestClerk[];
}

/** A counter-page clerk the devnet created for a verifier account. */
export interface ManifestClerk {
  username: string;
  password: string;
}

/** `.govcred/devnet.json`: where everything of the running local system is. */
export interface DevnetManifest {
  chain: { rpcUrl: string; chainId: number };
  contracts: { didRegistry: string; trustRegistry: string; statusRegistry: string; verifierRegistry: string; auditAnchor: string; deployBlock: number };
  governance: { address: string };
  /** Where the services keep their data (`GOVCRED_PROFILE`). @default 'embedded' */
  profile?: 'embedded' | 'postgres';
  /** Base URLs: `issuer` and `verifier` are the first replicas; the arrays list every replica. */
  services: { issuer?: string; verifier?: string; issuerReplicas?: string[]; verifierReplicas?: string[] };
  agencies: ManifestAgency[];
  verifiers: ManifestVerifier[];
}

/** Reads a manifest; undefined when there is none or it cannot be parsed. */
export function readManifest(file: string): DevnetManifest | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevnetManifest;
  } catch {
    return undefined;
  }
}

/** Writes a manifest atomically (write to a temporary file, then rename), readable only by its owner. */
export function writeManifest(file: string, manifest: DevnetManifest): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
