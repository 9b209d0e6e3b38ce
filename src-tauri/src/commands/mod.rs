//! The app's Tauri commands. Each is an adapter: it takes the state, calls one ropa-core
//! function (on a blocking thread when it touches the file) and maps the error into
//! [`AppError`](crate::error::AppError). The logic lives in `impl AppState` blocks beside the
//! commands, so tests can run it without a window.

pub mod breaches;
pub mod files;
pub mod processors;
pub mod recordings;
pub mod register;
pub mod reports;
pub mod safety;
pub mod settings;

use crate::state::AppState;
use tauri::{Manager, Runtime, Wry};

/// The app state, owned, from anything that can reach the app.
fn app_state<R: Runtime>(manager: &impl Manager<R>) -> AppState {
    manager.state::<AppState>().inner().clone()
}

/// All commands, for the invoke handler and the TypeScript bindings.
pub fn collect() -> tauri_specta::Commands<Wry> {
    tauri_specta::collect_commands![
        settings::app_info,
        settings::save_settings,
        settings::forget_recent,
        settings::country_lists,
        settings::set_country_list,
        settings::reset_country_list,
        files::pick_new_register,
        files::pick_existing_register,
        files::create_register,
        files::open_register,
        files::lock,
        files::session,
        register::organisation,
        register::save_organisation,
        register::check_organisation,
        register::catalogs,
        register::save_data_category,
        register::save_subject_category,
        register::save_recipient,
        register::delete_catalog_entry,
        register::activities,
        register::activity,
        register::check_activity,
        register::save_activity,
        register::delete_activity,
        register::overview,
        safety::change_log,
        safety::verify,
        safety::accept_current_head,
        safety::change_passphrase,
        safety::backup,
        reports::export_report,
        breaches::breaches,
        breaches::breach,
        breaches::check_breach,
        breaches::save_breach,
        breaches::deadlines,
        processors::processors,
        processors::processor,
        processors::check_processor,
        processors::save_processor,
        processors::processor_deadlines,
        processors::attach_agreement,
        processors::open_agreement,
        processors::attach_supervision_report,
        processors::open_supervision_report,
        recordings::call_page,
        recordings::recordings_status,
        recordings::recording_policies,
        recordings::check_recording_policy,
        recordings::add_recording_policy,
        recordings::pick_call_list,
        recordings::preview_calls,
        recordings::load_mapping_profile,
        recordings::save_mapping_profile,
        recordings::import_calls,
        recordings::save_rejected_calls,
        recordings::choose_audio_folder,
        recordings::clear_audio_folder,
        recordings::sweep_recordings,
        recordings::withdraw_consent,
        recordings::deletion_receipts,
        recordings::save_deletion_receipt,
        recordings::access_request,
    ]
}

/// The tauri-specta builder: the invoke handler at run time, the bindings in the test.
pub fn specta_builder() -> tauri_specta::Builder<Wry> {
    tauri_specta::Builder::<Wry>::new().commands(collect())
}
