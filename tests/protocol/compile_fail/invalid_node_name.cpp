// Must not compile: a NodeName literal is checked by the compiler, and
// "bad=name" holds '=' (the ctest node_name_literal_is_checked expects the
// diagnostic to name the check).
#include "tree/node_name.hpp"

constexpr mid::tree::NodeName kBad{"bad=name"};

int main() {
  return static_cast<int>(kBad.view().size());
}
