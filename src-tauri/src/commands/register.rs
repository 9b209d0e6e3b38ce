//! The processing register: organisation, catalogs, activities and the overview. Each command
//! calls one `Register` (or validation) function of ropa-core and maps its error.

use crate::error::AppError;
use crate::state::AppState;
use ropa_core::processing_register::{
    Activity, ActivitySummary, DataCategory, Organisation, Overview, Recipient, SubjectCategory,
};
use ropa_core::store::Catalog;
use ropa_core::validation::{self, Issue};
use serde::{Deserialize, Serialize};
use tauri::State;

/// The register-wide lists that activities refer to.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Catalogs {
    pub data_categories: Vec<DataCategory>,
    pub subject_categories: Vec<SubjectCategory>,
    pub recipients: Vec<Recipient>,
}

/// Which catalog an entry belongs to; the ids are the change log's entity names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum CatalogKind {
    DataCategory,
    SubjectCategory,
    Recipient,
}

impl From<CatalogKind> for Catalog {
    fn from(kind: CatalogKind) -> Catalog {
        match kind {
            CatalogKind::DataCategory => Catalog::DataCategories,
            CatalogKind::SubjectCategory => Catalog::SubjectCategories,
            CatalogKind::Recipient => Catalog::Recipients,
        }
    }
}

/// A saved activity: its id (new activities get one) and the warnings that did not block it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SavedActivity {
    pub id: String,
    pub issues: Vec<Issue>,
}

impl AppState {
    pub fn organisation(&self) -> Result<Organisation, AppError> {
        self.with_register(|r| r.organisation())
    }

    pub fn save_organisation(&self, organisation: &Organisation) -> Result<Vec<Issue>, AppError> {
        self.with_register(|r| r.save_organisation(organisation))
    }

    pub fn catalogs(&self) -> Result<Catalogs, AppError> {
        let content = self.with_register(|r| r.content())?;
        Ok(Catalogs {
            data_categories: content.data_categories,
            subject_categories: content.subject_categories,
            recipients: content.recipients,
        })
    }

    pub fn save_data_category(&self, category: &DataCategory) -> Result<(), AppError> {
        self.with_register(|r| r.save_data_category(category))
    }

    pub fn save_subject_category(&self, category: &SubjectCategory) -> Result<(), AppError> {
        self.with_register(|r| r.save_subject_category(category))
    }

    pub fn save_recipient(&self, recipient: &Recipient) -> Result<(), AppError> {
        self.with_register(|r| r.save_recipient(recipient))
    }

    pub fn delete_catalog_entry(&self, kind: CatalogKind, id: &str) -> Result<(), AppError> {
        self.with_register(|r| r.delete_catalog_entry(kind.into(), id))
    }

    pub fn activities(&self) -> Result<Vec<ActivitySummary>, AppError> {
        self.with_register(|r| r.activities())
    }

    pub fn activity(&self, id: &str) -> Result<Activity, AppError> {
        self.with_register(|r| r.activity(id))
    }

    pub fn check_activity(&self, activity: &Activity) -> Result<Vec<Issue>, AppError> {
        self.with_register(|r| r.check_activity(activity))
    }

    pub fn save_activity(&self, activity: &Activity) -> Result<SavedActivity, AppError> {
        let (id, issues) = self.with_register(|r| r.save_activity(activity))?;
        Ok(SavedActivity { id, issues })
    }

    pub fn delete_activity(&self, id: &str) -> Result<(), AppError> {
        self.with_register(|r| r.delete_activity(id))
    }

    pub fn overview(&self) -> Result<Overview, AppError> {
        self.with_register(|r| r.overview(chrono::Utc::now().date_naive()))
    }
}

#[tauri::command]
#[specta::specta]
pub async fn organisation(state: State<'_, AppState>) -> Result<Organisation, AppError> {
    state.run(|s| s.organisation()).await
}

/// Saves the organisation; returns the warnings that did not block the save.
#[tauri::command]
#[specta::specta]
pub async fn save_organisation(state: State<'_, AppState>, organisation: Organisation) -> Result<Vec<Issue>, AppError> {
    state.run(move |s| s.save_organisation(&organisation)).await
}

/// The organisation's issues without saving, for messages next to the fields. Needs no open
/// register, so the create form uses it too.
#[tauri::command]
#[specta::specta]
pub fn check_organisation(state: State<'_, AppState>, organisation: Organisation) -> Vec<Issue> {
    state.touch();
    validation::validate_organisation(&organisation, "")
}

#[tauri::command]
#[specta::specta]
pub async fn catalogs(state: State<'_, AppState>) -> Result<Catalogs, AppError> {
    state.run(|s| s.catalogs()).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_data_category(state: State<'_, AppState>, category: DataCategory) -> Result<(), AppError> {
    state.run(move |s| s.save_data_category(&category)).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_subject_category(state: State<'_, AppState>, category: SubjectCategory) -> Result<(), AppError> {
    state.run(move |s| s.save_subject_category(&category)).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_recipient(state: State<'_, AppState>, recipient: Recipient) -> Result<(), AppError> {
    state.run(move |s| s.save_recipient(&recipient)).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_catalog_entry(state: State<'_, AppState>, kind: CatalogKind, id: String) -> Result<(), AppError> {
    state.run(move |s| s.delete_catalog_entry(kind, &id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn activities(state: State<'_, AppState>) -> Result<Vec<ActivitySummary>, AppError> {
    state.run(|s| s.activities()).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity(state: State<'_, AppState>, id: String) -> Result<Activity, AppError> {
    state.run(move |s| s.activity(&id)).await
}

/// The activity's issues without saving (paths relative to the activity).
#[tauri::command]
#[specta::specta]
pub async fn check_activity(state: State<'_, AppState>, activity: Activity) -> Result<Vec<Issue>, AppError> {
    state.run(move |s| s.check_activity(&activity)).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_activity(state: State<'_, AppState>, activity: Activity) -> Result<SavedActivity, AppError> {
    state.run(move |s| s.save_activity(&activity)).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_activity(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    state.run(move |s| s.delete_activity(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn overview(state: State<'_, AppState>) -> Result<Overview, AppError> {
    state.run(|s| s.overview()).await
}
