#include "mi/builtin/format.hpp"

#include "core/bounded_writer.hpp"

namespace mid::mi::builtin {
namespace {

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Days since 1970-01-01 to a proleptic Gregorian date, by 400-year eras.
CivilDate civil_from_days(std::int64_t days) noexcept {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<std::uint64_t>(days - era * 146097);
  const std::uint64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::uint64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::uint64_t shifted_month = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<unsigned>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const auto month =
      static_cast<unsigned>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  const std::int64_t year =
      static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

void put_two_digits(core::BoundedWriter& out, std::uint64_t value) noexcept {
  out.put(static_cast<char>('0' + value / 10 % 10));
  out.put(static_cast<char>('0' + value % 10));
}

}  // namespace

NumberText::NumberText(std::uint64_t value) noexcept {
  do {
    text_[--begin_] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
}

DateText::DateText(std::int64_t seconds) noexcept {
  static constexpr std::string_view kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (seconds < 0) seconds = 0;  // the daemon never started before 1970
  const std::int64_t days = seconds / 86400;
  const auto second_of_day = static_cast<std::uint64_t>(seconds % 86400);
  const CivilDate date = civil_from_days(days);
  core::BoundedWriter out(text_);
  out.put(kDays[static_cast<std::size_t>(days % 7)]);
  out.put(' ');
  out.put(kMonths[date.month - 1]);
  out.put(' ');
  put_two_digits(out, date.day);
  out.put(' ');
  put_two_digits(out, second_of_day / 3600);
  out.put(':');
  put_two_digits(out, second_of_day / 60 % 60);
  out.put(':');
  put_two_digits(out, second_of_day % 60);
  out.put(' ');
  out.put_unsigned(static_cast<std::uint64_t>(date.year));
  out.put(" UTC");
  size_ = out.size();
}

}  // namespace mid::mi::builtin
