#pragma once

// RapidJSON's SAX reader, as every file of ours includes it, so that all
// of them see the same definitions of its inline functions.
//
// Never with RAPIDJSON_SSE2 or RAPIDJSON_SSE42: in RapidJSON 1.1 (Debian
// 12) the SSE2 string scans find a raw control byte by comparing with
// 0x19, so a raw 0x1A..0x1F inside a string passes as valid JSON (the
// AFL++ campaign of the request path found it: an id holding 0x1E was
// echoed raw). Without them the reader checks every string byte itself.
#if defined(RAPIDJSON_SSE2) || defined(RAPIDJSON_SSE42)
#error "RapidJSON 1.1's SIMD string scans let raw 0x1A..0x1F through"
#endif

#include <rapidjson/error/error.h>
#include <rapidjson/stream.h>

// The request parser reports the reader's position with every event, and
// the reader's copy optimization works on a copy of the stream that it
// writes back only after the event: no copy for the in-situ stream, so
// that Tell() inside an event is where the token ended. (An explicit
// specialization wins over the library's partial one; it comes before
// any use, in every file of ours that includes the reader.)
template <>
struct rapidjson::StreamTraits<rapidjson::InsituStringStream> {
  enum { copyOptimization = 0 };
};

#include <rapidjson/reader.h>
