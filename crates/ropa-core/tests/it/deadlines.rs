//! Deadline arithmetic, table-driven: every expected date and time below is written out by hand
//! (Easter Sundays from the published tables, holidays derived from them and checked for their
//! weekday, working-day counts from an independent count), never computed by the code under
//! test.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Utc, Weekday};
use ropa_core::deadlines::*;
use ropa_core::vocab::Country::{self, Denmark as DK, Norway as NO};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a valid date")
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a valid local time")
}

fn utc(text: &str) -> DateTime<Utc> {
    local(text).and_utc()
}

/// Runs every row through `check` and fails once with every row that went wrong.
fn table<T: std::fmt::Debug>(rows: &[T], check: impl Fn(&T) -> Result<(), String>) {
    let failures: Vec<String> =
        rows.iter().filter_map(|row| check(row).err().map(|e| format!("{row:?}: {e}"))).collect();
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), rows.len(), failures.join("\n"));
}

fn expect_eq<T: PartialEq + std::fmt::Debug>(got: T, want: T) -> Result<(), String> {
    if got == want { Ok(()) } else { Err(format!("expected {want:?}, got {got:?}")) }
}

// ---------------------------------------------------------------------------------------------
// Easter and the public holidays

#[test]
fn easter_sunday_matches_the_published_dates() {
    let rows = [
        (1818, "1818-03-22"), // the earliest possible date
        (1943, "1943-04-25"), // the latest possible date
        (2000, "2000-04-23"),
        (2008, "2008-03-23"),
        (2011, "2011-04-24"),
        (2019, "2019-04-21"),
        (2024, "2024-03-31"),
        (2025, "2025-04-20"),
        (2026, "2026-04-05"),
        (2027, "2027-03-28"),
        (2028, "2028-04-16"),
        (2029, "2029-04-01"),
        (2030, "2030-04-21"),
        (2038, "2038-04-25"),
        (2285, "2285-03-22"),
    ];
    table(&rows, |(year, want)| {
        let got = easter_sunday(*year).ok_or("no date")?;
        expect_eq(got.weekday(), Weekday::Sun)?;
        expect_eq(got, d(want))
    });
}

use HolidayId::*;

/// Every Danish public holiday 2025–2030.
const DK_HOLIDAYS: &[(&str, HolidayId)] = &[
    ("2025-01-01", NewYearsDay),
    ("2025-04-17", MaundyThursday),
    ("2025-04-18", GoodFriday),
    ("2025-04-20", EasterSunday),
    ("2025-04-21", EasterMonday),
    ("2025-05-29", AscensionDay),
    ("2025-06-08", WhitSunday),
    ("2025-06-09", WhitMonday),
    ("2025-12-25", ChristmasDay),
    ("2025-12-26", BoxingDay),
    ("2026-01-01", NewYearsDay),
    ("2026-04-02", MaundyThursday),
    ("2026-04-03", GoodFriday),
    ("2026-04-05", EasterSunday),
    ("2026-04-06", EasterMonday),
    ("2026-05-14", AscensionDay),
    ("2026-05-24", WhitSunday),
    ("2026-05-25", WhitMonday),
    ("2026-12-25", ChristmasDay),
    ("2026-12-26", BoxingDay),
    ("2027-01-01", NewYearsDay),
    ("2027-03-25", MaundyThursday),
    ("2027-03-26", GoodFriday),
    ("2027-03-28", EasterSunday),
    ("2027-03-29", EasterMonday),
    ("2027-05-06", AscensionDay),
    ("2027-05-16", WhitSunday),
    ("2027-05-17", WhitMonday),
    ("2027-12-25", ChristmasDay),
    ("2027-12-26", BoxingDay),
    ("2028-01-01", NewYearsDay),
    ("2028-04-13", MaundyThursday),
    ("2028-04-14", GoodFriday),
    ("2028-04-16", EasterSunday),
    ("2028-04-17", EasterMonday),
    ("2028-05-25", AscensionDay),
    ("2028-06-04", WhitSunday),
    ("2028-06-05", WhitMonday),
    ("2028-12-25", ChristmasDay),
    ("2028-12-26", BoxingDay),
    ("2029-01-01", NewYearsDay),
    ("2029-03-29", MaundyThursday),
    ("2029-03-30", GoodFriday),
    ("2029-04-01", EasterSunday),
    ("2029-04-02", EasterMonday),
    ("2029-05-10", AscensionDay),
    ("2029-05-20", WhitSunday),
    ("2029-05-21", WhitMonday),
    ("2029-12-25", ChristmasDay),
    ("2029-12-26", BoxingDay),
    ("2030-01-01", NewYearsDay),
    ("2030-04-18", MaundyThursday),
    ("2030-04-19", GoodFriday),
    ("2030-04-21", EasterSunday),
    ("2030-04-22", EasterMonday),
    ("2030-05-30", AscensionDay),
    ("2030-06-09", WhitSunday),
    ("2030-06-10", WhitMonday),
    ("2030-12-25", ChristmasDay),
    ("2030-12-26", BoxingDay),
];

