//! Reading the call lists that phone systems export (DOMAIN.md section 4): CSV separated by `;`
//! or `,`, in UTF-8, UTF-8 with a byte-order mark or Windows-1252, with CRLF line ends and
//! quoted fields, and Danish or Norwegian column names. A [`Mapping`] profile (TOML) says which
//! column holds what; [`CallReader`] streams the rows, each turned into a [`CallRow`] or a
//! [`RowError`] with its line number, so one bad row never stops the rest.
//!
//! This is the parsing half of the recordings import: it reads, checks and normalises (times to
//! UTC from the organisation's clock, phone numbers to E.164) and keeps nothing. Memory stays
//! constant whatever the file's size. Error details name the line, the column and the rule,
//! never the cell's value (it may be a phone number).

use crate::deadlines::local_to_utc;
use crate::vocab::Country;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read};

/// How many bytes [`CallReader::new`] looks at to tell the encoding and the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

/// The text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 starting with the byte-order mark EF BB BF (what Excel writes).
    Utf8WithBom,
    /// Windows-1252, the Western European code page older Windows programs write.
    Windows1252,
}

/// What [`sniff`] found at the start of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub encoding: TextEncoding,
    pub delimiter: u8,
}

/// Tells the encoding and the delimiter from the first bytes of a file. A file that is valid
/// UTF-8 (up to a character cut off at the end of `head`) is UTF-8; anything else is read as
/// Windows-1252, the other encoding phone systems here write. The delimiter is whichever of
/// `;`, `,` and tab occurs most often outside quotes in the first line (`;` when none does).
pub fn sniff(head: &[u8]) -> Sniffed {
    let (encoding, text) = if let Some(rest) = head.strip_prefix(b"\xEF\xBB\xBF") {
        (TextEncoding::Utf8WithBom, rest)
    } else {
        (if looks_like_utf8(head) { TextEncoding::Utf8 } else { TextEncoding::Windows1252 }, head)
    };
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for &byte in text {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(d, _)| *d == byte) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    // The first of the most frequent wins, so `;` on a tie or when there is no delimiter.
    let delimiter = counts.iter().fold((b';', 0), |best, &(d, n)| if n > best.1 { (d, n) } else { best }).0;
    Sniffed { encoding, delimiter }
}

/// Valid UTF-8, allowing the last character to be cut off by the end of the sample.
fn looks_like_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// One of the call's fields that a column can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallField {
    CallId,
    Start,
    Direction,
    Phone,
    CustomerRef,
    Agent,
    Policy,
    ConsentMethod,
    ConsentAt,
    ConsentScript,
    RecordingRef,
}

impl CallField {
    /// The fields every row must have a column for.
    pub const REQUIRED: [CallField; 4] = [CallField::CallId, CallField::Start, CallField::Direction, CallField::Phone];

    /// The field's name in a mapping profile.
    pub fn name(self) -> &'static str {
        match self {
            CallField::CallId => "call_id",
            CallField::Start => "start",
            CallField::Direction => "direction",
            CallField::Phone => "phone",
            CallField::CustomerRef => "customer_ref",
            CallField::Agent => "agent",
            CallField::Policy => "policy",
            CallField::ConsentMethod => "consent_method",
            CallField::ConsentAt => "consent_at",
            CallField::ConsentScript => "consent_script",
            CallField::RecordingRef => "recording_ref",
        }
    }
}

/// Which column holds which field, and the words the phone system uses for directions and
/// consent methods. Read from a TOML profile:
///
/// ```toml
/// [columns]
/// call_id = "Opkalds-ID"
/// start = "Starttidspunkt"
/// direction = "Retning"
/// phone = "Telefonnummer"
///
/// [words]
/// inbound = ["Indgående"]
/// outbound = ["Udgående"]
/// ```
///
/// Column names are matched without regard to case or surrounding spaces. The words add to
/// the built-in Danish, Norwegian and English ones ([`Mapping::direction`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub columns: BTreeMap<CallField, String>,
    #[serde(default)]
    pub words: Words,
}

/// Extra words for the values of the direction and consent-method columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    #[serde(default)]
    pub inbound: Vec<String>,
    #[serde(default)]
    pub outbound: Vec<String>,
    #[serde(default)]
    pub keypress: Vec<String>,
    #[serde(default)]
    pub oral: Vec<String>,
    #[serde(default)]
    pub no_consent: Vec<String>,
}

