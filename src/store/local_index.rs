//! The search index kept with the database: saved beside it at import, loaded at start-up, and
//! brought up to date from the change log, so the TUI and the CLI share one index instead of
//! re-reading a million users.
//!
//! The saved file is stamped with the generation and the last change it covers. Loading replays
//! the changes after that stamp (each edit logs the users it touched in its own transaction), so
//! after a crash at any moment the loaded index agrees with the records. A missing, damaged,
//! foreign or stale file is never trusted: the index is rebuilt from the records and saved again.

use super::backend::Backend;
use super::{Directory, Found, FoundUser, StoreError, UserSearch};
use crate::domain::PhoneType;
use crate::domain::search::{
    IndexBuilder, IndexStamp, Query, SearchIndex, parts_for, parts_with_claims,
};

/// The side file of generation `g`'s index.
pub fn file_name(generation: u64) -> String {
    format!("search-g{generation}.idx")
}

/// Writes `index` beside the database, atomically and durably.
pub(super) fn save_file(
    backend: &dyn Backend,
    index: &SearchIndex,
    stamp: IndexStamp,
) -> Result<(), StoreError> {
    backend.write_side(&file_name(stamp.generation), &mut |out| {
        index.save(stamp, out)
    })
}

/// Where a loaded index came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The saved file, with this many changes replayed on top.
    Saved { replayed: usize },
    /// Rebuilt from the records, for this reason.
    Rebuilt { why: String },
}

/// An index and what it covers.
pub struct LocalIndex {
    pub index: SearchIndex,
    pub stamp: IndexStamp,
    pub origin: Origin,
}

/// Changes replayed at load beyond which the index is worth saving again.
pub const RESAVE_AFTER: usize = 256;

impl LocalIndex {
    /// Loads the saved index and replays the changes after it, or rebuilds it when the file
    /// cannot be used. Returns `None` when `cancelled` turned true during a rebuild.
    pub fn load(
        dir: &dyn Directory,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Option<Self>, StoreError> {
        let generation = dir.generation();
        let latest = dir.change_seq()?;
        let why = match dir.backend().read_side(&file_name(generation)) {
            None => "no saved index".to_owned(),
            Some(Err(e)) => format!("the saved index cannot be read: {e}"),
            Some(Ok(mut reader)) => match SearchIndex::load(&mut reader) {
                Err(e) => e.to_string(),
                Ok((stamp, _)) if stamp.generation != generation => {
                    "the saved index belongs to another import".to_owned()
                }
                Ok((stamp, _)) if stamp.seq > latest => {
                    "the saved index is newer than the database".to_owned()
                }
                Ok((stamp, index)) => {
                    let mut loaded = Self {
                        index,
                        stamp,
                        origin: Origin::Saved { replayed: 0 },
                    };
                    let replayed = loaded.catch_up(dir)?;
                    loaded.origin = Origin::Saved { replayed };
                    return Ok(Some(loaded));
                }
            },
        };
        Self::rebuild(dir, why, cancelled)
    }

    /// Builds the index from every record.
    pub fn rebuild(
        dir: &dyn Directory,
        why: String,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Option<Self>, StoreError> {
        let stamp = IndexStamp {
            generation: dir.generation(),
            seq: dir.change_seq()?,
        };
        let policy = dir.policy()?;
        let claims = dir.all_claims()?;
        let mut builder = IndexBuilder::with_capacity(dir.user_count()?);
        let mut stopped = false;
        dir.for_each_user_while(&mut |user| {
            builder.push(parts_with_claims(&user, &policy, &claims));
            stopped = cancelled();
            !stopped
        })?;
        if stopped {
            return Ok(None);
        }
        Ok(Some(Self {
            index: builder.finish(),
            stamp,
            origin: Origin::Rebuilt { why },
        }))
    }

    /// Applies the changes logged since the index was stamped; returns how many.
    pub fn catch_up(&mut self, dir: &dyn Directory) -> Result<usize, StoreError> {
        let changes = dir.changes_since(self.stamp.seq)?;
        let Some(last) = changes.last().map(|c| c.seq) else {
            return Ok(0);
        };
        let mut users: Vec<String> = changes.into_iter().flat_map(|c| c.users).collect();
        users.sort_unstable();
        users.dedup();
        let count = users.len();
        refresh(dir, &mut self.index, &users)?;
        self.stamp.seq = last;
        Ok(count)
    }

    /// Saves the index as it stands and forgets the changes it now covers. A database that
    /// cannot be written keeps working from the rebuilt index in memory.
    pub fn save(&self, dir: &dyn Directory) -> Result<(), StoreError> {
        save_file(dir.backend(), &self.index, self.stamp)?;
        dir.forget_changes(self.stamp.seq)
    }

    /// True when saving would spare the next start-up work.
    pub fn worth_saving(&self) -> bool {
        match self.origin {
            Origin::Saved { replayed } => replayed >= RESAVE_AFTER,
            Origin::Rebuilt { .. } => true,
        }
    }
}

/// Rewrites the entries of `users` (keys) from their records.
pub fn refresh(
    dir: &dyn Directory,
    index: &mut SearchIndex,
    users: &[String],
) -> Result<(), StoreError> {
    let policy = dir.policy()?;
    for key in users {
        let user = match dir.user(key) {
            Ok(user) => user,
            Err(StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        };
        let claims = match user.method(PhoneType::Mobile) {
            Some(m) => dir.claims_on(&m.phone_number)?,
            None => Vec::new(),
        };
        index.apply(&parts_for(&user, &policy, &claims));
    }
    Ok(())
}

/// The sled mode's [`UserSearch`]: the local index, loaded (and saved again when that spares
/// the next command work), searched in memory.
pub struct IndexSearch {
    local: LocalIndex,
    now: crate::domain::Timestamp,
}

impl IndexSearch {
    pub fn open(dir: &dyn Directory) -> Result<Self, StoreError> {
        let local = LocalIndex::load(dir, &|| false)?
            .ok_or_else(|| StoreError::Io("the search index build was interrupted".into()))?;
        if local.worth_saving() {
            // The next command starts from the saved index; a read-only database just rebuilds.
            let _ = local.save(dir);
        }
        Ok(Self {
            local,
            now: dir.now(),
        })
    }
}

impl From<crate::domain::search::Entry> for FoundUser {
    fn from(e: crate::domain::search::Entry) -> Self {
        Self {
            blocked: e.is_blocked(),
            admin: Some(e.is_admin()),
            guest: e.is_guest(),
            upn: e.upn,
            display_name: e.display_name,
            mobile: e.mobile_masked,
            sms_state: e.sms_state,
            methods: Some(e.method_count),
            usage_location: e.usage_location,
        }
    }
}

impl UserSearch for IndexSearch {
    fn find(
        &self,
        text: &str,
        region: Option<crate::domain::Region>,
        limit: usize,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Found, StoreError> {
        let mut query = Query::parse(text);
        query.region = region;
        let index = &self.local.index;
        let Some(hits) = index.search(&query, self.now, None, cancelled) else {
            return Ok(Found::default());
        };
        let rows: Vec<FoundUser> = hits
            .rows
            .iter()
            .take(limit)
            .filter_map(|r| index.entry_at(r.entry, self.now))
            .map(FoundUser::from)
            .collect();
        Ok(Found {
            more: hits.rows.len() > rows.len(),
            total: Some(hits.total.count()),
            rows,
            note: None,
        })
    }
}
