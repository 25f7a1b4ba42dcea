// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title Baseline for the gas benchmark: one storage bit per entry, one storage write per change
/// @notice Not deployed by govcred; `npm run bench` measures StatusRegistry against it in the same run.
contract NaiveStatusRegistry {
    mapping(address owner => mapping(uint64 listId => mapping(uint256 word => uint256 bits))) private _bits;

    /// @notice Sets the bits at `indexes` of the caller's list `listId`.
    /// @param listId The list's number.
    /// @param indexes The indexes to set.
    function revoke(uint64 listId, uint256[] calldata indexes) external {
        mapping(uint256 => uint256) storage bits = _bits[msg.sender][listId];
        for (uint256 i = 0; i < indexes.length; ++i) {
            uint256 index = indexes[i];
            bits[index >> 8] |= uint256(1) << (index & 0xff);
        }
    }

    /// @notice Whether the bit at `index` of `owner`'s list `listId` is set.
    /// @param owner The list owner.
    /// @param listId The list's number.
    /// @param index The entry.
    /// @return True when set.
    function isSet(address owner, uint64 listId, uint256 index) external view returns (bool) {
        return (_bits[owner][listId][index >> 8] >> (index & 0xff)) & 1 == 1;
    }
}