/// Why a mapping profile or a file's header cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MappingError {
    /// The profile is not valid TOML or has an unknown field; `detail` is the TOML parser's.
    #[error("the mapping profile cannot be read: {detail}")]
    Profile { detail: String },
    /// The profile maps no column to a required field.
    #[error("the mapping profile has no column for `{field}`")]
    FieldUnmapped { field: &'static str },
    /// The file's header has no column of the name the profile gives.
    #[error("the file has no column named \"{column}\" (for `{field}`)")]
    ColumnMissing { field: &'static str, column: String },
    /// Two columns of the header have the name the profile gives.
    #[error("the file has more than one column named \"{column}\"")]
    ColumnTwice { column: String },
}

impl Mapping {
    /// Reads a TOML profile and checks that every required field has a column.
    pub fn from_toml(text: &str) -> Result<Mapping, MappingError> {
        let mapping: Mapping =
            toml::from_str(text).map_err(|e| MappingError::Profile { detail: e.message().to_owned() })?;
        if let Some(field) = CallField::REQUIRED.into_iter().find(|f| !mapping.columns.contains_key(f)) {
            return Err(MappingError::FieldUnmapped { field: field.name() });
        }
        Ok(mapping)
    }

    /// The position of each mapped field's column in `header`.
    fn positions(&self, header: &csv::StringRecord) -> Result<BTreeMap<CallField, usize>, MappingError> {
        let names: Vec<String> = header.iter().map(column_key).collect();
        let mut positions = BTreeMap::new();
        for (&field, column) in &self.columns {
            let key = column_key(column);
            let mut found = names.iter().enumerate().filter(|(_, name)| **name == key).map(|(i, _)| i);
            let Some(at) = found.next() else {
                return Err(MappingError::ColumnMissing { field: field.name(), column: column.clone() });
            };
            if found.next().is_some() {
                return Err(MappingError::ColumnTwice { column: column.clone() });
            }
            positions.insert(field, at);
        }
        Ok(positions)
    }

    /// The direction a cell names: the built-in words (da, nb, en) or the profile's.
    pub fn direction(&self, cell: &str) -> Option<Direction> {
        const INBOUND: [&str; 8] = ["inbound", "in", "incoming", "indgående", "ind", "innkommende", "inngående", "inn"];
        const OUTBOUND: [&str; 7] = ["outbound", "out", "outgoing", "udgående", "ud", "utgående", "ut"];
        let key = column_key(cell);
        let any = |builtin: &[&str], extra: &[String]| {
            builtin.iter().any(|w| *w == key) || extra.iter().any(|w| column_key(w) == key)
        };
        if any(&INBOUND, &self.words.inbound) {
            Some(Direction::Inbound)
        } else if any(&OUTBOUND, &self.words.outbound) {
            Some(Direction::Outbound)
        } else {
            None
        }
    }

    /// The consent method a cell names; an empty cell is no consent.
    pub fn consent_method(&self, cell: &str) -> Option<ConsentMethod> {
        const KEYPRESS: [&str; 5] = ["keypress", "tastetryk", "tastatur", "tastetrykk", "dtmf"];
        const ORAL: [&str; 4] = ["oral", "mundtlig", "muntlig", "verbal"];
        const NONE: [&str; 6] = ["", "none", "ingen", "nej", "nei", "no"];
        let key = column_key(cell);
        let any = |builtin: &[&str], extra: &[String]| {
            builtin.iter().any(|w| *w == key) || extra.iter().any(|w| column_key(w) == key)
        };
        if any(&KEYPRESS, &self.words.keypress) {
            Some(ConsentMethod::Keypress)
        } else if any(&ORAL, &self.words.oral) {
            Some(ConsentMethod::Oral)
        } else if any(&NONE, &self.words.no_consent) {
            Some(ConsentMethod::None)
        } else {
            None
        }
    }
}

/// A column name or a word as compared: trimmed and lower case.
fn column_key(name: &str) -> String {
    name.trim().to_lowercase()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
}

/// How the caller consented. Only a keypress or an oral "yes" is the active act consent needs;
/// `None` is recorded as such so that the call can be flagged when its policy needs consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    Keypress,
    Oral,
    None,
}

/// One call as read from the file, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRow {
    /// The line the row starts on (1 is the header).
    pub line: u64,
    pub call_id: String,
    pub start: DateTime<Utc>,
    pub direction: Direction,
    /// E.164, e.g. `+4512345678`.
    pub phone: String,
    pub customer_ref: Option<String>,
    pub agent: Option<String>,
    pub policy: Option<String>,
    pub consent_method: Option<ConsentMethod>,
    pub consent_at: Option<DateTime<Utc>>,
    pub consent_script: Option<String>,
    pub recording_ref: Option<String>,
}

/// What is wrong with a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// The row cannot be read as CSV (an unclosed quote, say); `detail` is the reader's.
    Unreadable { detail: String },
    /// The row has fewer fields than the column it needs.
    MissingColumn,
    /// A required field is empty.
    Empty,
    /// The time is in none of the formats [`parse_time`] knows.
    TimeFormat,
    /// The wall-clock time does not exist on the organisation's clock (the hour skipped when
    /// summer time begins).
    TimeSkipped,
    /// Not a phone number of any country, or not one of the default country.
    Phone,
    /// Not a direction word the mapping knows.
    Direction,
    /// Not a consent-method word the mapping knows.
    ConsentMethod,
    /// The row names a recording policy the register does not have.
    UnknownPolicy,
    /// The call's direction is not the one its recording policy is for: the policy's purpose,
    /// legal basis and retention would not be the call's.
    PolicyDirection,
    /// The row names no recording policy and the import was given no default one.
    NoPolicy,
}