/// Every Norwegian public holiday (helligdager and offentlige høytidsdager) 2025–2030. In 2027
/// 17 May is also Whit Monday: both are listed.
const NO_HOLIDAYS: &[(&str, HolidayId)] = &[
    ("2025-01-01", NewYearsDay),
    ("2025-04-17", MaundyThursday),
    ("2025-04-18", GoodFriday),
    ("2025-04-20", EasterSunday),
    ("2025-04-21", EasterMonday),
    ("2025-05-01", LabourDay),
    ("2025-05-17", ConstitutionDay),
    ("2025-05-29", AscensionDay),
    ("2025-06-08", WhitSunday),
    ("2025-06-09", WhitMonday),
    ("2025-12-25", ChristmasDay),
    ("2025-12-26", BoxingDay),
    ("2026-01-01", NewYearsDay),
    ("2026-04-02", MaundyThursday),
    ("2026-04-03", GoodFriday),
    ("2026-04-05", EasterSunday),
    ("2026-04-06", EasterMonday),
    ("2026-05-01", LabourDay),
    ("2026-05-14", AscensionDay),
    ("2026-05-17", ConstitutionDay),
    ("2026-05-24", WhitSunday),
    ("2026-05-25", WhitMonday),
    ("2026-12-25", ChristmasDay),
    ("2026-12-26", BoxingDay),
    ("2027-01-01", NewYearsDay),
    ("2027-03-25", MaundyThursday),
    ("2027-03-26", GoodFriday),
    ("2027-03-28", EasterSunday),
    ("2027-03-29", EasterMonday),
    ("2027-05-01", LabourDay),
    ("2027-05-06", AscensionDay),
    ("2027-05-16", WhitSunday),
    ("2027-05-17", ConstitutionDay),
    ("2027-05-17", WhitMonday),
    ("2027-12-25", ChristmasDay),
    ("2027-12-26", BoxingDay),
    ("2028-01-01", NewYearsDay),
    ("2028-04-13", MaundyThursday),
    ("2028-04-14", GoodFriday),
    ("2028-04-16", EasterSunday),
    ("2028-04-17", EasterMonday),
    ("2028-05-01", LabourDay),
    ("2028-05-17", ConstitutionDay),
    ("2028-05-25", AscensionDay),
    ("2028-06-04", WhitSunday),
    ("2028-06-05", WhitMonday),
    ("2028-12-25", ChristmasDay),
    ("2028-12-26", BoxingDay),
    ("2029-01-01", NewYearsDay),
    ("2029-03-29", MaundyThursday),
    ("2029-03-30", GoodFriday),
    ("2029-04-01", EasterSunday),
    ("2029-04-02", EasterMonday),
    ("2029-05-01", LabourDay),
    ("2029-05-10", AscensionDay),
    ("2029-05-17", ConstitutionDay),
    ("2029-05-20", WhitSunday),
    ("2029-05-21", WhitMonday),
    ("2029-12-25", ChristmasDay),
    ("2029-12-26", BoxingDay),
    ("2030-01-01", NewYearsDay),
    ("2030-04-18", MaundyThursday),
    ("2030-04-19", GoodFriday),
    ("2030-04-21", EasterSunday),
    ("2030-04-22", EasterMonday),
    ("2030-05-01", LabourDay),
    ("2030-05-17", ConstitutionDay),
    ("2030-05-30", AscensionDay),
    ("2030-06-09", WhitSunday),
    ("2030-06-10", WhitMonday),
    ("2030-12-25", ChristmasDay),
    ("2030-12-26", BoxingDay),
];

