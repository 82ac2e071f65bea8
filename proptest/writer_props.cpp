// Random sequences of BoundedWriter operations against a model: the
// writer holds exactly the model's bytes while they fit, refuses the
// first operation that does not and everything after it, and never
// writes past its span.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "core/bounded_writer.hpp"

namespace mid::proptest {
namespace {

struct Operation {
  int kind = 0;  // 0 put(string), 1 put(char), 2 put_unsigned
  std::string text;
  unsigned long long number = 0;

  [[nodiscard]] std::string bytes() const {
    if (kind == 0) return text;
    if (kind == 1) return text.substr(0, 1);
    return std::to_string(number);
  }
};

rc::Gen<Operation> operation() {
  return rc::gen::build<Operation>(
      rc::gen::set(&Operation::kind, rc::gen::inRange(0, 3)),
      rc::gen::set(&Operation::text, rc::gen::nonEmpty(rc::gen::string<std::string>())),
      rc::gen::set(&Operation::number, rc::gen::arbitrary<unsigned long long>()));
}

RC_GTEST_PROP(BoundedWriterProperties, OperationSequencesKeepTheirInvariants, ()) {
  const std::size_t capacity = *rc::gen::inRange<std::size_t>(0, 200);
  const auto operations = *rc::gen::container<std::vector<Operation>>(operation());
  constexpr std::size_t kGuard = 16;
  std::vector<char> buffer(capacity + kGuard, '\x5a');
  core::BoundedWriter writer(std::span<char>(buffer.data(), capacity));
  std::string model;
  bool model_failed = false;
  for (const Operation& op : operations) {
    const std::string bytes = op.bytes();
    bool ok = false;
    if (op.kind == 0) ok = writer.put(op.text);
    if (op.kind == 1) ok = writer.put(op.text[0]);
    if (op.kind == 2) ok = writer.put_unsigned(op.number);
    const bool fits = !model_failed && bytes.size() <= capacity - model.size();
    if (fits) model += bytes;
    model_failed = model_failed || !fits;
    RC_ASSERT(ok == fits);
    RC_ASSERT(writer.failed() == model_failed);
    RC_ASSERT(writer.size() == model.size());
    RC_ASSERT(writer.size() <= writer.capacity());
    RC_ASSERT(writer.view() == model);
  }
  for (std::size_t i = capacity; i < buffer.size(); ++i) RC_ASSERT(buffer[i] == '\x5a');
}

}  // namespace
}  // namespace mid::proptest
