// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IDIDOwnership} from "./IDIDOwnership.sol";

/// @title Anchors of hash-chained audit logs
/// @notice A stream is one audit log, named by an ERC-1056 identity (a did:ethr address). Each anchor records
///         the Merkle root (RFC 9162 §2.1, sha256) of the next `count` log entries starting at `firstSeq`, so
///         any single entry can later be proven with a short inclusion path, and a whole export of the log
///         can be checked against the roots. Anchors of a stream must be contiguous (the first one starts at
///         sequence 1, each next one right after the last), so a log cannot be anchored twice or with a hole.
///         Event-sourced like the StatusRegistry: roots live only in `Anchored` logs; the contract keeps the
///         number of anchors, the last anchored sequence and a running head
///         `head' = keccak256(head ‖ root ‖ uint64 firstSeq ‖ uint64 count)`, so a reader proves it holds every
///         anchor by recomputing the head. About 40,000 gas per anchor whatever its size.
/// @dev Only hashes and counts reach the chain: no entry content, no personal data. Control follows the
///      identity's current ERC-1056 owner, so a rotated key keeps anchoring the same stream.
contract AuditAnchor {
    /// @notice Per-stream state: two storage words.
    struct Stream {
        bytes32 head;
        uint64 anchoredThrough;
        uint64 anchors;
    }

    /// @notice The ERC-1056 registry that decides who controls a stream's identity.
    IDIDOwnership public immutable didRegistry;

    mapping(address stream => Stream) private _streams;

    /// @notice Entries `firstSeq` .. `firstSeq + count - 1` of `stream` were anchored.
    /// @param stream The identity naming the log.
    /// @param index The anchor's number in the stream, from 0.
    /// @param firstSeq Sequence number of the first anchored entry.
    /// @param count Number of anchored entries.
    /// @param root RFC 9162 Merkle tree hash over the entries' hashes, in sequence order.
    /// @param head The stream's running head after this anchor.
    event Anchored(
        address indexed stream, uint64 indexed index, uint64 firstSeq, uint64 count, bytes32 root, bytes32 head
    );

    /// @notice The caller does not control `stream` in the ERC-1056 registry.
    error NotIdentityOwner(address stream, address caller);
    /// @notice The anchor does not start right after the last anchored entry (a repeat or a hole).
    error UnexpectedFirstSeq(address stream, uint64 expected, uint64 given);
    /// @notice An anchor must cover at least one entry.
    error EmptyAnchor(address stream);

    /// @param registry The ERC-1056 EthereumDIDRegistry deployment.
    constructor(IDIDOwnership registry) {
        didRegistry = registry;
    }

    /// @notice Anchors the next `count` entries of `stream`'s log.
    /// @param stream The identity naming the log; the caller must be its current ERC-1056 owner.
    /// @param firstSeq Must be the stream's `anchoredThrough + 1`.
    /// @param count Number of entries covered, at least 1.
    /// @param root RFC 9162 Merkle tree hash over those entries' hashes.
    function anchor(address stream, uint64 firstSeq, uint64 count, bytes32 root) external {
        if (didRegistry.identityOwner(stream) != msg.sender) revert NotIdentityOwner(stream, msg.sender);
        if (count == 0) revert EmptyAnchor(stream);
        Stream storage s = _streams[stream];
        uint64 through = s.anchoredThrough;
        if (firstSeq != through + 1) revert UnexpectedFirstSeq(stream, through + 1, firstSeq);
        uint64 index = s.anchors;
        bytes32 previous = index == 0 ? genesisHead(stream) : s.head;
        bytes32 head = keccak256(abi.encodePacked(previous, root, firstSeq, count));
        s.head = head;
        s.anchoredThrough = through + count;
        s.anchors = index + 1;
        emit Anchored(stream, index, firstSeq, count, root, head);
    }

    /// @notice A stream's state.
    /// @param stream The identity naming the log.
    /// @return anchoredThrough Sequence number of the last anchored entry (0 before the first anchor).
    /// @return anchors Number of anchors so far.
    /// @return head The running head after `anchors` anchors (the genesis head before the first).
    function getStream(address stream) external view returns (uint64 anchoredThrough, uint64 anchors, bytes32 head) {
        Stream storage s = _streams[stream];
        return (s.anchoredThrough, s.anchors, s.anchors == 0 ? genesisHead(stream) : s.head);
    }

    /// @notice The head a stream starts from: domain-separated by chain, contract and stream, so the anchors of
    ///         another chain, contract or stream can never reproduce it.
    /// @param stream The identity naming the log.
    /// @return The genesis head.
    function genesisHead(address stream) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), stream));
    }
}
