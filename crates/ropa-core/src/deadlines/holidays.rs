//! Public holidays of Denmark and Norway, the Danish customary days off, and working days: all
//! computed from rules (Easter by the Computus), never listed per year.

use crate::vocab::Country;
use chrono::{Datelike, NaiveDate, Weekday};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which holiday a day is. The id is its serialised form and the suffix of its catalog key
/// (`holiday.<id>`); Danish and Norwegian days of the same name share an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum HolidayId {
    /// 1 January: nytårsdag / 1. nyttårsdag.
    NewYearsDay,
    /// Easter − 3: skærtorsdag / skjærtorsdag.
    MaundyThursday,
    /// Easter − 2: langfredag.
    GoodFriday,
    /// påskedag / 1. påskedag.
    EasterSunday,
    /// Easter + 1: 2. påskedag.
    EasterMonday,
    /// Easter + 26: store bededag (Denmark, abolished as a holiday from 2024).
    GreatPrayerDay,
    /// 1 May: offentlig høytidsdag (Norway).
    LabourDay,
    /// Norway 17 May (grunnlovsdag, a public holiday); Denmark 5 June (grundlovsdag, customary).
    ConstitutionDay,
    /// Easter + 39: Kristi himmelfartsdag.
    AscensionDay,
    /// Easter + 49: pinsedag / 1. pinsedag.
    WhitSunday,
    /// Easter + 50: 2. pinsedag.
    WhitMonday,
    /// 24 December: juleaftensdag (customary, Denmark).
    ChristmasEve,
    /// 25 December: juledag / 1. juledag.
    ChristmasDay,
    /// 26 December: 2. juledag.
    BoxingDay,
    /// 31 December: nytårsaftensdag (customary, Denmark).
    NewYearsEve,
}

impl HolidayId {
    /// Every holiday id, in calendar order.
    pub const ALL: &'static [HolidayId] = &[
        HolidayId::NewYearsDay,
        HolidayId::MaundyThursday,
        HolidayId::GoodFriday,
        HolidayId::EasterSunday,
        HolidayId::EasterMonday,
        HolidayId::GreatPrayerDay,
        HolidayId::LabourDay,
        HolidayId::ConstitutionDay,
        HolidayId::AscensionDay,
        HolidayId::WhitSunday,
        HolidayId::WhitMonday,
        HolidayId::ChristmasEve,
        HolidayId::ChristmasDay,
        HolidayId::BoxingDay,
        HolidayId::NewYearsEve,
    ];

    /// The stable id, as serialised and used in catalog keys.
    pub fn id(self) -> &'static str {
        match self {
            HolidayId::NewYearsDay => "new_years_day",
            HolidayId::MaundyThursday => "maundy_thursday",
            HolidayId::GoodFriday => "good_friday",
            HolidayId::EasterSunday => "easter_sunday",
            HolidayId::EasterMonday => "easter_monday",
            HolidayId::GreatPrayerDay => "great_prayer_day",
            HolidayId::LabourDay => "labour_day",
            HolidayId::ConstitutionDay => "constitution_day",
            HolidayId::AscensionDay => "ascension_day",
            HolidayId::WhitSunday => "whit_sunday",
            HolidayId::WhitMonday => "whit_monday",
            HolidayId::ChristmasEve => "christmas_eve",
            HolidayId::ChristmasDay => "christmas_day",
            HolidayId::BoxingDay => "boxing_day",
            HolidayId::NewYearsEve => "new_years_eve",
        }
    }
}

/// One day off in one country's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Holiday {
    pub date: NaiveDate,
    pub id: HolidayId,
    /// An official public holiday (helligdag / helligdag eller offentlig høytidsdag). `false` for
    /// a customary day off, which counts only where the organisation's calendar says so.
    pub public_holiday: bool,
}

