import type { JSONSchemaType } from 'ajv';

/** Settings of the citizen web wallet the verifier serves at /wallet (part of the verifier's config schema). */
export interface WebWalletConfig {
  /** Folder of the built wallet pages (`npm run build` writes dist/web/wallet); not served when it has no index.html. */
  WALLET_DIR: string;
  /** JSON-RPC URL the citizens' browsers read the chain from; CHAIN_RPC_URL when unset. */
  WALLET_CHAIN_RPC_URL?: string;
}

export const WEB_WALLET_CONFIG_PROPERTIES: JSONSchemaType<WebWalletConfig>['properties'] = {
  WALLET_DIR: {
    type: 'string',
    default: 'dist/web/wallet',
    description: 'Built web wallet pages served at /wallet (relative to the working folder); not served when the folder has no index.html.',
  },
  WALLET_CHAIN_RPC_URL: {
    type: 'string',
    nullable: true,
    pattern: '^https?://',
    description:
      'JSON-RPC endpoint the web wallet reads the chain from in the citizen’s browser (whole status lists and registries; it must answer ' +
      'CORS). When unset, CHAIN_RPC_URL, which then must be reachable from browsers.',
  },
};

export const WEB_WALLET_CONFIG_REQUIRED = ['WALLET_DIR'] as const satisfies ReadonlyArray<keyof WebWalletConfig>;
