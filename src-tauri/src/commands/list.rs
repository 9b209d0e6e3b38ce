// The names of all app commands. Shared by the build script, which declares them in the app
// manifest (`allow-<name>` permissions), and by the app, whose test checks them against the
// invoke handler and the capability file. Included with `include!`, so it has no `//!` line.

/// Every command the invoke handler registers, in the contract's order.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "save_settings",
    "forget_recent",
    "pick_new_register",
    "pick_existing_register",
    "create_register",
    "open_register",
    "lock",
    "session",
    "organisation",
    "save_organisation",
    "check_organisation",
    "catalogs",
    "save_data_category",
    "save_subject_category",
    "save_recipient",
    "delete_catalog_entry",
    "activities",
    "activity",
    "check_activity",
    "save_activity",
    "delete_activity",
    "overview",
    "change_log",
    "verify",
    "accept_current_head",
    "change_passphrase",
    "backup",
    "export_report",
];