/// The weekday each moving holiday must fall on: a check on the table itself.
fn weekday_of(id: HolidayId) -> Option<Weekday> {
    match id {
        MaundyThursday | AscensionDay => Some(Weekday::Thu),
        GoodFriday => Some(Weekday::Fri),
        EasterSunday | WhitSunday => Some(Weekday::Sun),
        EasterMonday | WhitMonday => Some(Weekday::Mon),
        _ => None,
    }
}

fn check_holidays(country: Country, expected: &[(&str, HolidayId)]) {
    for (date, id) in expected {
        if let Some(weekday) = weekday_of(*id) {
            assert_eq!(d(date).weekday(), weekday, "the table is wrong: {date} {id:?}");
        }
    }
    let years: Vec<i32> = (2025..=2030).collect();
    table(&years, |year| {
        let got: Vec<(NaiveDate, HolidayId)> = public_holidays(country, *year)
            .iter()
            .inspect(|h| assert!(h.public_holiday, "{h:?} is not marked public"))
            .map(|h| (h.date, h.id))
            .collect();
        let want: Vec<(NaiveDate, HolidayId)> =
            expected.iter().map(|(date, id)| (d(date), *id)).filter(|(date, _)| date.year() == *year).collect();
        expect_eq(got, want)
    });
}

#[test]
fn every_danish_public_holiday_2025_to_2030() {
    assert_eq!(DK_HOLIDAYS.len(), 60);
    check_holidays(DK, DK_HOLIDAYS);
}

#[test]
fn every_norwegian_public_holiday_2025_to_2030() {
    assert_eq!(NO_HOLIDAYS.len(), 72);
    check_holidays(NO, NO_HOLIDAYS);
}

#[test]
fn great_prayer_day_is_a_danish_holiday_until_2023_only() {
    assert!(public_holidays(DK, 2022).iter().any(|h| (h.date, h.id) == (d("2022-05-13"), GreatPrayerDay)));
    assert!(public_holidays(DK, 2023).iter().any(|h| (h.date, h.id) == (d("2023-05-05"), GreatPrayerDay)));
    for year in 2024..=2030 {
        assert!(!public_holidays(DK, year).iter().any(|h| h.id == GreatPrayerDay), "{year}");
    }
    assert!(!public_holidays(NO, 2023).iter().any(|h| h.id == GreatPrayerDay));
    assert!(is_public_holiday(DK, d("2023-05-05")));
    assert!(!is_public_holiday(DK, d("2024-04-26")), "the fourth Friday after Easter 2024");
}

#[test]
fn danish_customary_days_off_count_only_when_set() {
    let plain = Calendar::new(DK);
    let customary = Calendar { country: DK, customary_days_off: true };
    let rows = [
        // date, working without the setting, working with it
        ("2026-06-05", true, false),  // grundlovsdag, a Friday
        ("2026-12-24", true, false),  // juleaftensdag, a Thursday
        ("2026-12-31", true, false),  // nytårsaftensdag, a Thursday
        ("2026-12-23", true, true),   // an ordinary Wednesday
        ("2026-12-25", false, false), // juledag
    ];
    table(&rows, |(date, without, with)| {
        expect_eq((plain.is_working_day(d(date)), customary.is_working_day(d(date))), (*without, *with))
    });
    let got: Vec<(NaiveDate, HolidayId, bool)> =
        customary_days_off(DK, 2026).iter().map(|h| (h.date, h.id, h.public_holiday)).collect();
    assert_eq!(
        got,
        vec![
            (d("2026-06-05"), ConstitutionDay, false),
            (d("2026-12-24"), ChristmasEve, false),
            (d("2026-12-31"), NewYearsEve, false)
        ]
    );
    assert!(customary_days_off(NO, 2026).is_empty());
    let norway = Calendar { country: NO, customary_days_off: true };
    assert!(norway.is_working_day(d("2026-12-24")));
    // 2028: Whit Monday is also grundlovsdag; both are listed as days off.
    let both: Vec<HolidayId> =
        customary.days_off(2028).iter().filter(|h| h.date == d("2028-06-05")).map(|h| h.id).collect();
    assert_eq!(both, vec![ConstitutionDay, WhitMonday]);
}

