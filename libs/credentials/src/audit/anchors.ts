import { AbiCoder, Contract, keccak256, solidityPacked, type Provider } from 'ethers';
import { scanLogs } from '../chain/log-scanner.js';
import { AUDIT_ANCHOR_ABI } from './abi.js';

/** One `Anchored` event of a stream. */
export interface AuditAnchorEvent {
  /** The anchor's number in the stream, from 0. */
  index: number;
  firstSeq: number;
  count: number;
  /** 0x-hex RFC 9162 root over the entries' hashes. */
  root: string;
  /** The stream's running head after this anchor. */
  head: string;
  txHash: string;
  blockNumber: number;
}

/** `AuditAnchor.getStream`: the contract's own summary of a stream. */
export interface AuditStreamState {
  anchoredThrough: number;
  anchors: number;
  head: string;
}

/** The genesis head of a stream, as `AuditAnchor.genesisHead` computes it. */
export function auditGenesisHead(chainId: bigint | number, contract: string, stream: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['uint256', 'address', 'address'], [chainId, contract, stream]));
}

/** The head after an anchor: `keccak256(head ‖ root ‖ uint64 firstSeq ‖ uint64 count)`, as the contract computes it. */
export function nextAuditHead(head: string, root: string, firstSeq: number, count: number): string {
  return keccak256(solidityPacked(['bytes32', 'bytes32', 'uint64', 'uint64'], [head, root, firstSeq, count]));
}

/** Reads a stream's state. */
export async function readAuditStream(provider: Provider, contract: string, stream: string, blockTag?: number): Promise<AuditStreamState> {
  const c = new Contract(contract, AUDIT_ANCHOR_ABI, provider);
  const [anchoredThrough, anchors, head] = (await c.getFunction('getStream')(stream, { blockTag })) as [bigint, bigint, string];
  return { anchoredThrough: Number(anchoredThrough), anchors: Number(anchors), head };
}

/** Decodes the `Anchored` logs of one stream in [fromBlock, toBlock], in chain order. */
export async function readAuditAnchorEvents(
  provider: Provider,
  contract: string,
  stream: string,
  fromBlock: number,
  toBlock: number,
): Promise<AuditAnchorEvent[]> {
  const c = new Contract(contract, AUDIT_ANCHOR_ABI, provider);
  const filter = await c.filters.Anchored(stream).getTopicFilter();
  const logs = await scanLogs(provider, { address: contract, topics: filter }, fromBlock, toBlock);
  return logs.map((log) => {
    const parsed = c.interface.parseLog(log)!;
    return {
      index: Number(parsed.args.index),
      firstSeq: Number(parsed.args.firstSeq),
      count: Number(parsed.args.count),
      root: parsed.args.root as string,
      head: parsed.args.head as string,
      txHash: log.transactionHash,
      blockNumber: log.blockNumber,
    };
  });
}

/**
 * Every anchor of a stream and the contract's state, both as of one block, so they can be checked against
 * each other (see {@link checkAuditAnchors}).
 */
export async function readAuditAnchors(
  provider: Provider,
  contract: string,
  stream: string,
  fromBlock = 0,
): Promise<{ state: AuditStreamState; anchors: AuditAnchorEvent[]; block: number }> {
  const block = await provider.getBlockNumber();
  const state = await readAuditStream(provider, contract, stream, block);
  const anchors = await readAuditAnchorEvents(provider, contract, stream, fromBlock, block);
  return { state, anchors, block };
}

/**
 * Problems with a stream's anchors as read from logs: numbering, contiguity, and the running head, which must
 * end at the contract's own head (else a node withheld or invented logs). Empty when all is well.
 */
export function checkAuditAnchors(
  chainId: bigint | number,
  contract: string,
  stream: string,
  state: AuditStreamState,
  anchors: readonly AuditAnchorEvent[],
): string[] {
  const problems: string[] = [];
  let head = auditGenesisHead(chainId, contract, stream);
  let next = 1;
  for (const [i, a] of anchors.entries()) {
    if (a.index !== i) problems.push(`anchor number ${a.index} found where number ${i} was expected`);
    if (a.firstSeq !== next) problems.push(`anchor ${a.index} starts at entry ${a.firstSeq}, expected ${next}`);
    head = nextAuditHead(head, a.root, a.firstSeq, a.count);
    if (head.toLowerCase() !== a.head.toLowerCase()) problems.push(`anchor ${a.index}: the running head does not follow from the previous anchors`);
    next = a.firstSeq + a.count;
  }
  if (anchors.length !== state.anchors || next - 1 !== state.anchoredThrough || head.toLowerCase() !== state.head.toLowerCase()) {
    problems.push(
      `the ${anchors.length} anchor events read do not add up to the contract's state (${state.anchors} anchors through entry ${state.anchoredThrough})`,
    );
  }
  return problems;
}
