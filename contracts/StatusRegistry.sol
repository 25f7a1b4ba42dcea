// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IDIDOwnership} from "./IDIDOwnership.sol";

/// @title Event-sourced credential status lists
/// @notice Each issuer identity (an ERC-1056 did:ethr address) owns status lists of 2^k entries
///         (k from 17 to 24, so at least 131,072 entries for herd privacy). A list has one purpose:
///         revocation or superseded (entries can only be set: final), suspension or encumbered (entries can be
///         set and cleared). Property registries also record title transfers (`supersede`): the superseded bit
///         of the old certificate and, in the same transaction, a `TitleTransferred` link of hashes and indexes.
///         The bits themselves are not stored: every update carries its changed indexes in calldata and in
///         a `StatusUpdated` log, and the contract keeps only a per-list version and a running head hash
///         `head' = keccak256(head ‖ uint8(operation) ‖ indexes)`. A reader rebuilds the list from logs and
///         proves its copy complete by recomputing the head. This keeps a change at ~100 gas instead of a
///         ~23,000-gas storage write.
/// @dev Ownership follows the identity's current owner in the ERC-1056 registry, so a rotated agency key
///      keeps control of its lists and the old key loses it. Day-to-day writes (`update`, `supersede`) may also
///      come from the identity's ERC-1056 delegate of type `govcred/statusWriter` while it is valid: the owner
///      (governance, offline) then never signs a routine status change, and a stolen writer key can change
///      status bits until the owner revokes it, but can neither create lists nor touch the identity's keys or
///      owner. No personal data ever reaches this contract.
contract StatusRegistry {
    /// @notice What the entries of a list mean.
    enum Purpose {
        Revocation,
        Suspension,
        Superseded,
        Encumbered
    }

    /// @notice One title transfer: the old certificate's entry is superseded by the new one's.
    /// @param titleId Random id of the title (never derived from the parcel number: see `TitleTransferred`).
    /// @param predecessor keccak256 of the superseded credential (its compact JWT).
    /// @param successor keccak256 of the new credential.
    /// @param predecessorIndex The superseded credential's index in the issuer's lists.
    /// @param successorIndex The new credential's index in the issuer's lists.
    struct TitleTransfer {
        bytes32 titleId;
        bytes32 predecessor;
        bytes32 successor;
        uint32 predecessorIndex;
        uint32 successorIndex;
    }

    /// @notice What an update does to the entries it names.
    enum Operation {
        Set,
        Clear
    }

    /// @notice Per-list state: two storage words.
    struct StatusList {
        bool exists;
        Purpose purpose;
        uint8 sizeLog2;
        uint64 version;
        bytes32 head;
    }

    /// @notice Smallest allowed list size, as a power of two (131,072 entries).
    uint8 public constant MIN_SIZE_LOG2 = 17;
    /// @notice Largest allowed list size, as a power of two (16,777,216 entries: what 3-byte indexes hold).
    uint8 public constant MAX_SIZE_LOG2 = 24;
    /// @notice Bytes per index in an update's packed `indexes`.
    uint256 public constant INDEX_BYTES = 3;
    /// @notice Most bytes of one gap in `updateSorted` (4 × 7 bits hold every gap of a 2^24-entry list).
    uint256 public constant MAX_GAP_BYTES = 4;
    /// @notice Or-ed into the operation byte of the head of a `updateSorted`, so that no packed update and no
    ///         sorted one can ever hash alike (a reader knows from the head which encoding it was given).
    uint8 public constant SORTED_HEAD_FLAG = 0x80;

    /// @notice ERC-1056 delegate type of an identity's status writer (`validDelegate`): it may update the
    ///         identity's lists, never create them. Not a key of the DID document (ethr-did-resolver lists only
    ///         `veriKey` and `sigAuth` delegates), so it cannot sign credentials.
    bytes32 public constant STATUS_WRITER = "govcred/statusWriter";

    /// @notice The ERC-1056 registry that decides who controls an identity.
    IDIDOwnership public immutable didRegistry;

    mapping(address identity => mapping(uint64 listId => StatusList)) private _lists;

    /// @notice Title transfers recorded per issuer identity: a reader proves its copy of the links complete with it.
    mapping(address identity => uint64) public titleTransferCount;

    /// @notice A list was created.
    /// @param identity The issuer identity that owns the list.
    /// @param listId The list's number, chosen by the issuer.
    /// @param purpose Revocation, suspension, superseded or encumbered.
    /// @param sizeLog2 The list has 2^sizeLog2 entries.
    /// @param head The genesis head (version 0).
    event StatusListCreated(
        address indexed identity, uint64 indexed listId, Purpose purpose, uint8 sizeLog2, bytes32 head
    );

    /// @notice Entries of a list were set or cleared.
    /// @param identity The issuer identity that owns the list.
    /// @param listId The list's number.
    /// @param operation Set or clear.
    /// @param version The list's version after this update.
    /// @param head The list's head after this update.
    /// @param indexes The changed indexes, each 3 bytes big-endian, concatenated.
    event StatusUpdated(
        address indexed identity, uint64 indexed listId, Operation operation, uint64 version, bytes32 head, bytes indexes
    );

    /// @notice Entries of a list were set or cleared, named by sorted gaps (`updateSorted`).
    /// @param identity The issuer identity that owns the list.
    /// @param listId The list's number.
    /// @param operation Set or clear.
    /// @param version The list's version after this update.
    /// @param head The list's head after this update: keccak256(head ‖ uint8(operation) | 0x80 ‖ gaps).
    /// @param gaps The changed indexes in ascending order as LEB128 varints, exactly as given to `updateSorted`.
    event StatusUpdatedSorted(
        address indexed identity, uint64 indexed listId, Operation operation, uint64 version, bytes32 head, bytes gaps
    );

    /// @notice A title changed hands: `predecessor` is superseded by `successor`. Hashes and list positions only:
    ///         the title id is random per title (a parcel number is low-entropy, so any hash of it could be
    ///         reversed by trying every parcel of a district); who holds the credential learns it from the
    ///         credential, whoever holds a certificate number finds it through `successorIndex`.
    /// @param identity The issuer identity (the registry that transferred the title).
    /// @param titleId The title's random id.
    /// @param seq 1 for the identity's first transfer, then +1 each (equals `titleTransferCount` after it).
    /// @param listId The superseded list the predecessor's bit was set in.
    /// @param predecessor keccak256 of the superseded credential.
    /// @param successor keccak256 of the new credential.
    /// @param predecessorIndex The superseded credential's index.
    /// @param successorIndex The new credential's index.
    /// @param time Block time of the transfer.
    event TitleTransferred(
        address indexed identity,
        bytes32 indexed titleId,
        uint64 seq,
        uint64 listId,
        bytes32 predecessor,
        bytes32 successor,
        uint32 predecessorIndex,
        uint32 successorIndex,
        uint64 time
    );

    /// @notice The caller does not control `identity` in the ERC-1056 registry.
    error NotIdentityOwner(address identity, address caller);
    /// @notice The caller is neither the identity's ERC-1056 owner nor its valid `govcred/statusWriter` delegate.
    error NotStatusWriter(address identity, address caller);
    /// @notice The list already exists.
    error ListExists(address identity, uint64 listId);
    /// @notice The list does not exist.
    error UnknownList(address identity, uint64 listId);
    /// @notice The size is outside [MIN_SIZE_LOG2, MAX_SIZE_LOG2].
    error InvalidListSize(uint8 sizeLog2);
    /// @notice `indexes` is empty or not a whole number of 3-byte indexes.
    error MalformedIndexes(uint256 length);
    /// @notice A gap of `updateSorted` is zero (an index named twice) or padded (a varint with a zero last byte,
    ///         a second encoding of the same indexes).
    error IndexesNotIncreasing();
    /// @notice An index is not below the list's size.
    error IndexOutOfRange(uint8 sizeLog2);
    /// @notice Revocation is final: a revocation list's entries cannot be cleared.
    error RevocationIsFinal(address identity, uint64 listId);
    /// @notice Supersession is final: a superseded list's entries cannot be cleared.
    error SupersededIsFinal(address identity, uint64 listId);
    /// @notice `supersede` was called on a list whose purpose is not Superseded.
    error NotASupersededList(address identity, uint64 listId);
    /// @notice `supersede` needs one transfer per index, in the same order.
    error TransfersMismatch(uint256 indexes, uint256 transfers);

    modifier onlyIdentityOwner(address identity) {
        if (didRegistry.identityOwner(identity) != msg.sender) revert NotIdentityOwner(identity, msg.sender);
        _;
    }

    /// @dev The owner first: one registry call for the owner, two for a writer (the common case, a few
    ///      thousand gas either way, measured in bench-results/gas.json).
    modifier onlyStatusWriter(address identity) {
        if (
            didRegistry.identityOwner(identity) != msg.sender
                && !didRegistry.validDelegate(identity, STATUS_WRITER, msg.sender)
        ) revert NotStatusWriter(identity, msg.sender);
        _;
    }

    /// @param registry The ERC-1056 EthereumDIDRegistry deployment.
    constructor(IDIDOwnership registry) {
        didRegistry = registry;
    }

    /// @notice Creates a status list owned by `identity`.
    /// @param identity The issuer identity; the caller must be its current ERC-1056 owner.
    /// @param listId The list's number, unique for the identity.
    /// @param purpose Revocation or superseded (final), suspension or encumbered (reversible).
    /// @param sizeLog2 The list gets 2^sizeLog2 entries.
    function createList(address identity, uint64 listId, Purpose purpose, uint8 sizeLog2)
        external
        onlyIdentityOwner(identity)
    {
        if (sizeLog2 < MIN_SIZE_LOG2 || sizeLog2 > MAX_SIZE_LOG2) revert InvalidListSize(sizeLog2);
        StatusList storage list = _lists[identity][listId];
        if (list.exists) revert ListExists(identity, listId);
        // Domain-separated genesis: logs of another chain, registry or list can never reproduce this head.
        bytes32 head = keccak256(abi.encode(block.chainid, address(this), identity, listId, purpose, sizeLog2));
        list.exists = true;
        list.purpose = purpose;
        list.sizeLog2 = sizeLog2;
        list.head = head;
        emit StatusListCreated(identity, listId, purpose, sizeLog2, head);
    }

    /// @notice Sets or clears entries of a list.
    /// @param identity The issuer identity; the caller must be its current ERC-1056 owner or status writer.
    /// @param listId The list's number.
    /// @param operation Set, or clear (suspension and encumbered lists only).
    /// @param indexes The indexes to change, each 3 bytes big-endian, concatenated.
    function update(address identity, uint64 listId, Operation operation, bytes calldata indexes)
        external
        onlyStatusWriter(identity)
    {
        _update(identity, listId, operation, indexes);
    }

    /// @notice Sets or clears entries of a list named by their gaps, the compact form of a large batch of
    ///         random indexes (~1.4 bytes an index in a 2^17 list instead of 3; calldata is most of the cost).
    ///         `gaps` are LEB128 varints (7 bits a byte, low group first, high bit = more bytes follow) of at most
    ///         4 bytes: the first is index₀ + 1, each next one indexᵢ − indexᵢ₋₁. Every gap is at least 1 and
    ///         in shortest form (so no byte is zero: the indexes are strictly increasing and have one encoding),
    ///         and the last index is below the list's size. Logged as given in `StatusUpdatedSorted`.
    /// @param identity The issuer identity; the caller must be its ERC-1056 owner or its status writer delegate.
    /// @param listId The list's number.
    /// @param operation Set, or clear (suspension and encumbered lists only).
    /// @param gaps The indexes to change, ascending, gap-coded as above.
    function updateSorted(address identity, uint64 listId, Operation operation, bytes calldata gaps)
        external
        onlyStatusWriter(identity)
    {
        StatusList storage list = _writableList(identity, listId, operation);
        _checkSortedGaps(gaps, list.sizeLog2);
        uint64 version = list.version + 1;
        bytes32 head = keccak256(abi.encodePacked(list.head, uint8(operation) | SORTED_HEAD_FLAG, gaps));
        list.version = version;
        list.head = head;
        emit StatusUpdatedSorted(identity, listId, operation, version, head, gaps);
    }

    /// @notice Records title transfers: sets the predecessors' entries of a superseded list (one `StatusUpdated`,
    ///         exactly as `update` with Set) and emits one `TitleTransferred` per transfer, in one transaction, so
    ///         the superseded bit never lands without its link nor the link without the bit.
    /// @param identity The issuer identity; the caller must be its current ERC-1056 owner or status writer.
    /// @param listId A list of purpose Superseded.
    /// @param indexes The predecessors' indexes, each 3 bytes big-endian, concatenated.
    /// @param transfers One per index, in the same order.
    function supersede(address identity, uint64 listId, bytes calldata indexes, TitleTransfer[] calldata transfers)
        external
        onlyStatusWriter(identity)
    {
        if (_lists[identity][listId].exists && _lists[identity][listId].purpose != Purpose.Superseded) {
            revert NotASupersededList(identity, listId);
        }
        if (indexes.length != transfers.length * INDEX_BYTES) revert TransfersMismatch(indexes.length, transfers.length);
        _update(identity, listId, Operation.Set, indexes);
        uint64 seq = titleTransferCount[identity];
        for (uint256 i = 0; i < transfers.length; ++i) {
            TitleTransfer calldata t = transfers[i];
            emit TitleTransferred(
                identity,
                t.titleId,
                ++seq,
                listId,
                t.predecessor,
                t.successor,
                t.predecessorIndex,
                t.successorIndex,
                uint64(block.timestamp)
            );
        }
        titleTransferCount[identity] = seq;
    }

    function _update(address identity, uint64 listId, Operation operation, bytes calldata indexes) private {
        StatusList storage list = _writableList(identity, listId, operation);
        uint256 length = indexes.length;
        if (length == 0 || length % INDEX_BYTES != 0) revert MalformedIndexes(length);
        uint8 sizeLog2 = list.sizeLog2;
        _checkRange(indexes, sizeLog2);

        uint64 version = list.version + 1;
        bytes32 head = keccak256(abi.encodePacked(list.head, uint8(operation), indexes));
        list.version = version;
        list.head = head;
        emit StatusUpdated(identity, listId, operation, version, head, indexes);
    }

    /// @dev The list, if it exists and `operation` is allowed on its purpose (final purposes are never cleared).
    function _writableList(address identity, uint64 listId, Operation operation)
        private
        view
        returns (StatusList storage list)
    {
        list = _lists[identity][listId];
        if (!list.exists) revert UnknownList(identity, listId);
        if (operation == Operation.Clear) {
            if (list.purpose == Purpose.Revocation) revert RevocationIsFinal(identity, listId);
            if (list.purpose == Purpose.Superseded) revert SupersededIsFinal(identity, listId);
        }
    }

    /// @notice A list's state.
    /// @param identity The owning issuer identity.
    /// @param listId The list's number.
    /// @return exists Whether the list exists.
    /// @return purpose Revocation, suspension, superseded or encumbered.
    /// @return sizeLog2 The list has 2^sizeLog2 entries.
    /// @return version Number of updates applied.
    /// @return head The running head hash after `version` updates.
    function getList(address identity, uint64 listId)
        external
        view
        returns (bool exists, Purpose purpose, uint8 sizeLog2, uint64 version, bytes32 head)
    {
        StatusList storage list = _lists[identity][listId];
        return (list.exists, list.purpose, list.sizeLog2, list.version, list.head);
    }

    /// @dev Checks ten 3-byte indexes per 32-byte word: every index must have its bits above `sizeLog2` clear.
    ///      Hand-written because a per-index loop would cost ~40 gas an index, a fifth of the budget.
    function _checkRange(bytes calldata indexes, uint8 sizeLog2) private pure {
        if (sizeLog2 >= 24) return;
        uint256 fieldMask = ((uint256(1) << (24 - sizeLog2)) - 1) << sizeLog2;
        uint256 mask;
        for (uint256 i = 0; i < 10; ++i) {
            mask |= fieldMask << (256 - 24 * (i + 1));
        }
        bool bad;
        assembly ("memory-safe") {
            let end := add(indexes.offset, indexes.length)
            for { let p := indexes.offset } lt(p, end) { p := add(p, 30) } {
                let word := calldataload(p)
                let remaining := sub(end, p)
                if lt(remaining, 30) {
                    // Keep only the bytes that belong to `indexes`.
                    word := and(word, not(sub(shl(sub(256, mul(remaining, 8)), 1), 1)))
                }
                if and(word, mask) { bad := 1 }
            }
        }
        if (bad) revert IndexOutOfRange(sizeLog2);
    }

    /// @dev Checks `updateSorted`'s gaps 28 bytes at a time without decoding them one by one (a byte loop would
    ///      cost ~50 gas a byte, half the budget): each 32-byte word read holds 4 bytes of context (the bytes before
    ///      the chunk, for positions inside a varint) and 28 bytes of the chunk. Per byte, SWAR: zero (forbidden),
    ///      its position in its varint from the continuation bits of the 1–4 bytes before it (a fifth byte is
    ///      forbidden), and its 7 value bits summed per position. The sum of all gaps, Σ low7 · 128^position, is
    ///      the last index + 1, which must not exceed the list's size.
    function _checkSortedGaps(bytes calldata gaps, uint8 sizeLog2) private pure {
        uint256 length = gaps.length;
        if (length == 0) revert MalformedIndexes(0);
        uint256 total;
        uint256 bad;
        assembly ("memory-safe") {
            // Σ of a word's bytes (each < 128): pairs into 16-bit lanes, then one multiplication adds the 16 lanes
            // into the top one.
            function byteSum(x) -> sum {
                sum := shr(240, mul(add(and(x, 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff), and(shr(8, x), 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff)), 0x0001000100010001000100010001000100010001000100010001000100010001))
            }
            // What positions 2 and 3 add to a chunk's sum (on top of 1 + 127·[k≥1]), and flag 2 for a fifth byte.
            // `p2` marks the bytes at position ≥ 2.
            function deepPositions(w, low, p2) -> sum, flags {
                let p3 := and(p2, shr(24, w))
                if and(p3, shr(32, w)) { flags := 2 }
                sum := add(mul(16256, byteSum(and(low, mul(shr(7, p2), 0xff)))), mul(2080768, byteSum(and(low, mul(shr(7, p3), 0xff)))))
            }
            // One chunk: `w` is 4 context bytes and 28 chunk bytes, `valid` marks (0xff) the chunk bytes to check.
            // Returns their Σ low7 · 128^position and flags: 1 a zero byte, 2 a fifth byte of a varint.
            function chunk(w, valid) -> sum, flags {
                let v80 := and(valid, 0x8080808080808080808080808080808080808080808080808080808080808080)
                // Exact per byte: (b & 0x7f) + 0x7f carries into bit 7 unless b & 0x7f is 0.
                flags := iszero(iszero(and(not(or(add(and(w, 0x7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f), 0x7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f), w)), v80)))
                let low := and(w, and(valid, 0x7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f))
                let p1 := and(shr(8, w), v80)
                // 128^k = 1 + 127·[k≥1] + 16,256·[k≥2] + 2,080,768·[k≥3]
                sum := add(byteSum(low), mul(127, byteSum(and(low, mul(shr(7, p1), 0xff)))))
                let p2 := and(p1, shr(16, w))
                if p2 {
                    let deepSum, deepFlags := deepPositions(w, low, p2)
                    sum := add(sum, deepSum)
                    flags := or(flags, deepFlags)
                }
            }
            // Every whole chunk from `p` on (while p < last): `chunk` written out and cut to the bone (~10 gas a
            // byte), with its constants on the stack (as literals the optimizer turned them into code copies).
            // Segments of at most 256 chunks keep each byte pair's sum in a 16-bit lane of `a` (all bytes) and
            // `b` (bytes inside a varint) without overflow (256 × 254 < 65,536), added up once a segment.
            function wholeChunks(p, last) -> sum, flags, next {
                let ch80 := and(shl(7, div(not(0), 0xff)), shr(32, not(0)))
                let m16 := mul(0xff, div(not(0), 0xffff))
                for { } lt(p, last) { } {
                    let segmentEnd := add(p, 7168)
                    if gt(segmentEnd, last) { segmentEnd := last }
                    let a := 0
                    let b := 0
                    for { } lt(p, segmentEnd) { p := add(p, 28) } {
                        let w := calldataload(sub(p, 4))
                        // A zero byte. Exact as "any": a borrow only reaches bytes above a real zero, and the
                        // context bytes, above the chunk, are masked out.
                        flags := or(flags, and(and(sub(w, shr(7, ch80)), not(w)), ch80))
                        let low := and(w, sub(ch80, shr(7, ch80)))
                        let p1 := and(shr(8, w), ch80)
                        let m := and(low, mul(shr(7, p1), 0xff))
                        a := add(a, add(and(low, m16), and(shr(8, low), m16)))
                        b := add(b, add(and(m, m16), and(shr(8, m), m16)))
                        // Gaps of 3 and 4 bytes are rare (≥ 16,384): only their chunks pay for positions 2 and 3.
                        let p2 := and(p1, shr(16, w))
                        if p2 {
                            let deepSum, deepFlags := deepPositions(w, low, p2)
                            sum := add(sum, deepSum)
                            flags := or(flags, deepFlags)
                        }
                    }
                    a := add(and(a, 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff), and(shr(16, a), 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff))
                    b := add(and(b, 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff), and(shr(16, b), 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff))
                    sum := add(sum, add(shr(224, mul(a, 0x0000000100000001000000010000000100000001000000010000000100000001)), mul(127, shr(224, mul(b, 0x0000000100000001000000010000000100000001000000010000000100000001)))))
                }
                next := p
            }
            let chunkBytes := shr(32, not(0))
            let end := add(gaps.offset, length)
            // The first chunk continues no varint: its context is cleared. It and the last may be partial.
            let valid := chunkBytes
            if lt(length, 28) { valid := and(valid, not(shr(mul(8, add(4, length)), not(0)))) }
            total, bad := chunk(and(calldataload(sub(gaps.offset, 4)), chunkBytes), valid)
            let sum, flags, p := wholeChunks(add(gaps.offset, 28), sub(end, 27))
            total := add(total, sum)
            bad := or(bad, flags)
            if lt(p, end) {
                sum, flags := chunk(calldataload(sub(p, 4)), and(chunkBytes, not(shr(mul(8, add(4, sub(end, p))), not(0)))))
                total := add(total, sum)
                bad := or(bad, flags)
            }
            // The last byte must end its varint.
            if and(byte(0, calldataload(sub(end, 1))), 0x80) { bad := or(bad, 2) }
        }
        // `bad`: bit 1 a fifth or unended varint byte; any other bit a zero byte.
        if (bad & 2 != 0) revert MalformedIndexes(length);
        if (bad != 0) revert IndexesNotIncreasing();
        if (total > (uint256(1) << sizeLog2)) revert IndexOutOfRange(sizeLog2);
    }
}
