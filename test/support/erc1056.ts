/**
 * ERC-1056 (EthereumDIDRegistry) calls for tests, with ethers directly against the registry: owner changes,
 * delegates, attributes, their revocations, and the `*Signed` variants an owner signs for a relayer to send.
 */
import { Contract, Wallet, encodeBytes32String, getBytes, solidityPackedKeccak256, type ContractRunner, type TransactionResponse } from 'ethers';
import { loadArtifact } from '../../scripts/lib/deploy.js';

/** The attribute name of a secp256k1 signing key published in hex (issue 15's signing keys). */
export const VERI_KEY_HEX = 'did/pub/Secp256k1/veriKey/hex';

/** The registry with its full ABI (signed variants, revocations, nonces). */
export function didRegistry(address: string, runner: ContractRunner): Contract {
  return new Contract(address, loadArtifact('EthereumDIDRegistry').abi as never, runner);
}

/** A call the identity's owner makes (`owner` sends it) or signs for `relayer` to send (`*Signed`). */
export class Erc1056 {
  constructor(
    private readonly registryAddress: string,
    readonly identity: string,
  ) {}

  private contract(runner: ContractRunner): Contract {
    return didRegistry(this.registryAddress, runner);
  }

  /** Sends a plain call from the owner; `nonce` pins the account nonce (several in one block). */
  send(owner: Wallet, fn: string, args: unknown[], nonce?: number): Promise<TransactionResponse> {
    return this.contract(owner).getFunction(fn)(this.identity, ...args, ...(nonce !== undefined ? [{ nonce }] : [])) as Promise<TransactionResponse>;
  }

  /**
   * The `*Signed` variant: the owner signs keccak256(0x19 0x00 registry nonce identity <name> <args>) and
   * `relayer` sends it (EthereumDIDRegistry's checkSignature).
   */
  async sendSigned(owner: Wallet, relayer: Wallet, fn: 'changeOwner' | 'addDelegate' | 'revokeDelegate' | 'setAttribute' | 'revokeAttribute', types: string[], args: unknown[]) {
    const registry = this.contract(relayer);
    const nonce = (await registry.getFunction('nonce')(owner.address)) as bigint;
    const hash = solidityPackedKeccak256(
      ['bytes1', 'bytes1', 'address', 'uint256', 'address', 'string', ...types],
      ['0x19', '0x00', this.registryAddress, nonce, this.identity, fn, ...args],
    );
    const signature = owner.signingKey.sign(getBytes(hash));
    return registry.getFunction(`${fn}Signed`)(this.identity, signature.v, signature.r, signature.s, ...args) as Promise<TransactionResponse>;
  }
}

export const bytes32 = (text: string) => encodeBytes32String(text);
