/**
 * Human-readable ABI of the VerifierRegistry (contracts/VerifierRegistry.sol is the reference; the chain tests run
 * every fragment here against the compiled contract).
 */

/** One credential type a verifier may ask for, as the contract takes it. */
const SCOPE = 'tuple(bytes32 credentialType, string[] claimPaths)[]';
/** Name and purpose in both languages, as the contract takes them. */
const TEXTS = 'tuple(string nameZh, string nameEn, string purposeZh, string purposeEn)';

/** The ABI types of the content hash: `keccak256(abi.encode(scope, texts))`. */
export const VERIFIER_CONTENT_TYPES = [SCOPE, TEXTS] as const;

export const VERIFIER_REGISTRY_ABI = [
  'function trustRegistry() view returns (address)',
  `function register(address verifier, uint64 validFrom, uint64 validUntil, ${SCOPE} scope, ${TEXTS} texts)`,
  'function withdraw(address verifier)',
  'function registrationAt(address verifier, uint64 at) view returns (bool inForce, uint256 index, bytes32 contentHash)',
  'function registrations(address verifier) view returns (tuple(uint64 validFrom, uint64 validUntil, bool withdrawn, bytes32 contentHash)[])',
  `event VerifierRegistered(address indexed verifier, uint256 index, uint64 validFrom, uint64 validUntil, bytes32 contentHash, ${SCOPE} scope, ${TEXTS} texts)`,
  'event RegistrationSuperseded(address indexed verifier, uint256 index, uint64 validUntil)',
  'event RegistrationWithdrawn(address indexed verifier, uint256 index, uint64 validUntil)',
  'error NotGovernance(address caller)',
  'error InvalidRegistration(address verifier, uint64 validFrom, uint64 validUntil)',
  'error NothingToWithdraw(address verifier)',
] as const;
