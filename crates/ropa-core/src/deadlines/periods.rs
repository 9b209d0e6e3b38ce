//! Periods in calendar units counted by Regulation (EEC, Euratom) No 1182/71, periods in real
//! hours, and the organisation's time zone.

use super::holidays::Calendar;
use crate::vocab::Country;
use chrono::{DateTime, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A period in calendar units, counted from the day of an event (a request received, a call
/// made). Serialised as `{"months": 1}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Days(u32),
    Weeks(u32),
    Months(u32),
    Years(u32),
}

impl Period {
    /// The last day of the period by counting alone (1182/71 Art. 3(1) and (2)): the day of the
    /// event is not counted, so `n` days after `from` end on `from + n`; weeks end on the same
    /// weekday, months and years on the same day-number, or on the last day of the month where
    /// that day does not exist (31 January + 1 month → 28 or 29 February). Weekends and holidays
    /// do not move it: use this for retention and review dates. `None` outside chrono's range.
    pub fn last_day(self, from: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Days(n) => from.checked_add_days(Days::new(n.into())),
            Period::Weeks(n) => from.checked_add_days(Days::new(u64::from(n) * 7)),
            Period::Months(n) => add_months(from, n),
            Period::Years(n) => add_years(from, n),
        }
    }

    /// The day a statutory period ends (1182/71 Art. 3): [`Period::last_day`], moved to the next
    /// working day when it is a Saturday, Sunday or public holiday of `country` (Art. 3(4)), and
    /// then, for a period of two days or more, on until it holds at least two working days
    /// (Art. 3(5)). Only official public holidays count here (Art. 2), never customary days off:
    /// a customary day off must not push a legal deadline later. Use this for deadlines to act,
    /// such as answering a data-subject request. `None` outside chrono's range.
    pub fn ends_on(self, from: NaiveDate, country: Country) -> Option<NaiveDate> {
        let calendar = Calendar::new(country);
        let last = self.last_day(from)?;
        let mut end = calendar.working_day_on_or_after(last)?;
        if last.signed_duration_since(from).num_days() >= 2 {
            let mut working = 0;
            let mut day = from;
            while working < 2 && day < end {
                day = day.succ_opt()?;
                if calendar.is_working_day(day) {
                    working += 1;
                }
            }
            end = calendar.add_working_days(end, 2 - working)?;
        }
        Some(end)
    }
}

/// `months` months after `date` by 1182/71: the same day-number, or the last day of the month
/// where it does not exist (31 March + 1 month → 30 April). Counted from `date` in one step, so
/// 31 January + 2 months is 31 March, not 28 March. `None` outside chrono's range.
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}

/// `years` years after `date`: 29 February + 1 year → 28 February. `None` outside chrono's range.
pub fn add_years(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    add_months(date, years.checked_mul(12)?)
}

/// `hours` real elapsed hours after `instant`, as for the 72 hours after a breach became known.
/// Counted on UTC, so across a change to or from summer time the wall clock moves by one hour
/// more or less; weekends and holidays do not move it. `None` outside chrono's range.
pub fn hours_after(instant: DateTime<Utc>, hours: u32) -> Option<DateTime<Utc>> {
    instant.checked_add_signed(TimeDelta::try_hours(hours.into())?)
}

/// The organisation's time zone: Europe/Copenhagen or Europe/Oslo.
pub fn zone(country: Country) -> Tz {
    match country {
        Country::Denmark => chrono_tz::Europe::Copenhagen,
        Country::Norway => chrono_tz::Europe::Oslo,
    }
}

/// The wall-clock time of `instant` in the organisation's zone. `None` only at the very end of
/// chrono's range, where the local time would not exist.
pub fn local_time(instant: DateTime<Utc>, country: Country) -> Option<NaiveDateTime> {
    let utc = instant.naive_utc();
    let offset = zone(country).offset_from_utc_datetime(&utc).fix();
    utc.checked_add_offset(offset)
}

/// The date of `instant` in the organisation's zone: what "today" is there.
pub fn local_date(instant: DateTime<Utc>, country: Country) -> Option<NaiveDate> {
    local_time(instant, country).map(|t| t.date())
}

/// The instant a wall-clock time in the organisation's zone names. In the hour that occurs twice
/// when summer time ends, the first (summer-time) one: the earlier instant gives the earlier,
/// safer deadline. `None` for a time the clocks skip when summer time begins (02:00–02:59 on
/// the last Sunday of March), which the user must correct, and outside chrono's range.
pub fn local_to_utc(local: NaiveDateTime, country: Country) -> Option<DateTime<Utc>> {
    zone(country).from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc))
}

/// The instant `date` ends in the organisation's zone: the start of the next day there. A
/// deadline "on" a date runs until this instant. `None` outside chrono's range.
pub fn end_of_day(date: NaiveDate, country: Country) -> Option<DateTime<Utc>> {
    let next = date.succ_opt()?;
    // Midnight exists in both zones; the loop only guards against a zone whose clocks skip it.
    (0..4).find_map(|hour| local_to_utc(next.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?), country))
}