#[test]
fn holiday_and_kind_ids_are_their_serialised_form_and_unique() {
    let mut seen = BTreeSet::new();
    for id in HolidayId::ALL {
        assert_eq!(serde_json::to_value(id).expect("serialises"), serde_json::json!(id.id()));
        assert!(seen.insert(id.id()), "{} twice", id.id());
    }
    for kind in DeadlineKind::ALL {
        assert_eq!(serde_json::to_value(kind).expect("serialises"), serde_json::json!(kind.id()));
        assert!(seen.insert(kind.id()), "{} twice", kind.id());
    }
}

// ---------------------------------------------------------------------------------------------
// Working days

#[test]
fn working_days() {
    let rows = [
        (DK, "2026-03-06", true),  // Friday
        (DK, "2026-03-07", false), // Saturday
        (DK, "2026-03-08", false), // Sunday
        (DK, "2026-04-02", false), // skærtorsdag
        (NO, "2026-04-02", false), // skjærtorsdag
        (DK, "2026-04-07", true),  // the Tuesday after Easter
        (DK, "2026-05-01", true),  // 1 May is no Danish holiday
        (NO, "2026-05-01", false), // but a Norwegian one
        (NO, "2028-05-17", false), // 17 May on a Wednesday
        (DK, "2028-05-17", true),
        (DK, "2026-06-05", true),  // grundlovsdag is customary only
        (DK, "2023-05-05", false), // store bededag 2023
        (DK, "2024-04-26", true),  // no store bededag from 2024
        (DK, "2026-12-24", true),  // juleaftensdag is customary only
        (NO, "2026-12-24", true),
    ];
    table(&rows, |(country, date, want)| expect_eq(Calendar::new(*country).is_working_day(d(date)), *want));
}

#[test]
fn working_days_in_a_year() {
    // Counted independently, day by day.
    let rows = [
        (DK, false, 2023, 252),
        (DK, false, 2024, 254),
        (NO, false, 2024, 252),
        (DK, false, 2026, 254),
        (NO, false, 2026, 253),
        (DK, true, 2026, 251),
    ];
    table(&rows, |(country, customary, year, want)| {
        let calendar = Calendar { country: *country, customary_days_off: *customary };
        expect_eq(calendar.working_days_in_year(*year), Some(*want))
    });
}

#[test]
fn adding_working_days() {
    let rows = [
        // country, customary days off, from, n, expected
        (DK, false, "2026-03-04", 1, "2026-03-05"), // Wednesday → Thursday
        (DK, false, "2026-03-06", 1, "2026-03-09"), // Friday → Monday
        (DK, false, "2026-03-07", 1, "2026-03-09"), // Saturday → Monday
        (DK, false, "2026-03-07", 0, "2026-03-07"), // none to add
        (DK, false, "2026-03-06", 5, "2026-03-13"),
        // Easter: Thursday to Monday are all holidays in both countries.
        (DK, false, "2026-04-01", 1, "2026-04-07"),
        (NO, false, "2026-04-01", 2, "2026-04-08"),
        (DK, false, "2026-03-31", 2, "2026-04-07"),
        // Christmas: 24 December is a working day unless the customary days are off.
        (DK, false, "2026-12-22", 3, "2026-12-28"),
        (DK, true, "2026-12-22", 3, "2026-12-29"),
        (NO, false, "2026-12-22", 3, "2026-12-28"),
        // Over New Year: 31 December and 1 January.
        (DK, false, "2026-12-30", 2, "2027-01-04"),
        (DK, true, "2026-12-30", 2, "2027-01-05"),
        // May in Norway: 1 May on a Friday, Ascension on 14 May.
        (NO, false, "2026-04-30", 1, "2026-05-04"),
        (DK, false, "2026-04-30", 1, "2026-05-01"),
        (NO, false, "2026-05-13", 1, "2026-05-15"),
        // Whole years, counted independently.
        (DK, false, "2025-12-31", 254, "2026-12-31"),
        (DK, false, "2025-12-31", 255, "2027-01-04"),
        (NO, false, "2024-12-31", 253, "2026-01-02"),
        (DK, false, "2025-01-01", 1000, "2028-12-06"),
        (NO, false, "2025-01-01", 1000, "2028-12-12"),
        (DK, true, "2025-06-15", 2000, "2033-05-25"),
    ];
    table(&rows, |(country, customary, from, n, want)| {
        let calendar = Calendar { country: *country, customary_days_off: *customary };
        expect_eq(calendar.add_working_days(d(from), *n), Some(d(want)))
    });
}

