//! The reference data each server holds in memory (SPEC §11: the
//! classification and the campaigns are read on nearly every write), each
//! with the version it was loaded at (`reference_versions`: bumped by the
//! import, and by a trigger on `campaigns`). A use case that reads the
//! database's versions anyway uses a copy only when its version is the
//! current one, so the answer never depends on which replica serves it.

use crate::AppError;
use persistence::DbConnection;
use std::sync::{Arc, RwLock};

/// The occupational classification as searched in memory, with the version
/// it was loaded at.
pub struct OccupationSnapshot {
    pub version: i64,
    pub index: domain::occupation::OccupationIndex,
}

impl OccupationSnapshot {
    /// No classification yet (the database is not prepared); any version
    /// loaded later replaces it.
    pub fn none() -> OccupationSnapshot {
        OccupationSnapshot { version: -1, index: domain::occupation::OccupationIndex::build(Vec::new()) }
    }

    /// The current classification, read from the database.
    pub fn load(conn: &mut DbConnection) -> Result<OccupationSnapshot, AppError> {
        let (version, rows) = persistence::reference::current_occupations(conn)?;
        Ok(OccupationSnapshot { version, index: domain::occupation::OccupationIndex::build(rows) })
    }
}

/// The campaigns `admin` set (SPEC §4.4, §15.1), with the campaigns'
/// version they were loaded at.
#[derive(Debug, Clone)]
pub struct CampaignSnapshot {
    pub version: i64,
    pub stored: Vec<domain::campaign::Campaign>,
}

impl CampaignSnapshot {
    /// Nothing loaded yet: no version matches it.
    pub fn none() -> CampaignSnapshot {
        CampaignSnapshot { version: -1, stored: Vec::new() }
    }

    /// Every stored campaign, read from the database.
    pub fn load(conn: &mut DbConnection) -> Result<CampaignSnapshot, AppError> {
        let (version, stored) = persistence::campaigns::all_stored(conn)?;
        Ok(CampaignSnapshot { version, stored })
    }

    /// The stored campaigns of target years after `year`, in order (what
    /// `persistence::campaigns::stored_after` reads).
    pub fn after(&self, year: i32) -> Vec<domain::campaign::Campaign> {
        self.stored.iter().filter(|c| c.target_year > year).cloned().collect()
    }

    /// The campaign of `year`: the one stored, or the defaults (what
    /// `persistence::campaigns::get` reads).
    pub fn of(&self, year: i32) -> domain::campaign::Campaign {
        domain::campaign::campaign_of(year, &self.stored)
    }
}

/// A value held in memory, swapped whole when a newer version is loaded;
/// readers keep the copy they took.
pub struct Cached<T>(RwLock<Arc<T>>);

impl<T> Cached<T> {
    pub fn new(value: T) -> Cached<T> {
        Cached(RwLock::new(Arc::new(value)))
    }

    pub fn get(&self) -> Arc<T> {
        self.0.read().map(|g| g.clone()).unwrap_or_else(|e| e.into_inner().clone())
    }

    fn set(&self, value: T) {
        let fresh = Arc::new(value);
        match self.0.write() {
            Ok(mut g) => *g = fresh,
            Err(e) => *e.into_inner() = fresh,
        }
    }
}

/// The reference data a use case may take from memory instead of the
/// database: the copies taken for one request.
#[derive(Clone)]
pub struct Memo {
    pub occupations: Arc<OccupationSnapshot>,
    pub campaigns: Arc<CampaignSnapshot>,
}

/// The copies a server holds, refreshed when the database holds newer
/// versions (after a change here, or by the CLI or another replica).
pub struct Reference {
    occupations: Cached<OccupationSnapshot>,
    campaigns: Cached<CampaignSnapshot>,
}

impl Default for Reference {
    fn default() -> Self {
        Reference {
            occupations: Cached::new(OccupationSnapshot::none()),
            campaigns: Cached::new(CampaignSnapshot::none()),
        }
    }
}

impl Reference {
    /// The copies to use for one request.
    pub fn memo(&self) -> Memo {
        Memo { occupations: self.occupations.get(), campaigns: self.campaigns.get() }
    }

    /// The classification to search now.
    pub fn occupations(&self) -> Arc<OccupationSnapshot> {
        self.occupations.get()
    }

    /// Reloads whatever changed in the database; whether anything did.
    pub fn refresh(&self, conn: &mut DbConnection) -> Result<bool, AppError> {
        let occupations = persistence::reference::occupations_version(conn)?;
        let campaigns = persistence::reference::version_of(conn, "campaigns")?;
        let mut changed = false;
        if occupations != self.occupations.get().version {
            self.occupations.set(OccupationSnapshot::load(conn)?);
            changed = true;
        }
        if campaigns != self.campaigns.get().version {
            self.campaigns.set(CampaignSnapshot::load(conn)?);
            changed = true;
        }
        Ok(changed)
    }
}