impl RowProblem {
    /// Catalog key of the reason.
    pub fn code(&self) -> &'static str {
        match self {
            RowProblem::Unreadable { .. } => "import.row.unreadable",
            RowProblem::MissingColumn => "import.row.missing_column",
            RowProblem::Empty => "import.row.empty",
            RowProblem::TimeFormat => "import.row.time_format",
            RowProblem::TimeSkipped => "import.row.time_skipped",
            RowProblem::Phone => "import.row.phone",
            RowProblem::Direction => "import.row.direction",
            RowProblem::ConsentMethod => "import.row.consent_method",
            RowProblem::UnknownPolicy => "import.row.unknown_policy",
            RowProblem::PolicyDirection => "import.row.policy_direction",
            RowProblem::NoPolicy => "import.row.no_policy",
        }
    }
}

/// A row that cannot be imported: where and why, without the cell's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    /// The field whose column is at fault; `None` when the whole row is.
    pub field: Option<CallField>,
    pub problem: RowProblem,
}

/// The wall-clock forms a call's start may have (without an offset).
const WALL_CLOCK: [&str; 10] = [
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
];

/// The time formats phone systems write: ISO 8601 with an offset (an instant), or a wall-clock
/// time on the organisation's clock as ISO 8601 without offset, `dd-mm-yyyy HH:MM`,
/// `dd.mm.yyyy HH:MM` or `dd/mm/yyyy HH:MM`, each with optional seconds. In the hour that
/// occurs twice when summer time ends, the first one.
pub fn parse_time(cell: &str, country: Country) -> Result<DateTime<Utc>, RowProblem> {
    let cell = cell.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(cell) {
        return Ok(instant.with_timezone(&Utc));
    }
    let local = wall_clock(cell)
        .or_else(|| WALL_CLOCK.iter().find_map(|format| NaiveDateTime::parse_from_str(cell, format).ok()))
        .ok_or(RowProblem::TimeFormat)?;
    // A year outside 1900–9999 is a typing or export error, not a call.
    if !(1900..=9999).contains(&chrono::Datelike::year(&local)) || local.date() < NaiveDate::MIN {
        return Err(RowProblem::TimeFormat);
    }
    local_to_utc(local, country).ok_or(RowProblem::TimeSkipped)
}

