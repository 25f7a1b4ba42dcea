/**
 * Human-readable ABIs of the registries, the subset govcred calls. The Solidity sources in contracts/ are
 * the reference; the chain tests run every fragment here against the compiled contracts.
 */

export const STATUS_REGISTRY_ABI = [
  'function createList(address identity, uint64 listId, uint8 purpose, uint8 sizeLog2)',
  'function update(address identity, uint64 listId, uint8 operation, bytes indexes)',
  'function updateSorted(address identity, uint64 listId, uint8 operation, bytes gaps)',
  'function supersede(address identity, uint64 listId, bytes indexes, tuple(bytes32 titleId, bytes32 predecessor, bytes32 successor, uint32 predecessorIndex, uint32 successorIndex)[] transfers)',
  'function titleTransferCount(address identity) view returns (uint64)',
  'function getList(address identity, uint64 listId) view returns (bool exists, uint8 purpose, uint8 sizeLog2, uint64 version, bytes32 head)',
  'function didRegistry() view returns (address)',
  'function STATUS_WRITER() view returns (bytes32)',
  'event StatusListCreated(address indexed identity, uint64 indexed listId, uint8 purpose, uint8 sizeLog2, bytes32 head)',
  'event StatusUpdated(address indexed identity, uint64 indexed listId, uint8 operation, uint64 version, bytes32 head, bytes indexes)',
  'event StatusUpdatedSorted(address indexed identity, uint64 indexed listId, uint8 operation, uint64 version, bytes32 head, bytes gaps)',
  'event TitleTransferred(address indexed identity, bytes32 indexed titleId, uint64 seq, uint64 listId, bytes32 predecessor, bytes32 successor, uint32 predecessorIndex, uint32 successorIndex, uint64 time)',
  'error NotIdentityOwner(address identity, address caller)',
  'error NotStatusWriter(address identity, address caller)',
  'error ListExists(address identity, uint64 listId)',
  'error UnknownList(address identity, uint64 listId)',
  'error InvalidListSize(uint8 sizeLog2)',
  'error MalformedIndexes(uint256 length)',
  'error IndexOutOfRange(uint8 sizeLog2)',
  'error IndexesNotIncreasing()',
  'error RevocationIsFinal(address identity, uint64 listId)',
  'error SupersededIsFinal(address identity, uint64 listId)',
  'error NotASupersededList(address identity, uint64 listId)',
  'error TransfersMismatch(uint256 indexes, uint256 transfers)',
] as const;

export const TRUST_REGISTRY_ABI = [
  'function governance() view returns (address)',
  'function accredit(address issuer, bytes32 credentialType, uint64 validFrom, uint64 validUntil)',
  'function withdraw(address issuer, bytes32 credentialType)',
  'function isAccredited(address issuer, bytes32 credentialType, uint64 at) view returns (bool)',
  'function accreditations(address issuer, bytes32 credentialType) view returns (tuple(uint64 validFrom, uint64 validUntil)[])',
  'function transferGovernance(address newGovernance)',
  'function acceptGovernance()',
  'event Accredited(address indexed issuer, bytes32 indexed credentialType, uint256 periodIndex, uint64 validFrom, uint64 validUntil)',
  'event AccreditationWithdrawn(address indexed issuer, bytes32 indexed credentialType, uint256 periodIndex, uint64 validUntil)',
  'error NotGovernance(address caller)',
  'error NotPendingGovernance(address caller)',
  'error InvalidAccreditation(address issuer, uint64 validFrom, uint64 validUntil)',
  'error NothingToWithdraw(address issuer, bytes32 credentialType)',
] as const;

export const DID_REGISTRY_ABI = [
  'function identityOwner(address identity) view returns (address)',
  'function changeOwner(address identity, address newOwner)',
  'function addDelegate(address identity, bytes32 delegateType, address delegate, uint validity)',
  'function setAttribute(address identity, bytes32 name, bytes value, uint validity)',
  'function changed(address identity) view returns (uint)',
] as const;
