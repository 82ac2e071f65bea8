#include "protocol/text/error_reply.hpp"

#include "core/bounded_writer.hpp"

namespace mid::protocol::text {

ErrorReply::ErrorReply(core::Error error) noexcept : code_(core::reply_code_of(error.code)) {
  core::BoundedWriter out(text_);
  out.put(core::to_string(core::area_of(error.code)));
  out.put(" at byte ");
  out.put_unsigned(error.offset);
  out.put(": ");
  out.put(core::to_string(error.code));
  // Cannot fail: the longest area, offset and reason together are under
  // 100 bytes, and the buffer holds 128.
  size_ = out.size();
}

}  // namespace mid::protocol::text
