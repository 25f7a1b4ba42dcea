import type { ChainConfig } from '../../../../../libs/credentials/src/chain/provider.js';

/** `GET /wallet/config.json` of the verifier that serves the wallet: public chain settings, no personal data. */
export interface WalletSettings extends ChainConfig {
  verifierRegistry: string;
}

export async function loadSettings(): Promise<WalletSettings> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return (await response.json()) as WalletSettings;
}
