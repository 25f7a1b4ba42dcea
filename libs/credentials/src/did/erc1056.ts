import {
  Contract,
  Interface,
  Signature,
  concat,
  decodeBytes32String,
  encodeBytes32String,
  getAddress,
  getBytes,
  keccak256,
  toBeHex,
  toUtf8Bytes,
  zeroPadValue,
  type Provider,
} from 'ethers';

/**
 * ERC-1056 delegate type of an agency's chain writer: StatusRegistry accepts it for `update` and `supersede`
 * (`validDelegate`). ethr-did-resolver lists only `veriKey`/`sigAuth` delegates, so it is no key of the DID document.
 */
export const STATUS_WRITER_DELEGATE = 'govcred/statusWriter';

/**
 * ERC-1056 attribute of an agency's credential signing key: its secp256k1 public key (hex) becomes a verification
 * method `#delegate-N` (EcdsaSecp256k1VerificationKey2019) in the assertionMethod of the DID document.
 */
export const SIGNING_KEY_ATTRIBUTE = 'did/pub/Secp256k1/veriKey/hex';

/** The EthereumDIDRegistry calls and events the key hierarchy uses (ethr-did-registry 1.x). */
export const ERC1056_ABI = [
  'function identityOwner(address identity) view returns (address)',
  'function nonce(address owner) view returns (uint)',
  'function changed(address identity) view returns (uint)',
  'function validDelegate(address identity, bytes32 delegateType, address delegate) view returns (bool)',
  'function changeOwner(address identity, address newOwner)',
  'function changeOwnerSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner)',
  'function addDelegate(address identity, bytes32 delegateType, address delegate, uint validity)',
  'function addDelegateSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 delegateType, address delegate, uint validity)',
  'function revokeDelegate(address identity, bytes32 delegateType, address delegate)',
  'function revokeDelegateSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 delegateType, address delegate)',
  'function setAttribute(address identity, bytes32 name, bytes value, uint validity)',
  'function setAttributeSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 name, bytes value, uint validity)',
  'function revokeAttribute(address identity, bytes32 name, bytes value)',
  'function revokeAttributeSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 name, bytes value)',
  'event DIDOwnerChanged(address indexed identity, address owner, uint previousChange)',
  'event DIDDelegateChanged(address indexed identity, bytes32 delegateType, address delegate, uint validTo, uint previousChange)',
  'event DIDAttributeChanged(address indexed identity, bytes32 name, bytes value, uint validTo, uint previousChange)',
] as const;

const erc1056 = new Interface(ERC1056_ABI);

/** One identity-changing ERC-1056 call, as the owner authorizes it (the `*Signed` variants relay it). */
export type Erc1056Call =
  | { method: 'changeOwner'; newOwner: string }
  | { method: 'addDelegate'; delegateType: string; delegate: string; validity: bigint }
  | { method: 'revokeDelegate'; delegateType: string; delegate: string }
  | { method: 'setAttribute'; name: string; value: string; validity: bigint }
  | { method: 'revokeAttribute'; name: string; value: string };

/** The packed arguments after the method name in the registry's signed-call hash. */
function signedTail(call: Erc1056Call): Uint8Array {
  const u256 = (v: bigint) => zeroPadValue(toBeHex(v), 32);
  switch (call.method) {
    case 'changeOwner':
      return getBytes(getAddress(call.newOwner));
    case 'addDelegate':
      return getBytes(concat([encodeBytes32String(call.delegateType), getAddress(call.delegate), u256(call.validity)]));
    case 'revokeDelegate':
      return getBytes(concat([encodeBytes32String(call.delegateType), getAddress(call.delegate)]));
    case 'setAttribute':
      return getBytes(concat([encodeBytes32String(call.name), call.value, u256(call.validity)]));
    case 'revokeAttribute':
      return getBytes(concat([encodeBytes32String(call.name), call.value]));
  }
}

/**
 * The hash the identity's owner signs (raw secp256k1, no message prefix) to authorize `call`:
 * `keccak256(0x19 ‖ 0x00 ‖ registry ‖ nonce(owner) ‖ identity ‖ method ‖ args)`, as EthereumDIDRegistry's
 * `*Signed` functions recompute it (ERC-1056 §"Signed functions"; the nonce is the owner's, bumped per signed call).
 */
export function erc1056SignedHash(registry: string, ownerNonce: bigint, identity: string, call: Erc1056Call): string {
  return keccak256(
    concat([
      '0x1900',
      getAddress(registry),
      zeroPadValue(toBeHex(ownerNonce), 32),
      getAddress(identity),
      toUtf8Bytes(call.method),
      signedTail(call),
    ]),
  );
}

/** The registry's calldata for the `*Signed` variant of `call`, with the owner's `signature` (65-byte hex) over its hash. */
export function erc1056SignedCalldata(identity: string, call: Erc1056Call, signature: string): string {
  const sig = Signature.from(signature);
  const head = [getAddress(identity), sig.v, sig.r, sig.s] as const;
  switch (call.method) {
    case 'changeOwner':
      return erc1056.encodeFunctionData('changeOwnerSigned', [...head, call.newOwner]);
    case 'addDelegate':
      return erc1056.encodeFunctionData('addDelegateSigned', [...head, encodeBytes32String(call.delegateType), call.delegate, call.validity]);
    case 'revokeDelegate':
      return erc1056.encodeFunctionData('revokeDelegateSigned', [...head, encodeBytes32String(call.delegateType), call.delegate]);
    case 'setAttribute':
      return erc1056.encodeFunctionData('setAttributeSigned', [...head, encodeBytes32String(call.name), call.value, call.validity]);
    case 'revokeAttribute':
      return erc1056.encodeFunctionData('revokeAttributeSigned', [...head, encodeBytes32String(call.name), call.value]);
  }
}