/// The common wall-clock forms read without chrono's format strings, which cost more than the
/// rest of a row: `2026-03-01 08:15[:30]` (or with `T`), `01-03-2026 08:15[:30]`, with `.` or
/// `/` as well. Any other form, or a value out of range, is `None` and is left to the format
/// strings, which then decide.
fn wall_clock(cell: &str) -> Option<NaiveDateTime> {
    let b = cell.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let (year, month, day, rest) = match (b.get(4), b.get(2)) {
        (Some(b'-'), _) if b.get(7) == Some(&b'-') && matches!(b.get(10), Some(b' ' | b'T')) => {
            (num(0..4)?, num(5..7)?, num(8..10)?, 11)
        }
        (_, Some(&sep @ (b'-' | b'.' | b'/'))) if b.get(5) == Some(&sep) && b.get(10) == Some(&b' ') => {
            (num(6..10)?, num(3..5)?, num(0..2)?, 11)
        }
        _ => return None,
    };
    if b.get(rest + 2) != Some(&b':') {
        return None;
    }
    let (hour, minute) = (num(rest..rest + 2)?, num(rest + 3..rest + 5)?);
    let second = match b.len() - rest {
        5 => 0,
        8 if b[rest + 5] == b':' => num(rest + 6..rest + 8)?,
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    date.and_hms_opt(hour, minute, second)
}

/// A phone number in E.164. A number without a country code is taken as one of `country`'s;
/// one with `+`, `00` or a country code is checked against that country's numbering plan.
pub fn normalise_phone(cell: &str, country: Country) -> Result<String, RowProblem> {
    let trimmed = cell.trim();
    let international = trimmed.strip_prefix("00").map(|rest| Cow::Owned(format!("+{rest}")));
    let text = international.unwrap_or(Cow::Borrowed(trimmed));
    let region = match country {
        Country::Denmark => phonenumber::country::Id::DK,
        Country::Norway => phonenumber::country::Id::NO,
    };
    let number = phonenumber::parse(Some(region), text.as_ref()).map_err(|_| RowProblem::Phone)?;
    if !phonenumber::is_valid(&number) {
        return Err(RowProblem::Phone);
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

/// A cell as it may be written into a CSV file that a spreadsheet will open: a cell starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula, so it gets a
/// leading `'`. Every CSV the program writes passes its cells through this.
pub fn formula_safe(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// One CSV line, `;`-separated as Danish and Norwegian spreadsheets expect, every cell quoted
/// and passed through [`formula_safe`].
pub fn csv_line(cells: impl IntoIterator<Item = String>) -> String {
    let cells: Vec<String> =
        cells.into_iter().map(|c| format!("\"{}\"", formula_safe(&c).replace('"', "\"\""))).collect();
    format!("{}\r\n", cells.join(";"))
}

/// A CSV file for a spreadsheet, written line by line: UTF-8 with a byte-order mark (so that a
/// spreadsheet reads it as such), a header, and [`csv_line`]s. The file is made at the first
/// line (or [`SpreadsheetCsv::touch`]); a write error is kept and given by
/// [`SpreadsheetCsv::finish`], so a caller can write from a callback that cannot fail.
#[derive(Debug)]
pub struct SpreadsheetCsv {
    path: std::path::PathBuf,
    header: Vec<String>,
    writer: Option<io::BufWriter<std::fs::File>>,
    error: Option<io::Error>,
}

impl SpreadsheetCsv {
    pub fn new(path: impl Into<std::path::PathBuf>, header: Vec<String>) -> Self {
        SpreadsheetCsv { path: path.into(), header, writer: None, error: None }
    }

    /// Makes the file with its header now, if it is not made yet.
    pub fn touch(&mut self) -> io::Result<()> {
        if self.writer.is_none() {
            use io::Write;
            let mut writer = io::BufWriter::new(std::fs::File::create(&self.path)?);
            writer.write_all(b"\xEF\xBB\xBF")?;
            writer.write_all(csv_line(self.header.iter().cloned()).as_bytes())?;
            self.writer = Some(writer);
        }
        Ok(())
    }

    pub fn line(&mut self, cells: impl IntoIterator<Item = String>) {
        use io::Write;
        if self.error.is_some() {
            return;
        }
        let result = self.touch().and_then(|()| match self.writer.as_mut() {
            Some(writer) => writer.write_all(csv_line(cells).as_bytes()),
            None => Ok(()),
        });
        if let Err(e) = result {
            self.error = Some(e);
        }
    }

    /// Writes out and syncs the file; `false` when it was never made.
    pub fn finish(self) -> io::Result<bool> {
        use io::Write;
        if let Some(e) = self.error {
            return Err(e);
        }
        match self.writer {
            Some(mut writer) => {
                writer.flush()?;
                writer.get_ref().sync_all()?;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

impl RowError {
    /// Why the row was rejected, in words: line, field and rule, never the cell's value.
    pub fn words(&self, language: crate::vocab::Language) -> String {
        let detail = match &self.problem {
            RowProblem::Unreadable { detail } => detail.clone(),
            _ => String::new(),
        };
        let params = BTreeMap::from([
            ("line".to_owned(), self.line.to_string()),
            ("field".to_owned(), self.field.map(|f| f.name().to_owned()).unwrap_or_default()),
            ("detail".to_owned(), detail),
        ]);
        crate::i18n::t(language, self.problem.code(), &params)
    }
}

/// Streams the calls of a CSV file: one `Result` per data row, in file order.
pub struct CallReader {
    rows: csv::StringRecordsIntoIter<Box<dyn Read + Send>>,
    positions: BTreeMap<CallField, usize>,
    mapping: Mapping,
    country: Country,
    sniffed: Sniffed,
    /// The record last read, so that a rejected row can be written out as it was.
    current: csv::StringRecord,
    /// Phone cells already normalised: a customer calls many times, and checking a number
    /// against the numbering plan costs more than the rest of the row. Emptied when full, so
    /// memory stays bounded.
    phones: std::cell::RefCell<std::collections::HashMap<String, Result<String, RowProblem>>>,
    /// Whether a Danish or Norwegian number (country code, eight digits) is valid on the
    /// numbering plan: the common case, kept as small keys so that many more fit.
    national: std::cell::RefCell<std::collections::HashMap<(u8, u32), bool>>,
}

/// Phone cells remembered by a [`CallReader`] at most.
const PHONE_CACHE: usize = 65_536;
/// Danish and Norwegian numbers remembered by a [`CallReader`] at most (about 4 MiB).
const NATIONAL_CACHE: usize = 262_144;

/// A cell that is a Danish or Norwegian eight-digit number, with or without `+45`/`0045`
/// (`+47`/`0047`) and spaces: the country code and the number. Anything else is `None` and
/// goes to [`normalise_phone`] whole.
fn eight_digits(cell: &str, country: Country) -> Option<(u8, u32)> {
    let cell = cell.trim();
    let (code, rest) = match cell.strip_prefix('+').or_else(|| cell.strip_prefix("00")) {
        Some(rest) => match rest.get(..2) {
            Some("45") => (45, &rest[2..]),
            Some("47") => (47, &rest[2..]),
            _ => return None,
        },
        None => match country {
            Country::Denmark => (45, cell),
            Country::Norway => (47, cell),
        },
    };
    let mut number = 0u32;
    let mut digits = 0;
    for b in rest.bytes() {
        match b {
            b'0'..=b'9' if digits < 8 => {
                number = number * 10 + u32::from(b - b'0');
                digits += 1;
            }
            b' ' => {}
            _ => return None,
        }
    }
    (digits == 8).then_some((code, number))
}

impl std::fmt::Debug for CallReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallReader").field("sniffed", &self.sniffed).field("positions", &self.positions).finish()
    }
}

/// Why a file cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The file has no header line.
    #[error("the file is empty")]
    Empty,
    /// The header line cannot be read as CSV.
    #[error("the header line cannot be read: {0}")]
    Header(String),
    #[error(transparent)]
    Mapping(#[from] MappingError),
}

/// The columns of a call list's header and how the file is read, without a mapping: what a
/// person sees when choosing which column holds what. Fails as [`CallReader::new`] does on an
/// empty file or an unreadable header.
pub fn read_header(source: impl Read + Send + 'static) -> Result<(Sniffed, Vec<String>), OpenError> {
    let (_, sniffed, header) = open_csv(source)?;
    Ok((sniffed, header.iter().map(|h| h.trim().to_owned()).collect()))
}

/// A CSV reader past the header, how the file is read, and the header.
type Opened = (csv::Reader<Box<dyn Read + Send>>, Sniffed, csv::StringRecord);

/// Tells the encoding and delimiter of `source`, and reads its header line.
fn open_csv(source: impl Read + Send + 'static) -> Result<Opened, OpenError> {
    let mut buffered = BufReader::with_capacity(SNIFF_BYTES, source);
    let head = buffered.fill_buf()?;
    if head.is_empty() {
        return Err(OpenError::Empty);
    }
    let sniffed = sniff(head);
    let text: Box<dyn Read + Send> = match sniffed.encoding {
        // The BOM is stripped by the decoder; plain UTF-8 passes through unchanged.
        TextEncoding::Utf8 | TextEncoding::Utf8WithBom => {
            Box::new(encoding_rs_io::DecodeReaderBytesBuilder::new().encoding(Some(encoding_rs::UTF_8)).build(buffered))
        }
        TextEncoding::Windows1252 => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::WINDOWS_1252))
                .bom_override(true)
                .build(buffered),
        ),
    };
    // Lines end at `\n`; a CR before it stays in the last cell, which is trimmed. (With the
    // reader's CRLF terminator, a record's line number is one short after a CRLF.)
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniffed.delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .has_headers(true)
        .from_reader(text);
    let header = reader.headers().map_err(|e| OpenError::Header(e.to_string()))?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(OpenError::Empty);
    }
    Ok((reader, sniffed, header))
}

impl CallReader {
    /// Reads the header of `source` (after telling its encoding and delimiter) and matches it
    /// with `mapping`. Times without an offset are on `country`'s clock, and phone numbers
    /// without a country code are `country`'s.
    pub fn new(source: impl Read + Send + 'static, mapping: Mapping, country: Country) -> Result<Self, OpenError> {
        let (reader, sniffed, header) = open_csv(source)?;
        let positions = mapping.positions(&header)?;
        Ok(CallReader {
            rows: reader.into_records(),
            positions,
            mapping,
            country,
            sniffed,
            current: csv::StringRecord::new(),
            phones: Default::default(),
            national: Default::default(),
        })
    }

    /// The cells of the row [`Iterator::next`] returned last, as they are in the file (empty
    /// when that row could not be read as CSV). For writing a rejected row back out.
    pub fn current_cells(&self) -> Vec<String> {
        self.current.iter().map(str::to_owned).collect()
    }

    /// The country whose clock and numbering plan the reader uses.
    pub fn country(&self) -> Country {
        self.country
    }

    /// The encoding and delimiter the file was read with.
    pub fn sniffed(&self) -> Sniffed {
        self.sniffed
    }

    /// [`normalise_phone`] with the reader's country, remembered per cell text.
    fn phone(&self, cell: &str) -> Result<String, RowProblem> {
        if let Some((code, number)) = eight_digits(cell, self.country) {
            let e164 = format!("+{code}{number:08}");
            let mut known = self.national.borrow_mut();
            let valid = match known.get(&(code, number)) {
                Some(&valid) => valid,
                None => {
                    // The same check as any other form: the number written in full.
                    let valid = normalise_phone(&e164, self.country).as_deref() == Ok(e164.as_str());
                    if known.len() >= NATIONAL_CACHE {
                        known.clear();
                    }
                    known.insert((code, number), valid);
                    valid
                }
            };
            return if valid { Ok(e164) } else { Err(RowProblem::Phone) };
        }
        let mut phones = self.phones.borrow_mut();
        if let Some(known) = phones.get(cell) {
            return known.clone();
        }
        let result = normalise_phone(cell, self.country);
        if phones.len() >= PHONE_CACHE {
            phones.clear();
        }
        phones.insert(cell.to_owned(), result.clone());
        result
    }

    fn row(&self, record: &csv::StringRecord, line: u64) -> Result<CallRow, RowError> {
        let fail = |field: CallField, problem: RowProblem| RowError { line, field: Some(field), problem };
        let cell = |field: CallField| -> Result<Option<&str>, RowError> {
            match self.positions.get(&field) {
                None => Ok(None),
                Some(&at) => match record.get(at) {
                    None => Err(fail(field, RowProblem::MissingColumn)),
                    Some(text) if text.trim().is_empty() => Ok(None),
                    Some(text) => Ok(Some(text.trim())),
                },
            }
        };
        let required = |field: CallField| cell(field)?.ok_or_else(|| fail(field, RowProblem::Empty));
        let optional = |field: CallField| Ok::<_, RowError>(cell(field)?.map(str::to_owned));

        let call_id = required(CallField::CallId)?.to_owned();
        let start = parse_time(required(CallField::Start)?, self.country).map_err(|p| fail(CallField::Start, p))?;
        let direction = self
            .mapping
            .direction(required(CallField::Direction)?)
            .ok_or(fail(CallField::Direction, RowProblem::Direction))?;
        let phone = self.phone(required(CallField::Phone)?).map_err(|p| fail(CallField::Phone, p))?;
        let consent_method = match cell(CallField::ConsentMethod)? {
            None if self.positions.contains_key(&CallField::ConsentMethod) => Some(ConsentMethod::None),
            None => None,
            Some(text) => Some(
                self.mapping.consent_method(text).ok_or(fail(CallField::ConsentMethod, RowProblem::ConsentMethod))?,
            ),
        };
        let consent_at = cell(CallField::ConsentAt)?
            .map(|text| parse_time(text, self.country).map_err(|p| fail(CallField::ConsentAt, p)))
            .transpose()?;
        Ok(CallRow {
            line,
            call_id,
            start,
            direction,
            phone,
            customer_ref: optional(CallField::CustomerRef)?,
            agent: optional(CallField::Agent)?,
            policy: optional(CallField::Policy)?,
            consent_method,
            consent_at,
            consent_script: optional(CallField::ConsentScript)?,
            recording_ref: optional(CallField::RecordingRef)?,
        })
    }
}

impl Iterator for CallReader {
    type Item = Result<CallRow, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.rows.next()? {
                Ok(record) => self.current = record,
                Err(e) => {
                    self.current.clear();
                    // csv's message names the line and what is wrong, not the cell's text.
                    let line = e.position().map_or(0, |p| p.line());
                    return Some(Err(RowError {
                        line,
                        field: None,
                        problem: RowProblem::Unreadable { detail: e.to_string() },
                    }));
                }
            };
            let line = self.current.position().map_or(0, |p| p.line());
            // Blank lines (a trailing CRLF, say) are not rows.
            if self.current.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            return Some(self.row(&self.current, line));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const PROFILE: &str = r#"
        [columns]
        call_id = "Opkalds-ID"
        start = "Starttidspunkt"
        direction = "Retning"
        phone = "Telefonnummer"
        customer_ref = "Kundenr"
        consent_method = "Samtykke"
    "#;

    /// The profile without the optional columns.
    const REQUIRED_ONLY: &str = r#"
        [columns]
        call_id = "Opkalds-ID"
        start = "Starttidspunkt"
        direction = "Retning"
        phone = "Telefonnummer"
    "#;

    fn read(bytes: &[u8], country: Country) -> (Sniffed, Vec<Result<CallRow, RowError>>) {
        read_with(PROFILE, bytes, country)
    }

    fn read_with(profile: &str, bytes: &[u8], country: Country) -> (Sniffed, Vec<Result<CallRow, RowError>>) {
        let mapping = Mapping::from_toml(profile).expect("profile");
        let reader = CallReader::new(io::Cursor::new(bytes.to_vec()), mapping, country).expect("header");
        let sniffed = reader.sniffed();
        (sniffed, reader.collect())
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("valid")
    }

    #[test]
    fn sniffs_encoding_and_delimiter() {
        let cases: [(&[u8], TextEncoding, u8); 7] = [
            (b"a;b;c\n1;2;3", TextEncoding::Utf8, b';'),
            (b"a,b,c\n1,2,3", TextEncoding::Utf8, b','),
            (b"\xEF\xBB\xBFa;b\n", TextEncoding::Utf8WithBom, b';'),
            (b"Retning;Indg\xE5ende\n", TextEncoding::Windows1252, b';'),
            (b"\"a;b\",c,d\n", TextEncoding::Utf8, b','),
            (b"a\tb\tc\n", TextEncoding::Utf8, b'\t'),
            // A two-byte character cut off at the end of the sample is still UTF-8.
            (b"a;\xC3", TextEncoding::Utf8, b';'),
        ];
        for (head, encoding, delimiter) in cases {
            assert_eq!(sniff(head), Sniffed { encoding, delimiter }, "{}", String::from_utf8_lossy(head));
        }
    }

    #[test]
    fn reads_windows_1252_with_semicolons_crlf_and_quotes() {
        let file = b"Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\r\n\
                     A-1;01-03-2026 09:15;Indg\xE5ende;33 12 34 56;\"K;17\";Tastetryk\r\n\
                     A-2;01.03.2026 10:00:30;Udg\xE5ende;+45 20 12 34 56;;\r\n\r\n";
        let (sniffed, rows) = read(file, Country::Denmark);
        assert_eq!(sniffed, Sniffed { encoding: TextEncoding::Windows1252, delimiter: b';' });
        let rows: Vec<CallRow> = rows.into_iter().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].start, utc(2026, 3, 1, 8, 15), "CET is UTC+1");
        assert_eq!(rows[0].direction, Direction::Inbound);
        assert_eq!(rows[0].phone, "+4533123456");
        assert_eq!(rows[0].customer_ref.as_deref(), Some("K;17"));
        assert_eq!(rows[0].consent_method, Some(ConsentMethod::Keypress));
        assert_eq!(rows[1].start, Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 30).single().expect("valid"));
        assert_eq!(rows[1].direction, Direction::Outbound);
        assert_eq!(rows[1].customer_ref, None);
        assert_eq!(rows[1].consent_method, Some(ConsentMethod::None), "an empty consent cell is no consent");
    }

    #[test]
    fn the_header_is_read_without_a_mapping() {
        let file = b"Opkalds-ID; Starttidspunkt ;Retning;Telefonnummer;Kundenr\r\nA-1;x;y;z;w\r\n";
        let (sniffed, columns) = read_header(&file[..]).expect("header");
        assert_eq!(sniffed, Sniffed { encoding: TextEncoding::Utf8, delimiter: b';' });
        assert_eq!(columns, ["Opkalds-ID", "Starttidspunkt", "Retning", "Telefonnummer", "Kundenr"]);
        assert!(matches!(read_header(&b""[..]), Err(OpenError::Empty)));
        assert!(matches!(read_header(&b"\n"[..]), Err(OpenError::Empty)));
    }

    #[test]
    fn reads_utf8_with_bom_and_commas() {
        let file = "\u{FEFF}Opkalds-ID,Starttidspunkt,Retning,Telefonnummer,Kundenr,Samtykke\n\
                    B-1,2026-07-01T12:00:00+02:00,Innkommende,004741234567,,muntlig\n"
            .as_bytes();
        let (sniffed, rows) = read(file, Country::Norway);
        assert_eq!(sniffed, Sniffed { encoding: TextEncoding::Utf8WithBom, delimiter: b',' });
        let row = rows.into_iter().next().expect("one row").expect("valid");
        assert_eq!(row.call_id, "B-1", "the BOM is not part of the first column's name");
        assert_eq!(row.start, utc(2026, 7, 1, 10, 0));
        assert_eq!(row.phone, "+4741234567");
        assert_eq!(row.consent_method, Some(ConsentMethod::Oral));
    }

    #[test]
    fn bad_rows_are_reported_with_line_and_field_and_the_rest_still_read() {
        let file = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer\n\
                    C-1;2026-03-29 02:30;ind;33123456\n\
                    C-2;i går;ind;33123456\n\
                    C-3;2026-03-02 08:00;sideways;33123456\n\
                    C-4;2026-03-02 08:00;ind;12\n\
                    ;2026-03-02 08:00;ind;33123456\n\
                    C-6;2026-03-02 08:00\n\
                    C-7;2026-03-02 08:00;ud;+4722123456\n"
            .as_bytes();
        let (_, rows) = read_with(REQUIRED_ONLY, file, Country::Denmark);
        let outcome: Vec<(u64, Option<CallField>, Option<RowProblem>)> = rows
            .into_iter()
            .map(|r| match r {
                Ok(row) => (row.line, None, None),
                Err(e) => (e.line, e.field, Some(e.problem)),
            })
            .collect();
        assert_eq!(
            outcome,
            vec![
                (2, Some(CallField::Start), Some(RowProblem::TimeSkipped)),
                (3, Some(CallField::Start), Some(RowProblem::TimeFormat)),
                (4, Some(CallField::Direction), Some(RowProblem::Direction)),
                (5, Some(CallField::Phone), Some(RowProblem::Phone)),
                (6, Some(CallField::CallId), Some(RowProblem::Empty)),
                (7, Some(CallField::Direction), Some(RowProblem::MissingColumn)),
                (8, None, None),
            ]
        );
    }

    #[test]
    fn the_hour_that_occurs_twice_is_read_as_the_first() {
        // 25 October 2026: 02:30 happens at 00:30 UTC (summer time) and at 01:30 UTC.
        assert_eq!(parse_time("2026-10-25 02:30", Country::Denmark), Ok(utc(2026, 10, 25, 0, 30)));
        assert_eq!(parse_time("25.10.2026 03:30", Country::Norway), Ok(utc(2026, 10, 25, 2, 30)));
        assert_eq!(parse_time("29-03-2026 02:00", Country::Norway), Err(RowProblem::TimeSkipped));
        assert_eq!(parse_time("2026-10-25T02:30:00+01:00", Country::Denmark), Ok(utc(2026, 10, 25, 1, 30)));
    }

    #[test]
    fn phone_numbers_become_e164() {
        let cases = [
            ("33 12 34 56", Country::Denmark, Ok("+4533123456")),
            ("+45 20123456", Country::Norway, Ok("+4520123456")),
            ("0047 22 12 34 56", Country::Denmark, Ok("+4722123456")),
            ("412 34 567", Country::Norway, Ok("+4741234567")),
            ("+46 8 123 456 78", Country::Denmark, Ok("+46812345678")),
            ("1234", Country::Denmark, Err(RowProblem::Phone)),
            ("ring mig", Country::Denmark, Err(RowProblem::Phone)),
        ];
        for (cell, country, expected) in cases {
            assert_eq!(normalise_phone(cell, country).as_deref().map_err(Clone::clone), expected, "{cell}");
        }
    }

    #[test]
    fn the_readers_quick_path_for_eight_digit_numbers_agrees_with_the_numbering_plan() {
        let reader = |country| {
            CallReader::new(io::Cursor::new(b"Opkalds-ID;Tid;Retning;Nr\n".to_vec()), quick_mapping(), country)
                .expect("header")
        };
        let cells = [
            "33 12 34 56",
            "33123456",
            "+4533123456",
            "004533123456",
            "+45 20 12 34 56",
            "0047 22 12 34 56",
            "41234567",
            "+47 41234567",
            "00000000",
            "11111111",
            "+45 1234567",
            "+45123456789",
            "08 12 34 56",
            "+46 8 123 456 78",
            "33-12-34-56",
            "ring mig",
        ];
        for country in [Country::Denmark, Country::Norway] {
            let reader = reader(country);
            for cell in cells {
                // Twice: the second answer comes from the reader's memory.
                for _ in 0..2 {
                    assert_eq!(reader.phone(cell), normalise_phone(cell, country), "{cell} in {country:?}");
                }
            }
        }
        assert_eq!(eight_digits("33 12 34 56", Country::Norway), Some((47, 33_123_456)));
        assert_eq!(eight_digits("0045 33 12 34 56", Country::Norway), Some((45, 33_123_456)));
        assert_eq!(eight_digits("+46 81234567", Country::Denmark), None);
        assert_eq!(eight_digits("331234567", Country::Denmark), None);
    }

    fn quick_mapping() -> Mapping {
        Mapping::from_toml(
            "[columns]\ncall_id = \"Opkalds-ID\"\nstart = \"Tid\"\ndirection = \"Retning\"\nphone = \"Nr\"\n",
        )
        .expect("profile")
    }

    #[test]
    fn the_quick_wall_clock_reading_agrees_with_the_format_strings() {
        // Each cell, and whether the quick reading takes it (or leaves it to the format strings).
        let cells = [
            ("2026-03-01 08:15", true),
            ("2026-03-01T08:15:30", true),
            ("01-03-2026 08:15", true),
            ("01.03.2026 08:15:59", true),
            ("29/02/2028 23:59", true),
            ("29-02-2026 10:00", false),
            ("31.04.2026 10:00", false),
            ("01-03-2026 24:00", false),
            ("01-03-2026 10:60", false),
            ("01-03-2026 10:00:60", false),
            ("1-3-2026 08:15", false),
            ("01-03-2026 8:15", false),
            ("01-03-26 08:15", false),
            ("2026-03-01", false),
            ("01-03-2026 08:15 ", false),
            ("01-03-2026 08.15", false),
            ("01-03/2026 08:15", false),
            ("0a-03-2026 08:15", false),
        ];
        for (cell, quick) in cells {
            let by_format = WALL_CLOCK.iter().find_map(|f| NaiveDateTime::parse_from_str(cell, f).ok());
            let read = wall_clock(cell);
            assert_eq!(read.is_some(), quick, "{cell}");
            if quick {
                // What the quick reading takes, the format strings read the same.
                assert_eq!(read, by_format, "{cell}");
            }
        }
    }

    #[test]
    fn profiles_and_headers_are_checked() {
        assert_eq!(
            Mapping::from_toml("[columns]\ncall_id = \"Id\"\nstart = \"Tid\"\nphone = \"Nr\"\n"),
            Err(MappingError::FieldUnmapped { field: "direction" })
        );
        assert!(matches!(Mapping::from_toml("[columns]\ncolour = \"x\"\n"), Err(MappingError::Profile { .. })));
        let mapping = Mapping::from_toml(PROFILE).expect("profile");
        let missing = CallReader::new(io::Cursor::new(b"Opkalds-ID;Tid\n".to_vec()), mapping.clone(), Country::Denmark);
        assert!(matches!(missing, Err(OpenError::Mapping(MappingError::ColumnMissing { field: "start", .. }))));
        let twice = CallReader::new(
            io::Cursor::new(b"Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;kundenr ;Kundenr;Samtykke\n".to_vec()),
            mapping.clone(),
            Country::Denmark,
        );
        assert!(matches!(twice, Err(OpenError::Mapping(MappingError::ColumnTwice { .. }))));
        assert!(matches!(
            CallReader::new(io::Cursor::new(Vec::new()), mapping, Country::Denmark),
            Err(OpenError::Empty)
        ));
    }

    #[test]
    fn formula_looking_cells_are_escaped_for_spreadsheets() {
        for (cell, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+4512345678", "'+4512345678"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("A-1", "A-1"),
            ("", ""),
        ] {
            assert_eq!(formula_safe(cell), safe);
        }
    }

    #[test]
    fn a_spreadsheet_csv_has_a_bom_a_header_and_formula_safe_quoted_cells() {
        assert_eq!(csv_line(["=1+2".to_owned(), "a\"b".to_owned()]), "\"'=1+2\";\"a\"\"b\"\r\n");
        let dir = tempfile::tempdir().expect("temp dir");
        let never = SpreadsheetCsv::new(dir.path().join("none.csv"), vec!["A".to_owned()]);
        assert!(!never.finish().expect("finish"), "no line, no file");
        assert!(!dir.path().join("none.csv").exists());
        let mut file = SpreadsheetCsv::new(dir.path().join("x.csv"), vec!["Linje".to_owned(), "Årsag".to_owned()]);
        file.line(["3".to_owned(), "@SUM(A1)".to_owned()]);
        assert!(file.finish().expect("finish"));
        let text = std::fs::read_to_string(dir.path().join("x.csv")).expect("read");
        assert_eq!(text, "\u{FEFF}\"Linje\";\"Årsag\"\r\n\"3\";\"'@SUM(A1)\"\r\n");
    }
}
