/** Human-readable ABI of contracts/AuditAnchor.sol (the reference; test/contracts runs every fragment). */
export const AUDIT_ANCHOR_ABI = [
  'function anchor(address stream, uint64 firstSeq, uint64 count, bytes32 root)',
  'function getStream(address stream) view returns (uint64 anchoredThrough, uint64 anchors, bytes32 head)',
  'function genesisHead(address stream) view returns (bytes32)',
  'function didRegistry() view returns (address)',
  'event Anchored(address indexed stream, uint64 indexed index, uint64 firstSeq, uint64 count, bytes32 root, bytes32 head)',
  'error NotIdentityOwner(address stream, address caller)',
  'error UnexpectedFirstSeq(address stream, uint64 expected, uint64 given)',
  'error EmptyAnchor(address stream)',
] as const;