/** The registry's calldata for `call` sent by the owner itself (no signature). */
export function erc1056Calldata(identity: string, call: Erc1056Call): string {
  const id = getAddress(identity);
  switch (call.method) {
    case 'changeOwner':
      return erc1056.encodeFunctionData('changeOwner', [id, call.newOwner]);
    case 'addDelegate':
      return erc1056.encodeFunctionData('addDelegate', [id, encodeBytes32String(call.delegateType), call.delegate, call.validity]);
    case 'revokeDelegate':
      return erc1056.encodeFunctionData('revokeDelegate', [id, encodeBytes32String(call.delegateType), call.delegate]);
    case 'setAttribute':
      return erc1056.encodeFunctionData('setAttribute', [id, encodeBytes32String(call.name), call.value, call.validity]);
    case 'revokeAttribute':
      return erc1056.encodeFunctionData('revokeAttribute', [id, encodeBytes32String(call.name), call.value]);
  }
}

/** One delegate or attribute event of an identity, with the position ethr-did-resolver gives it. */
export interface Erc1056KeyEvent {
  kind: 'delegate' | 'attribute';
  /** Delegate type or attribute name (decoded from bytes32). */
  name: string;
  /** Delegate address (checksummed) or attribute value (0x hex). */
  value: string;
  /** Unix seconds; 0 for a revoked attribute. */
  validTo: bigint;
  blockNumber: number;
  /**
   * The N of `#delegate-N` this event gives its key, or undefined for events that are not counted (service
   * attributes). ethr-did-resolver 11 `wrapDidDocument` counts every DIDDelegateChanged and every `did/pub/`
   * DIDAttributeChanged, valid or not, in log order: ids are positional, never reused, and a key set twice
   * would get a second id.
   */
  position?: number;
}

/**
 * Reads an identity's delegate and attribute events in log order by following the registry's `changed` /
 * `previousChange` chain backwards (one `eth_getLogs` per block with changes), exactly as ethr-did-resolver
 * does, and numbers them as it does. Owner changes are skipped (they do not take positions).
 */
export async function readErc1056KeyEvents(provider: Provider, registry: string, identity: string): Promise<Erc1056KeyEvent[]> {
  const contract = new Contract(registry, ERC1056_ABI, provider);
  const topic = zeroPadValue(getAddress(identity), 32);
  const history: Erc1056KeyEvent[] = [];
  let previous = Number((await contract.getFunction('changed')(identity)) as bigint);
  while (previous) {
    const block = previous;
    const logs = await provider.getLogs({ address: registry, topics: [null, topic], fromBlock: block, toBlock: block });
    const events: Erc1056KeyEvent[] = [];
    previous = 0;
    for (const log of logs) {
      const parsed = erc1056.parseLog(log);
      if (!parsed) continue;
      const previousChange = Number(parsed.args.previousChange as bigint);
      if (previousChange < block) previous = previousChange;
      if (parsed.name === 'DIDDelegateChanged') {
        events.push({ kind: 'delegate', name: bytes32Name(parsed.args.delegateType as string), value: getAddress(parsed.args.delegate as string), validTo: parsed.args.validTo as bigint, blockNumber: block });
      } else if (parsed.name === 'DIDAttributeChanged') {
        events.push({ kind: 'attribute', name: bytes32Name(parsed.args.name as string), value: (parsed.args.value as string).toLowerCase(), validTo: parsed.args.validTo as bigint, blockNumber: block });
      }
    }
    history.unshift(...events);
  }
  let count = 0;
  for (const event of history) {
    if (event.kind === 'delegate' || event.name.startsWith('did/pub/')) event.position = ++count;
  }
  return history;
}

/** How many positions the identity's history has taken: the next counted event gets `#delegate-(count + 1)`. */
export function delegateCount(events: readonly Erc1056KeyEvent[]): number {
  return events.reduce((n, e) => (e.position !== undefined ? Math.max(n, e.position) : n), 0);
}

/**
 * The `#delegate-N` DID URL of a signing key (by its public key hex) in `did`'s document: the position of the
 * event that set it. Undefined when it was never set. Throws (caller misuse) when it was set twice, which
 * govcred never does because the key's id would change.
 */
export function signingKeyId(did: string, events: readonly Erc1056KeyEvent[], publicKeyHex: string): string | undefined {
  const value = `0x${publicKeyHex.replace(/^0x/, '').toLowerCase()}`;
  const sets = events.filter((e) => e.kind === 'attribute' && e.name === SIGNING_KEY_ATTRIBUTE && e.value === value && e.validTo > 0n);
  if (sets.length > 1) throw new Error(`signing key ${value} was set ${sets.length} times: its DID URL is ambiguous`);
  return sets.length ? `${did}#delegate-${sets[0].position}` : undefined;
}

/** bytes32 names are NUL-padded UTF-8 (ethr-did-resolver decodes them the same way); non-text names stay hex. */
function bytes32Name(value: string): string {
  try {
    return decodeBytes32String(value);
  } catch {
    return value;
  }
}
