//! `ropa settings country-lists …`: the EEA and adequacy lists the transfer rules use, kept in
//! the user's config folder where the app reads them too. Checking the codes is ropa-core's.

use crate::output::{Failure, Out};
use clap::{Subcommand, ValueEnum};
use ropa_core::country_lists::{self, CountryList, CountryListError, CountryListSetting, CountryListsStore, ListKind};

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// The EEA list and the list of countries with an adequacy decision (Art. 45), each with its
    /// "as of" date: show them, replace one with your own, or go back to the shipped ones.
    CountryLists {
        #[command(subcommand)]
        command: CountryListsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum CountryListsCommand {
    /// Show both lists in effect, and whether each is edited or shipped.
    Show {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Replace one list: every country code (ISO 3166-1 alpha-2, such as DK or CH), and the
    /// day the list is correct as of.
    Set {
        #[arg(long, value_enum)]
        list: ListArg,
        /// The day the list is correct as of (2026-09-01).
        #[arg(long, value_name = "DATE")]
        as_of: String,
        /// The codes, separated by commas: AT,BE,BG,…
        #[arg(long, value_name = "CODES")]
        countries: String,
    },
    /// Go back to the list shipped with ropa (without --list: both lists).
    Reset {
        #[arg(long, value_enum)]
        list: Option<ListArg>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListArg {
    Eea,
    Adequacy,
}

impl From<ListArg> for ListKind {
    fn from(list: ListArg) -> Self {
        match list {
            ListArg::Eea => ListKind::Eea,
            ListArg::Adequacy => ListKind::Adequacy,
        }
    }
}

pub fn run(out: &Out, command: SettingsCommand) -> Result<(), Failure> {
    let SettingsCommand::CountryLists { command } = command;
    let store = CountryListsStore::user_default();
    match command {
        CountryListsCommand::Show { json } => {
            let settings = store.settings();
            if json {
                out.json(&settings);
            } else {
                show(out, ListKind::Eea, &settings.eea);
                show(out, ListKind::Adequacy, &settings.adequacy);
            }
        }
        CountryListsCommand::Set { list, as_of, countries } => {
            let as_of = country_lists::parse_as_of(&as_of).map_err(failure)?;
            let countries = country_lists::split_codes(&countries);
            let count = countries.len();
            let kind = ListKind::from(list);
            store.set(kind, CountryList { as_of, countries }).map_err(failure)?;
            out.say(
                "cli.country_lists.set",
                &[("list", out.text(&format!("cli.country_lists.{}", kind.id()))), ("count", count.to_string())],
            );
        }
        CountryListsCommand::Reset { list } => {
            store.reset(list.map(ListKind::from)).map_err(failure)?;
            out.say("cli.country_lists.reset", &[]);
        }
    }
    Ok(())
}

fn show(out: &Out, kind: ListKind, setting: &CountryListSetting) {
    let source = if setting.edited { "cli.country_lists.edited" } else { "cli.country_lists.shipped" };
    out.say(
        "cli.country_lists.line",
        &[
            ("list", out.text(&format!("cli.country_lists.{}", kind.id()))),
            ("as_of", setting.as_of.to_string()),
            ("source", out.text(source)),
        ],
    );
    out.print(&format!("  {}", setting.countries.join(",")));
}

/// The error in the user's words: the code that is wrong, or the file that could not be written.
pub fn failure(e: CountryListError) -> Failure {
    match e {
        CountryListError::InvalidCode { code } => {
            Failure::Message("error.country_list.invalid_code", vec![("code", code)])
        }
        CountryListError::DuplicateCode { code } => {
            Failure::Message("error.country_list.duplicate_code", vec![("code", code)])
        }
        CountryListError::DateInvalid { value } => {
            Failure::Message("error.country_list.date_invalid", vec![("value", value)])
        }
        CountryListError::NoConfigFolder => Failure::Message("error.country_list.no_config_folder", vec![]),
        CountryListError::Io { path, source } => Failure::write(&path, source),
    }
}