#[test]
fn working_day_on_or_after() {
    let rows = [
        (DK, "2026-03-06", "2026-03-06"),
        (DK, "2026-03-07", "2026-03-09"),
        (DK, "2026-04-02", "2026-04-07"),
        (NO, "2027-05-15", "2027-05-18"), // Saturday, Whit Sunday, Whit Monday and 17 May
    ];
    table(&rows, |(country, date, want)| {
        expect_eq(Calendar::new(*country).working_day_on_or_after(d(date)), Some(d(want)))
    });
}

// ---------------------------------------------------------------------------------------------
// Calendar periods (Regulation 1182/71)

#[test]
fn periods_count_to_the_same_day_or_the_end_of_the_month() {
    use Period::*;
    let rows = [
        (Months(1), "2026-01-31", "2026-02-28"),
        (Months(1), "2028-01-31", "2028-02-29"), // 2028 is a leap year
        (Months(1), "2024-01-30", "2024-02-29"),
        (Months(1), "2100-01-31", "2100-02-28"), // 2100 is not
        (Months(1), "2000-01-31", "2000-02-29"), // 2000 is
        (Months(1), "2026-03-31", "2026-04-30"),
        (Months(1), "2026-01-15", "2026-02-15"),
        (Months(1), "2026-12-31", "2027-01-31"),
        (Months(2), "2026-01-31", "2026-03-31"), // from the start, not month by month
        (Months(13), "2026-01-31", "2027-02-28"),
        (Months(16), "2026-10-31", "2028-02-29"),
        (Months(0), "2026-01-31", "2026-01-31"),
        (Years(1), "2028-02-29", "2029-02-28"),
        (Years(4), "2024-02-29", "2028-02-29"),
        (Years(1), "2026-02-28", "2027-02-28"),
        (Years(76), "2024-02-29", "2100-02-28"),
        (Days(10), "2026-03-01", "2026-03-11"), // the day of the event is not counted
        (Days(1), "2026-02-28", "2026-03-01"),
        (Days(1), "2028-02-28", "2028-02-29"),
        (Weeks(2), "2026-03-04", "2026-03-18"),
        (Days(7), "2026-03-06", "2026-03-13"), // weekends are not moved over here
    ];
    table(&rows, |(period, from, want)| expect_eq(period.last_day(d(from)), Some(d(want))));
    assert_eq!(add_months(d("2026-01-31"), 1), Some(d("2026-02-28")));
    assert_eq!(add_years(d("2028-02-29"), 1), Some(d("2029-02-28")));
}

