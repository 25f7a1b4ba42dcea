// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title The part of the ERC-1056 EthereumDIDRegistry that govcred relies on
/// @notice ERC-1056 (https://eips.ethereum.org/EIPS/eip-1056): an identity is an address whose current
///         owner may be changed by the owner; `identityOwner` returns the identity itself until then.
interface IDIDOwnership {
    /// @notice The address currently in control of `identity`.
    /// @param identity The did:ethr identity address.
    /// @return The owner address.
    function identityOwner(address identity) external view returns (address);
}
