#pragma once

// RapidJSON's SAX reader, as every file of ours includes it: with its
// SSE2 scans (strings, whitespace) where the target has SSE2, so that all
// our files see the same definitions of its inline functions. The scans
// read aligned 16-byte blocks up to 15 bytes past the input's NUL: the
// request parser's in-situ buffer carries that padding (JsonScratch).
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
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
