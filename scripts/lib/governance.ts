import { Wallet } from 'ethers';

/** One key operation as the issuer's admin API answers it. */
export interface KeyOperationReply {
  id: string;
  state: 'awaiting_signatures' | 'done';
  ownerAddress: string;
  calls: Array<{ method: string; description: string; hash: string }>;
  signingKeyId?: string;
  keyActiveFrom?: string;
  writerAddress?: string;
}

/**
 * The devnet playing governance: opens a key rotation of an agency at the issuer, signs every hash with the
 * agency's owner key (from secrets.json; raw secp256k1, as ERC-1056 `*Signed` calls recover it) and hands the
 * signatures back for the issuer to relay. In production the owner signs offline (or a multisig does).
 */
export async function rotateAgencyKey(issuerUrl: string, adminToken: string, agencyId: string, ownerKey: string, role: 'signing' | 'writer' = 'signing'): Promise<KeyOperationReply> {
  const call = async (path: string, body: unknown): Promise<KeyOperationReply> => {
    const response = await fetch(`${issuerUrl}/admin/agencies/${agencyId}/keys/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify(body),
    });
    const reply = (await response.json()) as KeyOperationReply;
    if (response.status !== 200) throw new Error(`key rotation of ${agencyId} failed: ${response.status} ${JSON.stringify(reply)}`);
    return reply;
  };
  const owner = new Wallet(ownerKey);
  const opened = await call('rotations', { role });
  if (opened.ownerAddress !== owner.address) throw new Error(`the agency is owned by ${opened.ownerAddress}, not by the devnet's key ${owner.address}`);
  const signatures = opened.calls.map((c) => owner.signingKey.sign(c.hash).serialized);
  return call(`rotations/${opened.id}/signatures`, { signatures });
}
