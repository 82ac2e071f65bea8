#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "protocol/jsonrpc/request.hpp"

namespace mid::protocol::jsonrpc {

// A parse's result: the document when `error.code` is none; otherwise an
// empty document and the whole-document error (a call's own error is in
// its Call::error, with the rest of the batch parsed).
struct ParseOutcome {
  Document document;
  RpcError error;
};

// Parses JSON-RPC 2.0 request datagrams (RFC 8259 JSON, UTF-8).
//
// One parser per worker. The constructor allocates everything a parse can
// need (the reader's stack for one datagram-sized string, the call, param
// and element tables, the decoded-string arena: about 480 KiB); parse()
// never allocates, recurses at most kMaxJsonDepth + 1 levels (one frame
// per open container; deeper is refused before it is read), takes time
// linear in the datagram (the duplicate-name check is O(n log n) in a
// call's named parameters), reads no byte past the datagram (it reads a
// copy in its arena) and needs no NUL terminator.
//
// The views of a successful outcome point into the datagram and into the
// parser; they are valid until the next parse() or the parser's end.
//
// Whole-document errors (offset <= datagram.size()):
//   parse_error      not JSON (each RapidJSON syntax error has its own
//                    text), invalid UTF-8, a lone surrogate escape, an
//                    empty or blank datagram, any byte after the document
//                    other than JSON whitespace (an embedded NUL too).
//   invalid_request  a top level that is neither an object nor an array,
//                    an empty batch, a batch of more than kMaxBatch calls,
//                    nesting deeper than kMaxJsonDepth (the parse stops
//                    there), more than kMaxJsonParams parameters or
//                    kMaxJsonElements array elements in the datagram, a
//                    datagram over core::kMaxDatagram bytes (offset
//                    kMaxDatagram).
// A parse_error anywhere wins over invalid_request, except after nesting
// too deep, where the parse stops.
//
// Per-call errors (Call::error): invalid_request for a batch element that
// is not an object, "jsonrpc" missing or not the string "2.0", "method"
// missing or not a string, an "id" that is not a string, number or null
// (has_id is then false), any other member name, a duplicate member
// (names compared byte for byte after decoding), "params" neither an
// array nor an object; invalid_params for a parameter that is an object
// or an array holding a non-scalar, and a duplicate parameter name. The
// first error of a call is kept; `id` is kept whenever the id member
// itself was valid.
//
// Values: Call::id is the id's bytes as sent; a number's text is as
// written, at any magnitude (1e400 is valid JSON); strings are decoded
// (they may hold "\u0000"). `params` absent is ParamsShape::absent; `[]`
// and `{}` are positional and named with no parameters.
class RequestParser {
 public:
  RequestParser();
  ~RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;
  RequestParser(RequestParser&&) = delete;
  RequestParser& operator=(RequestParser&&) = delete;

  [[nodiscard]] ParseOutcome parse(std::string_view datagram) noexcept;

  // Where decoded strings live: every view of an outcome points into the
  // datagram or into this (for harnesses that check exactly that).
  [[nodiscard]] std::span<const char> arena() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mid::protocol::jsonrpc
