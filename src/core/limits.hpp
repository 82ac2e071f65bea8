#pragma once

#include <cstddef>

// Every bound the pure layer enforces, in one place. Over a limit means a
// clear error, never truncation.
namespace mid::core {

// The transport's maximum request and reply size, from the module's
// documentation (65535 minus IPv4/UDP headers and a margin). Requests of
// exactly this size are accepted; one byte more is rejected whole.
inline constexpr std::size_t kMaxDatagram = 65457;

// Receive buffers hold one byte more than the limit, so an oversize
// datagram is seen as oversize instead of silently cut to the limit.
inline constexpr std::size_t kReceiveBuffer = kMaxDatagram + 1;

// Command names are identifiers ("get_statistics"); 64 bytes is four times
// the longest name in the original command set and keeps error replies
// that quote the name short.
inline constexpr std::size_t kMaxCommandName = 64;

// A request of 65457 bytes holds at most ~32k one-byte argument lines;
// 4096 arguments cover any real command (the largest, get_statistics over
// every group, needs a few dozen) while bounding the parser's fixed
// argument table to 4096 entries.
inline constexpr std::size_t kMaxArguments = 4096;

// No line may be longer than the datagram itself; stated so that code
// sizing per-line buffers has a named bound instead of an assumption.
inline constexpr std::size_t kMaxLineLength = kMaxDatagram;

// MI reply trees are shallow (the deepest built-in reply has depth 2);
// 16 levels leave room for embedders while bounding indentation cost and
// every walk over the tree.
inline constexpr std::size_t kMaxTreeDepth = 16;

// A node prints as at least two bytes ("x\n"), so ~32k nodes could fit a
// reply; 8192 bounds the tree's fixed node table (a few hundred KiB)
// and covers get_statistics over thousands of statistics.
inline constexpr std::size_t kMaxNodes = 8192;

// Attributes across the whole tree; same reasoning as kMaxNodes.
inline constexpr std::size_t kMaxAttributes = 8192;

// Node and attribute names are short identifiers ("group:statistic").
inline constexpr std::size_t kMaxNameLength = 256;

// reply_indent is printed once per depth on every line; 16 bytes times
// kMaxTreeDepth keeps a line's indentation under 256 bytes.
inline constexpr std::size_t kMaxIndent = 16;

// JSON-RPC 2.0 (docs/PROTOCOL.md). A batch answers each call in the same
// datagram; 64 calls is the most whose replies can share one datagram
// with room to spare for real replies.
inline constexpr std::size_t kMaxBatch = 64;
// Batch, call object, params, one array param: 4 levels are all a valid
// request uses; 16 leave room to name what is wrong instead of "too deep".
inline constexpr std::size_t kMaxJsonDepth = 16;
// Parameters and array elements, over all calls of the datagram: as many
// as a text request may carry arguments.
inline constexpr std::size_t kMaxJsonParams = kMaxArguments;
inline constexpr std::size_t kMaxJsonElements = kMaxArguments;
// The deepest nesting a reply may have, the response object included (the
// client's reader): a tree of kMaxTreeDepth levels maps to at most two
// JSON levels per tree level (an object and the array of a merged name)
// under the response object and its "result" member.
inline constexpr std::size_t kMaxReplyDepth = 40;
static_assert(kMaxReplyDepth >= 2 * kMaxTreeDepth + 2);

}  // namespace mid::core
