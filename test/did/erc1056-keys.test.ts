import { Contract, Wallet, encodeBytes32String } from 'ethers';
import {
  ERC1056_ABI,
  SIGNING_KEY_ATTRIBUTE,
  STATUS_WRITER_DELEGATE,
  createDidResolver,
  delegateCount,
  erc1056SignedCalldata,
  erc1056SignedHash,
  ethrDid,
  readErc1056KeyEvents,
  signingKeyId,
  type Erc1056Call,
} from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, type Fixture } from '../support/chain.js';

// Key ids are positional (`#delegate-N`): the issuer must compute N exactly as ethr-did-resolver does, or every
// credential's `kid` would name the wrong key. Compared here against the resolver itself over a mixed history.
let f: Fixture;
beforeEach(async () => {
  f = await deployFixture();
});
afterEach(() => f.provider.destroy());

const DAY = 86_400n;
const pub = () => Wallet.createRandom().signingKey.compressedPublicKey;

test('owner-signed calls relayed by another account, and key ids as ethr-did-resolver numbers them', async () => {
  const identity = await fundedWallet(f.provider);
  const governance = Wallet.createRandom();
  const relayer = await fundedWallet(f.provider);
  const dids = new Contract(f.didRegistry, ERC1056_ABI, identity);
  const did = ethrDid(f.chainId, identity.address);
  const [k1, k2, k3] = [pub(), pub(), pub()];
  const writer = Wallet.createRandom().address;

  // Created by the identity key itself: writer, first signing key, a service (not counted), then the owner leaves.
  await (await dids.getFunction('addDelegate')(identity.address, encodeBytes32String(STATUS_WRITER_DELEGATE), writer, 90n * DAY)).wait();
  await (await dids.getFunction('setAttribute')(identity.address, encodeBytes32String(SIGNING_KEY_ATTRIBUTE), k1, 400n * DAY)).wait();
  await (await dids.getFunction('setAttribute')(identity.address, encodeBytes32String('did/svc/Portal'), '0x68747470733a2f2f78', 400n * DAY)).wait();
  await (await dids.getFunction('changeOwner')(identity.address, governance.address)).wait();

  // Governance signs, the relayer sends: a rotation, a writer renewal, a revocation.
  const relay = async (call: Erc1056Call) => {
    const nonce = (await dids.getFunction('nonce')(governance.address)) as bigint;
    const signature = governance.signingKey.sign(erc1056SignedHash(f.didRegistry, nonce, identity.address, call)).serialized;
    await (await relayer.sendTransaction({ to: f.didRegistry, data: erc1056SignedCalldata(identity.address, call, signature) })).wait();
  };
  await relay({ method: 'setAttribute', name: SIGNING_KEY_ATTRIBUTE, value: k2, validity: 400n * DAY });
  await relay({ method: 'addDelegate', delegateType: STATUS_WRITER_DELEGATE, delegate: Wallet.createRandom().address, validity: 90n * DAY });
  await relay({ method: 'revokeAttribute', name: SIGNING_KEY_ATTRIBUTE, value: k1 });
  await relay({ method: 'setAttribute', name: SIGNING_KEY_ATTRIBUTE, value: k3, validity: 400n * DAY });
  // The identity key is no owner any more: its own signature is refused.
  const nonce = (await dids.getFunction('nonce')(identity.address)) as bigint;
  const forged = identity.signingKey.sign(erc1056SignedHash(f.didRegistry, nonce, identity.address, { method: 'changeOwner', newOwner: identity.address })).serialized;
  await expect(relayer.sendTransaction({ to: f.didRegistry, data: erc1056SignedCalldata(identity.address, { method: 'changeOwner', newOwner: identity.address }, forged) })).rejects.toThrow();

  const events = await readErc1056KeyEvents(f.provider, f.didRegistry, identity.address);
  expect(events.map((e) => e.position)).toEqual([1, 2, undefined, 3, 4, 5, 6]);
  expect(delegateCount(events)).toBe(6);
  const ids = [k1, k2, k3].map((k) => signingKeyId(did, events, k));
  expect(ids).toEqual([`${did}#delegate-2`, `${did}#delegate-3`, `${did}#delegate-6`]);

  const { didDocument } = await createDidResolver({ chainId: f.chainId, rpcUrl: '', didRegistry: f.didRegistry }, f.provider).resolve(did);
  const byId = new Map(didDocument!.verificationMethod!.map((m) => [m.id, m]));
  // The revoked key is gone, the live ones are where the issuer expects them, with their public keys.
  expect(byId.has(ids[0]!)).toBe(false);
  expect(byId.get(ids[1]!)?.publicKeyHex).toBe(k2.slice(2));
  expect(byId.get(ids[2]!)?.publicKeyHex).toBe(k3.slice(2));
  expect(didDocument!.assertionMethod).toEqual(expect.arrayContaining([ids[1], ids[2]]));
  // The writer is no key of the document: it can sign nothing a verifier accepts.
  expect([...byId.values()].some((m) => String(m.blockchainAccountId ?? '').toLowerCase().endsWith(writer.toLowerCase()))).toBe(false);
});
