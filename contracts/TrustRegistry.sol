// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title Accreditation of issuers for credential types
/// @notice Governance (e.g. a provincial big-data bureau) accredits an issuer identity (a did:ethr address)
///         to issue one credential type (keccak256 of the type name) for a period, and can withdraw it.
///         Periods are kept, never deleted, so a verifier can ask whether the issuer was accredited *when it
///         issued* a credential: a later withdrawal does not invalidate honest earlier credentials.
contract TrustRegistry {
    /// @notice One accreditation period: [validFrom, validUntil) in Unix seconds.
    struct Period {
        uint64 validFrom;
        uint64 validUntil;
    }

    /// @notice The account allowed to accredit and withdraw.
    address public governance;
    /// @notice The account a governance transfer was offered to, until it accepts.
    address public pendingGovernance;

    mapping(address issuer => mapping(bytes32 credentialType => Period[])) private _periods;

    /// @notice An issuer was accredited for a credential type.
    /// @param issuer The issuer identity.
    /// @param credentialType keccak256 of the credential type name.
    /// @param periodIndex Position of the new period in the issuer's periods for that type.
    /// @param validFrom Start, Unix seconds, inclusive.
    /// @param validUntil End, Unix seconds, exclusive.
    event Accredited(
        address indexed issuer, bytes32 indexed credentialType, uint256 periodIndex, uint64 validFrom, uint64 validUntil
    );

    /// @notice A period was cut short by a withdrawal.
    /// @param issuer The issuer identity.
    /// @param credentialType keccak256 of the credential type name.
    /// @param periodIndex Position of the period.
    /// @param validUntil The period's new end.
    event AccreditationWithdrawn(
        address indexed issuer, bytes32 indexed credentialType, uint256 periodIndex, uint64 validUntil
    );

    /// @notice Governance was offered to `newGovernance`.
    /// @param newGovernance The account that may accept.
    event GovernanceTransferStarted(address indexed newGovernance);
    /// @notice Governance changed hands.
    /// @param previousGovernance The old governance account.
    /// @param newGovernance The new governance account.
    event GovernanceTransferred(address indexed previousGovernance, address indexed newGovernance);

    /// @notice The caller is not governance.
    error NotGovernance(address caller);
    /// @notice The caller is not the pending governance.
    error NotPendingGovernance(address caller);
    /// @notice validUntil is not after validFrom, or the issuer is the zero address.
    error InvalidAccreditation(address issuer, uint64 validFrom, uint64 validUntil);
    /// @notice There is no current or future period to withdraw.
    error NothingToWithdraw(address issuer, bytes32 credentialType);

    modifier onlyGovernance() {
        if (msg.sender != governance) revert NotGovernance(msg.sender);
        _;
    }

    /// @param initialGovernance The first governance account.
    constructor(address initialGovernance) {
        governance = initialGovernance;
        emit GovernanceTransferred(address(0), initialGovernance);
    }

    /// @notice Accredits `issuer` for `credentialType` from `validFrom` until `validUntil`.
    /// @param issuer The issuer identity (did:ethr address).
    /// @param credentialType keccak256 of the credential type name.
    /// @param validFrom Start, Unix seconds, inclusive.
    /// @param validUntil End, Unix seconds, exclusive (type(uint64).max for open-ended).
    function accredit(address issuer, bytes32 credentialType, uint64 validFrom, uint64 validUntil)
        external
        onlyGovernance
    {
        if (issuer == address(0) || validUntil <= validFrom) {
            revert InvalidAccreditation(issuer, validFrom, validUntil);
        }
        Period[] storage periods = _periods[issuer][credentialType];
        periods.push(Period(validFrom, validUntil));
        emit Accredited(issuer, credentialType, periods.length - 1, validFrom, validUntil);
    }

    /// @notice Ends every current or future period of `issuer` for `credentialType` now.
    /// @param issuer The issuer identity.
    /// @param credentialType keccak256 of the credential type name.
    function withdraw(address issuer, bytes32 credentialType) external onlyGovernance {
        Period[] storage periods = _periods[issuer][credentialType];
        uint64 nowTs = uint64(block.timestamp);
        bool any;
        for (uint256 i = 0; i < periods.length; ++i) {
            Period storage p = periods[i];
            // Skip periods already over and periods emptied by an earlier withdrawal.
            if (p.validUntil > nowTs && p.validUntil > p.validFrom) {
                // A period that has not started yet becomes empty.
                uint64 end = p.validFrom > nowTs ? p.validFrom : nowTs;
                p.validUntil = end;
                any = true;
                emit AccreditationWithdrawn(issuer, credentialType, i, end);
            }
        }
        if (!any) revert NothingToWithdraw(issuer, credentialType);
    }

    /// @notice Whether `issuer` was accredited for `credentialType` at time `at`.
    /// @param issuer The issuer identity.
    /// @param credentialType keccak256 of the credential type name.
    /// @param at Unix seconds.
    /// @return True when some period has validFrom <= at < validUntil.
    function isAccredited(address issuer, bytes32 credentialType, uint64 at) external view returns (bool) {
        Period[] storage periods = _periods[issuer][credentialType];
        for (uint256 i = 0; i < periods.length; ++i) {
            if (periods[i].validFrom <= at && at < periods[i].validUntil) return true;
        }
        return false;
    }

    /// @notice Every period of `issuer` for `credentialType`, withdrawn ones included.
    /// @param issuer The issuer identity.
    /// @param credentialType keccak256 of the credential type name.
    /// @return The periods in the order they were granted.
    function accreditations(address issuer, bytes32 credentialType) external view returns (Period[] memory) {
        return _periods[issuer][credentialType];
    }

    /// @notice Offers governance to `newGovernance`; it takes effect when that account accepts.
    /// @param newGovernance The account to hand governance to.
    function transferGovernance(address newGovernance) external onlyGovernance {
        pendingGovernance = newGovernance;
        emit GovernanceTransferStarted(newGovernance);
    }

    /// @notice Accepts a governance transfer offered to the caller.
    function acceptGovernance() external {
        if (msg.sender != pendingGovernance) revert NotPendingGovernance(msg.sender);
        emit GovernanceTransferred(governance, msg.sender);
        governance = msg.sender;
        pendingGovernance = address(0);
    }
}
