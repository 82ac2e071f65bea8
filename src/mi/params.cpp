#include "mi/params.hpp"

#include <algorithm>

namespace mid::mi {
namespace {

bool is_named(const GivenParam& param) noexcept {
  return !param.name.empty();
}

// The values given under `name`, counted over every given parameter (text
// may repeat an array parameter's name once per value).
std::size_t given_count(std::span<const GivenParam> given, std::string_view name) noexcept {
  return static_cast<std::size_t>(std::count_if(
      given.begin(), given.end(), [name](const GivenParam& p) { return p.name == name; }));
}

bool form_has(const ParamForm& form, std::string_view name) noexcept {
  return std::any_of(form.begin(), form.end(), [name](const Param& p) { return p.name == name; });
}

// The first form that names every given parameter and is given each of its own.
const ParamForm* named_form(std::span<const ParamForm> forms,
                            std::span<const GivenParam> given) noexcept {
  for (const ParamForm& form : forms) {
    const bool covers_given = std::all_of(
        given.begin(), given.end(), [&form](const auto& p) { return form_has(form, p.name); });
    const bool all_given = std::all_of(form.begin(), form.end(), [given](const Param& p) {
      return given_count(given, p.name) > 0;
    });
    if (!form.empty() && covers_given && all_given) return &form;
  }
  return nullptr;
}

// A form for `n` positional values: one of exactly n parameters, else one
// whose last parameter is an array that takes the values left over (text
// sends an array parameter's values one per line). Several of exactly n
// parameters make the call ambiguous.
ParamsMatch positional_form(std::span<const ParamForm> forms, std::size_t n,
                            const ParamForm*& chosen) noexcept {
  chosen = nullptr;
  const ParamForm* absorbing = nullptr;
  for (const ParamForm& form : forms) {
    if (form.size() == n) {
      if (chosen != nullptr) return ParamsMatch{0, ParamsMismatch::ambiguous, {}};
      chosen = &form;
    } else if (!form.empty() && form.size() < n && form.back().array && absorbing == nullptr) {
      absorbing = &form;
    }
  }
  if (chosen == nullptr) chosen = absorbing;
  if (chosen == nullptr) return ParamsMatch{0, ParamsMismatch::no_form, {}};
  return {};
}

class ArgumentSink {
 public:
  explicit ArgumentSink(std::span<tree::Argument> out) noexcept : out_(out) {}
  // Writes `param`'s values; the mismatch when they do not suit it.
  ParamsMismatch put(const Param& param, std::span<const GivenParam> values) noexcept {
    std::size_t count = 0;
    for (const GivenParam& given : values) {
      if (given.as_array && !param.array) return ParamsMismatch::array_for_value;
      count += given.values.size();
    }
    if (param.array && count == 0) return ParamsMismatch::empty_array;
    for (const GivenParam& given : values) {
      for (const tree::Argument& value : given.values) {
        if (used_ == out_.size()) return ParamsMismatch::no_form;  // over the request's bound
        out_[used_++] = tree::Argument{param.name, value.value};
      }
    }
    return ParamsMismatch::none;
  }
  [[nodiscard]] std::size_t used() const noexcept { return used_; }

 private:
  std::span<tree::Argument> out_;
  std::size_t used_ = 0;
};

ParamsMatch match_named(const ParamForm& form, std::span<const GivenParam> given,
                        std::span<tree::Argument> out) noexcept {
  ArgumentSink sink(out);
  for (const Param& param : form) {
    if (!param.array && given_count(given, param.name) > 1) {
      return ParamsMatch{0, ParamsMismatch::repeated_name, param.name};
    }
    for (const GivenParam& each : given) {
      if (each.name != param.name) continue;
      const auto mismatch = sink.put(param, std::span<const GivenParam>(&each, 1));
      if (mismatch != ParamsMismatch::none) return ParamsMatch{0, mismatch, param.name};
    }
  }
  return ParamsMatch{sink.used(), ParamsMismatch::none, {}};
}

ParamsMatch match_positional(const ParamForm& form, std::span<const GivenParam> given,
                             std::span<tree::Argument> out) noexcept {
  ArgumentSink sink(out);
  for (std::size_t i = 0; i < form.size(); ++i) {
    const bool last = i + 1 == form.size();
    const auto values = last ? given.subspan(i) : given.subspan(i, 1);
    if (values.size() > 1) {
      // Left-over values fill a trailing array, one value each.
      for (const GivenParam& value : values) {
        if (value.as_array) return ParamsMatch{0, ParamsMismatch::no_form, {}};
      }
    }
    for (const GivenParam& value : values) {
      const auto mismatch = sink.put(form[i], std::span<const GivenParam>(&value, 1));
      if (mismatch != ParamsMismatch::none) return ParamsMatch{0, mismatch, form[i].name};
    }
  }
  return ParamsMatch{sink.used(), ParamsMismatch::none, {}};
}

void put_form(core::BoundedWriter& out, const ParamForm& form) noexcept {
  out.put('(');
  for (std::size_t i = 0; i < form.size(); ++i) {
    if (i > 0) out.put(", ");
    out.put(form[i].name);
    if (form[i].array) out.put("[]");
  }
  out.put(')');
}

void put_forms(core::BoundedWriter& out, std::span<const ParamForm> forms) noexcept {
  if (forms.size() == 1 && forms.front().empty()) {
    out.put("none");
    return;
  }
  for (std::size_t i = 0; i < forms.size(); ++i) {
    if (i > 0) out.put(i + 1 == forms.size() ? " or " : ", ");
    put_form(out, forms[i]);
  }
}

}  // namespace

ParamsMatch match_params(std::span<const ParamForm> forms, std::span<const GivenParam> given,
                         std::span<tree::Argument> out) noexcept {
  if (given.empty()) {
    const bool takes_none =
        std::any_of(forms.begin(), forms.end(), [](const ParamForm& f) { return f.empty(); });
    return takes_none ? ParamsMatch{} : ParamsMatch{0, ParamsMismatch::no_form, {}};
  }
  const bool named = is_named(given.front());
  if (std::any_of(given.begin(), given.end(),
                  [named](const GivenParam& p) { return is_named(p) != named; })) {
    return ParamsMatch{0, ParamsMismatch::mixed, {}};
  }
  if (named) {
    const ParamForm* form = named_form(forms, given);
    if (form == nullptr) return ParamsMatch{0, ParamsMismatch::no_form, {}};
    return match_named(*form, given, out);
  }
  const ParamForm* form = nullptr;
  if (auto found = positional_form(forms, given.size(), form);
      found.mismatch != ParamsMismatch::none) {
    return found;
  }
  return match_positional(*form, given, out);
}

void describe_mismatch(core::BoundedWriter& out, std::span<const ParamForm> forms,
                       const ParamsMatch& match) noexcept {
  switch (match.mismatch) {
    case ParamsMismatch::none:
      return;
    case ParamsMismatch::no_form:
      out.put("expected ");
      put_forms(out, forms);
      return;
    case ParamsMismatch::ambiguous:
      out.put("ambiguous call: name the parameters, one of ");
      put_forms(out, forms);
      return;
    case ParamsMismatch::mixed:
      out.put("named and positional parameters in one call");
      return;
    case ParamsMismatch::array_for_value:
      out.put("parameter ");
      out.put(match.which);
      out.put(" takes one value, not an array");
      return;
    case ParamsMismatch::empty_array:
      out.put("empty array in parameter ");
      out.put(match.which);
      return;
    case ParamsMismatch::repeated_name:
      out.put("parameter ");
      out.put(match.which);
      out.put(" given more than once");
      return;
  }
}

}  // namespace mid::mi