/// Easter Sunday of `year` in the Gregorian calendar, by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher). `None` only where the date is outside chrono's range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    // Euclidean division keeps every remainder non-negative, so that no year can produce an
    // impossible month or day; i64 keeps the products far from overflow.
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c.div_euclid(4), c.rem_euclid(4));
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n.div_euclid(31)).ok()?;
    let day = u32::try_from(n.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The official public holidays of `country` in `year`, in date order. Two holidays on one date
/// (Norway's 17 May on Ascension or Whit Monday) are both listed. Empty for a year outside
/// chrono's range.
///
/// Denmark: nytårsdag, skærtorsdag, langfredag, påskedag, 2. påskedag, Kristi himmelfartsdag,
/// pinsedag, 2. pinsedag, juledag, 2. juledag, and store bededag up to 2023 (abolished by law
/// from 2024). Norway: the same without store bededag, plus 1 May and 17 May.
pub fn public_holidays(country: Country, year: i32) -> Vec<Holiday> {
    let Some(easter) = easter_sunday(year) else { return Vec::new() };
    let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let moving = |days: i64| easter.checked_add_signed(chrono::TimeDelta::days(days));
    let mut days = vec![
        (fixed(1, 1), HolidayId::NewYearsDay),
        (moving(-3), HolidayId::MaundyThursday),
        (moving(-2), HolidayId::GoodFriday),
        (Some(easter), HolidayId::EasterSunday),
        (moving(1), HolidayId::EasterMonday),
        (moving(39), HolidayId::AscensionDay),
        (moving(49), HolidayId::WhitSunday),
        (moving(50), HolidayId::WhitMonday),
        (fixed(12, 25), HolidayId::ChristmasDay),
        (fixed(12, 26), HolidayId::BoxingDay),
    ];
    match country {
        Country::Denmark if year <= 2023 => days.push((moving(26), HolidayId::GreatPrayerDay)),
        Country::Denmark => {}
        Country::Norway => {
            days.push((fixed(5, 1), HolidayId::LabourDay));
            days.push((fixed(5, 17), HolidayId::ConstitutionDay));
        }
    }
    collect(days, true)
}

/// The days that are customarily off without being public holidays, in date order: in Denmark
/// grundlovsdag (5 June), juleaftensdag (24 December) and nytårsaftensdag (31 December). None in
/// Norway. They count as days off only in a [`Calendar`] that has `customary_days_off` set.
pub fn customary_days_off(country: Country, year: i32) -> Vec<Holiday> {
    let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    match country {
        Country::Denmark => collect(
            vec![
                (fixed(6, 5), HolidayId::ConstitutionDay),
                (fixed(12, 24), HolidayId::ChristmasEve),
                (fixed(12, 31), HolidayId::NewYearsEve),
            ],
            false,
        ),
        Country::Norway => Vec::new(),
    }
}

fn collect(days: Vec<(Option<NaiveDate>, HolidayId)>, public_holiday: bool) -> Vec<Holiday> {
    let mut out: Vec<Holiday> =
        days.into_iter().filter_map(|(date, id)| Some(Holiday { date: date?, id, public_holiday })).collect();
    out.sort();
    out
}

/// Whether `date` is an official public holiday of `country` (weekends aside).
pub fn is_public_holiday(country: Country, date: NaiveDate) -> bool {
    public_holidays(country, date.year()).iter().any(|h| h.date == date)
}

/// The organisation's working days: Monday to Friday, less the public holidays of its country
/// and, when `customary_days_off` is set, the customary days off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Calendar {
    pub country: Country,
    /// Danish 5 June, 24 and 31 December are days off too (a setting of the organisation).
    pub customary_days_off: bool,
}

impl Calendar {
    /// The calendar of official public holidays only: what statutory periods use.
    pub fn new(country: Country) -> Self {
        Calendar { country, customary_days_off: false }
    }

    /// Every day off in `year` that falls on any day of the week, in date order.
    pub fn days_off(&self, year: i32) -> Vec<Holiday> {
        let mut days = public_holidays(self.country, year);
        if self.customary_days_off {
            days.extend(customary_days_off(self.country, year));
            days.sort();
        }
        days
    }

    /// Monday to Friday and not a day off.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        is_weekday(date) && !self.days_off(date.year()).iter().any(|h| h.date == date)
    }

    /// `date` itself when it is a working day, else the first working day after it. `None` only
    /// at the end of chrono's range.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut year = YearDaysOff::new(self, date.year());
        let mut day = date;
        while !year.is_working_day(self, day) {
            day = day.succ_opt()?;
        }
        Some(day)
    }

    /// The `n`th working day after `from`; `from` itself is not counted (Regulation 1182/71
    /// Art. 3(1): the day of the event is not part of the period), so one working day after a
    /// Friday is the Monday, and one after a Saturday is the Monday too. `n` = 0 gives `from`.
    /// `None` when the result would be outside chrono's range.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        // n working days take at least n calendar days.
        from.checked_add_days(chrono::Days::new(n.into()))?;
        let mut year = YearDaysOff::new(self, from.year());
        let mut day = from;
        let mut left = n;
        // Day by day to the end of the first year, then whole years while more than a year's
        // working days are left, then day by day again: a huge `n` costs one step per year.
        while left > 0 && (day.month(), day.day()) != (12, 31) {
            day = day.succ_opt()?;
            if year.is_working_day(self, day) {
                left -= 1;
            }
        }
        while left > 0 {
            let next = day.year().checked_add(1)?;
            let in_next = self.working_days_in_year(next)?;
            if left <= in_next {
                break;
            }
            left -= in_next;
            day = NaiveDate::from_ymd_opt(next, 12, 31)?;
        }
        while left > 0 {
            day = day.succ_opt()?;
            if year.is_working_day(self, day) {
                left -= 1;
            }
        }
        Some(day)
    }

    /// How many working days `year` has. `None` for a year outside chrono's range.
    pub fn working_days_in_year(&self, year: i32) -> Option<u32> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31)?;
        let length = last.ordinal(); // 365 or 366: 52 whole weeks and one or two days more
        let extra = (0..length - 364).filter_map(|i| first.checked_add_days(chrono::Days::new(i.into())));
        let weekdays = 52 * 5 + u32::try_from(extra.filter(|d| is_weekday(*d)).count()).ok()?;
        let mut off: Vec<NaiveDate> = self.days_off(year).iter().map(|h| h.date).filter(|d| is_weekday(*d)).collect();
        off.dedup(); // sorted, and two holidays may share a date
        weekdays.checked_sub(u32::try_from(off.len()).ok()?)
    }
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The days off of one year, recomputed only when a walk over the days crosses into another.
struct YearDaysOff {
    year: i32,
    dates: Vec<NaiveDate>,
}

impl YearDaysOff {
    fn new(calendar: &Calendar, year: i32) -> Self {
        YearDaysOff { year, dates: calendar.days_off(year).iter().map(|h| h.date).collect() }
    }

    fn is_working_day(&mut self, calendar: &Calendar, date: NaiveDate) -> bool {
        if date.year() != self.year {
            *self = YearDaysOff::new(calendar, date.year());
        }
        is_weekday(date) && self.dates.binary_search(&date).is_err()
    }
}
