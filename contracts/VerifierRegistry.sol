// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title The governance account of a TrustRegistry
interface IGovernance {
    /// @notice The account allowed to act for governance.
    /// @return The governance account.
    function governance() external view returns (address);
}

/// @title Registration of verifiers for the claims they may ask for
/// @notice Governance registers a verifier identity (a did:ethr address: a department, a bank, an employer) for a
///         period, with its display name, its purpose, and per credential type (keccak256 of the type name, as in
///         the TrustRegistry) the claim paths it may request. A citizen's wallet reads this (through a mirror of the
///         events) to refuse a verifier that asks beyond its registration. No personal data is involved.
///
///         Storage keeps per registration only its period, whether it was withdrawn, and a hash of its content;
///         the content itself (names, purpose, types, claim paths) is in the event, where it costs a few gas per
///         byte instead of 20,000 per 32-byte word. A mirror rebuilds the content from the events and proves it
///         complete and unaltered against `registrations()`.
///
///         Governance is the TrustRegistry's, read on every write: a governance transfer there applies here.
///
///         Invariant (what makes the periods disjoint, so at most one registration is in force at any time): a
///         registration never starts before the block that records it, and recording one ends every earlier
///         current or future registration where the new one starts. Periods are kept, never deleted, so the
///         registration in force at a past time can still be told.
contract VerifierRegistry {
    /// @notice What a verifier may ask of one credential type.
    /// @param credentialType keccak256 of the credential type name.
    /// @param claimPaths Claim paths, each the canonical JSON array of its segments (e.g. `["degree"]`,
    ///        `["address","city"]`; `[]` is the whole credential). A path covers the paths beneath it.
    struct Scope {
        bytes32 credentialType;
        string[] claimPaths;
    }

    /// @notice The texts a wallet shows: who asks and why, in both languages of the system.
    struct Texts {
        string nameZh;
        string nameEn;
        string purposeZh;
        string purposeEn;
    }

    /// @notice One registration as stored: [validFrom, validUntil) in Unix seconds, and its content hash.
    /// @dev contentHash = keccak256(abi.encode(scope, texts)).
    struct Registration {
        uint64 validFrom;
        uint64 validUntil;
        bool withdrawn;
        bytes32 contentHash;
    }

    /// @notice The TrustRegistry whose governance acts here.
    IGovernance public immutable trustRegistry;

    mapping(address verifier => Registration[]) private _registrations;

    /// @notice A verifier was registered (or re-registered with new content or a new period).
    /// @param verifier The verifier identity.
    /// @param index Position of the registration in the verifier's registrations.
    /// @param validFrom Start, Unix seconds, inclusive (never before the recording block).
    /// @param validUntil End, Unix seconds, exclusive.
    /// @param contentHash keccak256(abi.encode(scope, texts)), as stored.
    /// @param scope Credential types and claim paths it may request.
    /// @param texts Display name and purpose.
    event VerifierRegistered(
        address indexed verifier,
        uint256 index,
        uint64 validFrom,
        uint64 validUntil,
        bytes32 contentHash,
        Scope[] scope,
        Texts texts
    );

    /// @notice A registration was cut short because a newer one starts.
    /// @param verifier The verifier identity.
    /// @param index Position of the earlier registration.
    /// @param validUntil Its new end.
    event RegistrationSuperseded(address indexed verifier, uint256 index, uint64 validUntil);

    /// @notice A registration was cut short by a withdrawal.
    /// @param verifier The verifier identity.
    /// @param index Position of the registration.
    /// @param validUntil Its new end.
    event RegistrationWithdrawn(address indexed verifier, uint256 index, uint64 validUntil);

    /// @notice The caller is not the TrustRegistry's governance.
    error NotGovernance(address caller);
    /// @notice The verifier is the zero address, the period ends before it starts (validFrom counts from the
    ///         recording block at the earliest), or the scope is empty.
    error InvalidRegistration(address verifier, uint64 validFrom, uint64 validUntil);
    /// @notice There is no current or future registration to withdraw.
    error NothingToWithdraw(address verifier);

    modifier onlyGovernance() {
        if (msg.sender != trustRegistry.governance()) revert NotGovernance(msg.sender);
        _;
    }

    /// @param trustRegistry_ The TrustRegistry whose governance registers verifiers.
    constructor(IGovernance trustRegistry_) {
        trustRegistry = trustRegistry_;
    }

    /// @notice Registers `verifier` for `scope` from `validFrom` (the recording block's time at the earliest) until
    ///         `validUntil`; ends earlier current or future registrations where this one starts.
    /// @param verifier The verifier identity (did:ethr address).
    /// @param validFrom Start, Unix seconds; an earlier time (0 for "now") starts it at the block's time.
    /// @param validUntil End, Unix seconds, exclusive (type(uint64).max for open-ended).
    /// @param scope Credential types with the claim paths it may request; not empty.
    /// @param texts Display name and purpose.
    function register(address verifier, uint64 validFrom, uint64 validUntil, Scope[] calldata scope, Texts calldata texts)
        external
        onlyGovernance
    {
        uint64 nowTs = uint64(block.timestamp);
        // A registration never reaches into the past: nothing already asked becomes allowed after the fact.
        uint64 from = validFrom < nowTs ? nowTs : validFrom;
        if (verifier == address(0) || validUntil <= from || scope.length == 0) {
            revert InvalidRegistration(verifier, from, validUntil);
        }
        Registration[] storage list = _registrations[verifier];
        _cut(verifier, list, from, false);
        bytes32 contentHash = keccak256(abi.encode(scope, texts));
        list.push(Registration(from, validUntil, false, contentHash));
        emit VerifierRegistered(verifier, list.length - 1, from, validUntil, contentHash, scope, texts);
    }

    /// @notice Ends every current or future registration of `verifier` now.
    /// @param verifier The verifier identity.
    function withdraw(address verifier) external onlyGovernance {
        if (!_cut(verifier, _registrations[verifier], uint64(block.timestamp), true)) revert NothingToWithdraw(verifier);
    }

    /// @notice Whether `verifier` has a registration in force at `at`.
    /// @param verifier The verifier identity.
    /// @param at Unix seconds.
    /// @return inForce True when a registration has validFrom <= at < validUntil.
    /// @return index Its position (0 when none).
    /// @return contentHash Its content hash (zero when none).
    function registrationAt(address verifier, uint64 at)
        external
        view
        returns (bool inForce, uint256 index, bytes32 contentHash)
    {
        Registration[] storage list = _registrations[verifier];
        for (uint256 i = list.length; i > 0; --i) {
            Registration storage r = list[i - 1];
            if (r.validFrom <= at && at < r.validUntil) return (true, i - 1, r.contentHash);
        }
        return (false, 0, bytes32(0));
    }

    /// @notice Every registration of `verifier`, superseded and withdrawn ones included.
    /// @param verifier The verifier identity.
    /// @return The registrations in the order they were recorded.
    function registrations(address verifier) external view returns (Registration[] memory) {
        return _registrations[verifier];
    }

    /// @dev Ends at `at` (or at their start, when later) the registrations still running after `at`. Newest first:
    ///      by the invariant, once a non-empty registration has ended by `at`, every earlier one has too.
    /// @return any Whether some registration was cut.
    function _cut(address verifier, Registration[] storage list, uint64 at, bool withdrawal) private returns (bool any) {
        for (uint256 i = list.length; i > 0; --i) {
            Registration storage r = list[i - 1];
            if (r.validUntil == r.validFrom) continue; // emptied before it began
            if (r.validUntil <= at) break;
            uint64 end = r.validFrom > at ? r.validFrom : at;
            r.validUntil = end;
            any = true;
            if (withdrawal) {
                r.withdrawn = true;
                emit RegistrationWithdrawn(verifier, i - 1, end);
            } else {
                emit RegistrationSuperseded(verifier, i - 1, end);
            }
        }
    }
}