#[test]
fn statutory_periods_end_on_a_working_day() {
    use Period::*;
    let rows = [
        // A plain weekday stays.
        (DK, Months(1), "2026-01-15", "2026-02-16"), // 15 February 2026 is a Sunday
        (DK, Months(1), "2026-02-10", "2026-03-10"),
        // Saturday → Monday.
        (DK, Months(1), "2026-01-31", "2026-03-02"),
        (NO, Months(1), "2026-01-28", "2026-03-02"),
        // Easter Sunday and Monday → Tuesday.
        (DK, Months(1), "2026-03-05", "2026-04-07"),
        (NO, Months(1), "2026-03-05", "2026-04-07"),
        // Christmas Day, a Friday → the Monday after; 24 December is not a public holiday.
        (DK, Months(1), "2026-11-25", "2026-12-28"),
        (DK, Months(1), "2026-11-24", "2026-12-24"),
        // 1 May and 17 May differ between the countries.
        (NO, Months(1), "2026-04-01", "2026-05-04"),
        (DK, Months(1), "2026-04-01", "2026-05-01"),
        (NO, Months(1), "2028-04-17", "2028-05-18"),
        (DK, Months(1), "2028-04-17", "2028-05-17"),
        // Store bededag moved a period in 2023, not in 2024.
        (DK, Months(1), "2023-04-05", "2023-05-08"),
        (DK, Months(1), "2024-03-26", "2024-04-26"),
        // Days: Friday + 1 day is Saturday → Monday.
        (DK, Days(1), "2026-03-06", "2026-03-09"),
        // Art. 3(5): a period of two days or more holds at least two working days.
        (DK, Days(2), "2026-03-06", "2026-03-10"), // Sat, Sun → Mon holds one → Tue
        (DK, Days(3), "2026-03-06", "2026-03-10"), // Sat, Sun, Mon → Tue
        (DK, Days(4), "2026-03-06", "2026-03-10"), // Sat … Tue holds two already
        (DK, Days(2), "2026-04-01", "2026-04-08"), // Thu, Fri → (Sat–Mon) Tue holds one → Wed
        (DK, Days(2), "2026-03-04", "2026-03-06"),
        // Weeks and years.
        (DK, Weeks(2), "2026-03-21", "2026-04-07"), // a Saturday two weeks on is Easter Saturday
        (NO, Years(1), "2025-05-17", "2026-05-18"), // 17 May 2026 is a Sunday
    ];
    table(&rows, |(country, period, from, want)| expect_eq(period.ends_on(d(from), *country), Some(d(want))));
}

#[test]
fn data_subject_requests() {
    let rows = [
        // received, country, extended, due
        ("2026-03-05", DK, false, "2026-04-07"), // one month ends on Easter Sunday
        ("2026-03-10", DK, false, "2026-04-10"),
        ("2026-01-31", NO, false, "2026-03-02"),
        ("2026-01-31", DK, true, "2026-04-30"), // three months from receipt
        ("2026-02-02", NO, true, "2026-05-04"), // 2 May 2026 is a Saturday
        ("2026-02-14", NO, true, "2026-05-15"), // 14 May 2026 is Ascension Day
    ];
    table(&rows, |(received, country, extended, want)| {
        let deadline = Deadline::data_subject_request(d(received), *country, *extended).ok_or("no deadline")?;
        let kind = if *extended { DeadlineKind::DataSubjectRequestExtended } else { DeadlineKind::DataSubjectRequest };
        expect_eq(deadline, Deadline { kind, due: Due::On(d(want)), country: *country })
    });
}

// ---------------------------------------------------------------------------------------------
// Real hours and the time zones

#[test]
fn seventy_two_hours_are_real_hours_across_summer_time() {
    let rows = [
        // country, aware (local), due (UTC), due (local)
        // Summer time ends Sunday 25 October 2026: the night has 25 hours, so the wall clock
        // shows one hour less.
        (DK, "2026-10-23 16:00", "2026-10-26 14:00", "2026-10-26 15:00"),
        (NO, "2026-10-23 16:00", "2026-10-26 14:00", "2026-10-26 15:00"),
        (DK, "2025-10-24 16:00", "2025-10-27 14:00", "2025-10-27 15:00"),
        (NO, "2025-10-24 16:00", "2025-10-27 14:00", "2025-10-27 15:00"),
        // Summer time begins Sunday 29 March 2026: the night has 23 hours.
        (DK, "2026-03-27 16:00", "2026-03-30 15:00", "2026-03-30 17:00"),
        (NO, "2026-03-27 16:00", "2026-03-30 15:00", "2026-03-30 17:00"),
        (DK, "2025-03-28 16:00", "2025-03-31 15:00", "2025-03-31 17:00"),
        (NO, "2025-03-28 16:00", "2025-03-31 15:00", "2025-03-31 17:00"),
        // One minute before the clocks go forward.
        (DK, "2026-03-29 01:59", "2026-04-01 00:59", "2026-04-01 02:59"),
        // The first 02:30 of the night summer time ends is the summer-time one.
        (NO, "2026-10-25 02:30", "2026-10-28 00:30", "2026-10-28 01:30"),
        // No change: the same wall-clock time, a weekend is not skipped.
        (DK, "2026-06-10 09:30", "2026-06-13 07:30", "2026-06-13 09:30"),
        (NO, "2026-01-14 23:45", "2026-01-17 22:45", "2026-01-17 23:45"),
    ];
    table(&rows, |(country, aware, due_utc, due_local)| {
        let aware_at = local_to_utc(local(aware), *country).ok_or("no instant")?;
        let deadline = Deadline::breach_notification(aware_at, *country).ok_or("no deadline")?;
        expect_eq(deadline.due, Due::At(utc(due_utc)))?;
        expect_eq(deadline.due_local_time(), Some(local(due_local)))?;
        expect_eq(hours_after(aware_at, 72), Some(utc(due_utc)))
    });
}

