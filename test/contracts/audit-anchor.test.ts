import { createHash } from 'node:crypto';
import { Contract, Wallet } from 'ethers';
import {
  AUDIT_ANCHOR_ABI,
  auditGenesisHead,
  checkAuditAnchors,
  merkleRoot,
  nextAuditHead,
  readAuditAnchors,
} from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, rotateOwner, type Fixture } from '../support/chain.js';
import { revertOf } from '../support/revert.js';

let f: Fixture;
let issuer: Wallet;
let anchor: Contract;

beforeEach(async () => {
  f = await deployFixture();
  issuer = await fundedWallet(f.provider);
  anchor = new Contract(f.auditAnchor, AUDIT_ANCHOR_ABI, issuer);
});
afterEach(() => f.provider.destroy());

const root = (tag: string) => merkleRoot([createHash('sha256').update(tag).digest('hex')]);
const send = (signer: Wallet, stream: string, firstSeq: number, count: number, r = root(`${firstSeq}`)) =>
  (anchor.connect(signer) as Contract).getFunction('anchor')(stream, firstSeq, count, r).then((tx) => tx.wait());

const expectRevert = async (promise: Promise<unknown>, error: string) => expect(await revertOf(promise, anchor.interface)).toBe(error);

describe('AuditAnchor', () => {
  test('anchors are contiguous from entry 1: a repeat, a hole or an empty anchor is refused', async () => {
    await expectRevert(send(issuer, issuer.address, 2, 5), 'UnexpectedFirstSeq');
    await send(issuer, issuer.address, 1, 5);
    await expectRevert(send(issuer, issuer.address, 1, 5), 'UnexpectedFirstSeq'); // sent twice
    await expectRevert(send(issuer, issuer.address, 7, 1), 'UnexpectedFirstSeq'); // a hole
    await expectRevert(send(issuer, issuer.address, 6, 0), 'EmptyAnchor');
    await send(issuer, issuer.address, 6, 1);
    const [through, anchors] = await anchor.getFunction('getStream')(issuer.address);
    expect([through, anchors]).toEqual([6n, 2n]);
  });

  test('only the ERC-1056 owner of the stream anchors it; after a key rotation the new key does', async () => {
    const stranger = await fundedWallet(f.provider);
    await expectRevert(send(stranger, issuer.address, 1, 1), 'NotIdentityOwner');
    const newKey = await fundedWallet(f.provider);
    await rotateOwner(f.didRegistry, issuer, issuer.address, newKey.address);
    await expectRevert(send(issuer, issuer.address, 1, 1), 'NotIdentityOwner');
    await send(newKey, issuer.address, 1, 3);
    // Streams are independent: the stranger's own stream starts at 1.
    await send(stranger, stranger.address, 1, 1);
    expect((await anchor.getFunction('getStream')(issuer.address))[0]).toBe(3n);
  });

  test('events and the running head from a domain-separated genesis add up to the contract state', async () => {
    const genesis = auditGenesisHead(f.chainId, f.auditAnchor, issuer.address);
    expect((await anchor.getFunction('getStream')(issuer.address))[2]).toBe(genesis);
    expect(await anchor.getFunction('genesisHead')(issuer.address)).toBe(genesis);
    let head = genesis;
    for (const [first, count] of [[1, 10], [11, 1000], [1011, 1]]) {
      await send(issuer, issuer.address, first, count, root(`r${first}`));
      head = nextAuditHead(head, root(`r${first}`), first, count);
    }
    const read = await readAuditAnchors(f.provider, f.auditAnchor, issuer.address, f.deployBlock);
    expect(read.state).toEqual({ anchoredThrough: 1011, anchors: 3, head });
    expect(read.anchors.map((a) => [a.index, a.firstSeq, a.count, a.root])).toEqual([
      [0, 1, 10, root('r1')],
      [1, 11, 1000, root('r11')],
      [2, 1011, 1, root('r1011')],
    ]);
    expect(checkAuditAnchors(f.chainId, f.auditAnchor, issuer.address, read.state, read.anchors)).toEqual([]);
    // A node that withholds an anchor's log is caught by the head.
    expect(checkAuditAnchors(f.chainId, f.auditAnchor, issuer.address, read.state, read.anchors.slice(0, 2)).length).toBeGreaterThan(0);
    expect(checkAuditAnchors(f.chainId, f.auditAnchor, issuer.address, read.state, [read.anchors[0], read.anchors[2]]).length).toBeGreaterThan(0);
  });

  test('gas per anchor does not grow with the entries it covers', async () => {
    await send(issuer, issuer.address, 1, 1);
    const small = await send(issuer, issuer.address, 2, 1);
    const large = await send(issuer, issuer.address, 3, 100_000);
    // Only calldata differs (a few more non-zero bytes in `count`).
    expect(Number(large.gasUsed - small.gasUsed)).toBeLessThan(100);
    expect(Number(large.gasUsed)).toBeLessThan(50_000);
  });
});
