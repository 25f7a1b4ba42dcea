import type { AuthorizationServerMetadata, Oauth2AuthorizationServer } from '@openid4vc/oauth2';
import type { IssuerMetadataResult, Openid4vciIssuer } from '@openid4vc/openid4vci';
import type { Oid4vciConfiguration } from './metadata.js';
import type { Oid4vciStore } from './store.js';

/** What the endpoint handlers of one credential issuer share (internal). */
export interface IssuerContext {
  credentialIssuer: string;
  configurations: Record<string, Oid4vciConfiguration>;
  store: Oid4vciStore;
  clock: () => Date;
  library: Openid4vciIssuer;
  authorizationServer: Oauth2AuthorizationServer;
  issuerMetadata: IssuerMetadataResult;
  authorizationServerMetadata: AuthorizationServerMetadata;
  accessTokenTtlSeconds: number;
  nonceTtlSeconds: number;
  maxTxCodeFailures: number;
  /** Most key proofs (copies) per `dc+sd-jwt` credential request; 1: no batches. */
  batchSize: number;
  /** When set, holders must be address-form did:ethr identities on this chain. */
  holderChainId?: number;
  /** Reports failures on our side (the client gets a bare `server_error`). */
  onError: (message: string, error: unknown) => void;
}