#[test]
fn a_breach_found_friday_at_four_before_summer_time_ends_is_due_monday_at_three() {
    let aware_at = local_to_utc(local("2026-10-23 16:00"), DK).expect("a local time");
    assert_eq!(aware_at, utc("2026-10-23 14:00"));
    let deadline = Deadline::breach_notification(aware_at, DK).expect("a deadline");
    assert_eq!(deadline.due_local_time(), Some(local("2026-10-26 15:00")));
    assert_eq!(deadline.time_left(aware_at), Some(TimeDelta::hours(72)));
}

#[test]
fn wall_clock_times_in_the_zones() {
    let rows = [
        // country, local, UTC (None: the clocks skip it)
        (DK, "2026-01-15 12:00", Some("2026-01-15 11:00")),
        (NO, "2026-07-15 12:00", Some("2026-07-15 10:00")),
        (DK, "2026-03-29 01:59", Some("2026-03-29 00:59")),
        (DK, "2026-03-29 02:30", None),
        (NO, "2026-03-29 02:00", None),
        (DK, "2026-03-29 03:00", Some("2026-03-29 01:00")),
        (DK, "2026-10-25 02:30", Some("2026-10-25 00:30")), // twice: the earlier one
        (NO, "2026-10-25 03:00", Some("2026-10-25 02:00")),
    ];
    table(&rows, |(country, wall, want)| expect_eq(local_to_utc(local(wall), *country), want.map(utc)));
    let rows = [
        (DK, "2026-03-29 00:59", "2026-03-29 01:59"),
        (DK, "2026-03-29 01:00", "2026-03-29 03:00"),
        (NO, "2026-10-25 00:59", "2026-10-25 02:59"),
        (NO, "2026-10-25 01:00", "2026-10-25 02:00"),
        (DK, "2026-12-31 23:30", "2027-01-01 00:30"),
    ];
    table(&rows, |(country, instant, want)| expect_eq(local_time(utc(instant), *country), Some(local(want))));
    assert_eq!(local_date(utc("2026-12-31 23:30"), NO), Some(d("2027-01-01")));
    assert_eq!(end_of_day(d("2026-06-30"), DK), Some(utc("2026-06-30 22:00")));
    assert_eq!(end_of_day(d("2026-12-31"), NO), Some(utc("2026-12-31 23:00")));
    assert_eq!(end_of_day(d("2026-03-28"), DK), Some(utc("2026-03-28 23:00")));
    assert_eq!(end_of_day(d("2026-03-29"), DK), Some(utc("2026-03-29 22:00")));
}

// ---------------------------------------------------------------------------------------------
// Status

