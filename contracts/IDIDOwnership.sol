// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title The part of the ERC-1056 EthereumDIDRegistry that govcred relies on
/// @notice ERC-1056 (https://eips.ethereum.org/EIPS/eip-1056): an identity is an address whose current
///         owner may be changed by the owner; `identityOwner` returns the identity itself until then. The owner
///         also adds delegates (typed, each with a validity) that other contracts check with `validDelegate`.
interface IDIDOwnership {
    /// @notice The address currently in control of `identity`.
    /// @param identity The did:ethr identity address.
    /// @return The owner address.
    function identityOwner(address identity) external view returns (address);

    /// @notice Whether `delegate` is a delegate of `identity` of type `delegateType` whose validity has not ended
    ///         (`validTo > block.timestamp`; a revoked delegate has `validTo` = the block time of its revocation).
    /// @param identity The did:ethr identity address.
    /// @param delegateType The delegate type, e.g. `govcred/statusWriter` as bytes32.
    /// @param delegate The delegate's address.
    /// @return Whether the delegate is valid now.
    function validDelegate(address identity, bytes32 delegateType, address delegate) external view returns (bool);
}