#[test]
fn deadline_status_and_time_left() {
    use DeadlineStatus::*;
    let breach = Deadline::breach_notification(utc("2026-10-23 14:00"), DK).expect("a deadline");
    let request = Deadline { kind: DeadlineKind::DataSubjectRequest, due: Due::On(d("2026-04-07")), country: DK };
    let review = Deadline { kind: DeadlineKind::ActivityReview, due: Due::On(d("2026-12-31")), country: NO };
    let rows = [
        // deadline, now, time left in minutes, status
        (breach, "2026-10-23 14:00", 72 * 60, Open),
        (breach, "2026-10-25 13:59", 24 * 60 + 1, Open),
        (breach, "2026-10-25 14:00", 24 * 60, DueSoon),
        (breach, "2026-10-26 13:59", 1, DueSoon),
        (breach, "2026-10-26 14:00", 0, DueSoon),
        (breach, "2026-10-26 14:01", -1, Overdue),
        // A date deadline runs to midnight in the zone: 22:00 UTC in summer time.
        (request, "2026-03-31 21:00", 7 * 24 * 60 + 60, Open),
        (request, "2026-03-31 22:00", 7 * 24 * 60, DueSoon),
        (request, "2026-04-07 21:59", 1, DueSoon),
        (request, "2026-04-07 22:01", -1, Overdue),
        // 23:00 UTC in winter; 90 days' warning for reviews.
        (review, "2026-10-02 22:00", 90 * 24 * 60 + 60, Open),
        (review, "2026-12-31 22:59", 1, DueSoon),
        (review, "2027-01-01 00:00", -60, Overdue),
    ];
    table(&rows, |(deadline, now, minutes, status)| {
        expect_eq(deadline.time_left(utc(now)), Some(TimeDelta::minutes(*minutes)))?;
        expect_eq(deadline.status(utc(now)), *status)
    });
    assert_eq!(request.due_local_time(), None);
}

// ---------------------------------------------------------------------------------------------
// The ends of chrono's range: `None`, never a panic or a hang

#[test]
fn the_ends_of_the_range_give_none() {
    let max = NaiveDate::MAX;
    let min = NaiveDate::MIN;
    assert_eq!(add_months(max, 1), None);
    assert_eq!(add_years(d("2026-01-01"), u32::MAX), None);
    assert_eq!(Period::Days(u32::MAX).last_day(d("2026-01-01")), None);
    assert_eq!(Period::Weeks(u32::MAX).last_day(d("2026-01-01")), None);
    assert_eq!(Period::Months(1).ends_on(max, DK), None);
    assert_eq!(Period::Days(1).ends_on(max, NO), None);
    assert_eq!(hours_after(DateTime::<Utc>::MAX_UTC, 72), None);
    assert_eq!(hours_after(utc("2026-01-01 00:00"), u32::MAX), None);
    assert_eq!(Deadline::breach_notification(DateTime::<Utc>::MAX_UTC, DK), None);
    assert_eq!(Deadline::data_subject_request(max, DK, true), None);
    assert_eq!(local_time(DateTime::<Utc>::MAX_UTC, DK), None);
    assert!(local_time(DateTime::<Utc>::MIN_UTC, NO).is_some());
    assert_eq!(local_to_utc(NaiveDateTime::MIN, DK), None);
    assert_eq!(end_of_day(max, DK), None);
    assert!(end_of_day(min, DK).is_some());
    let never = Deadline { kind: DeadlineKind::ActivityReview, due: Due::On(max), country: DK };
    assert_eq!(never.time_left(utc("2026-01-01 00:00")), None);
    assert_eq!(never.status(utc("2026-01-01 00:00")), DeadlineStatus::Open);
    assert!(public_holidays(DK, i32::MAX).is_empty());
    assert!(public_holidays(NO, i32::MIN).is_empty());
    for year in [min.year(), max.year()] {
        for country in [DK, NO] {
            assert!(easter_sunday(year).is_some(), "{year}");
            assert!(!public_holidays(country, year).is_empty(), "{year}");
            assert!(Calendar::new(country).working_days_in_year(year).is_some(), "{year}");
        }
    }
    let calendar = Calendar { country: DK, customary_days_off: true };
    assert_eq!(calendar.working_days_in_year(i32::MAX), None);
    // The last day chrono knows is a 31 December, a customary day off with nothing after it.
    assert_eq!((max.month(), max.day()), (12, 31));
    assert!(!calendar.is_working_day(max));
    assert_eq!(calendar.working_day_on_or_after(max), None);
    assert_eq!(calendar.add_working_days(max, 1), None);
    assert_eq!(calendar.add_working_days(max - TimeDelta::days(3), 10), None);
    assert!(calendar.add_working_days(min, 10).is_some());
    // A huge count walks year by year, so it ends quickly.
    let started = Instant::now();
    assert_eq!(calendar.add_working_days(min, u32::MAX), None);
    assert_eq!(Calendar::new(NO).add_working_days(d("2026-01-01"), u32::MAX), None);
    let far = calendar.add_working_days(min, 100_000_000).expect("within the range");
    assert!(calendar.is_working_day(far), "{far}");
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}
