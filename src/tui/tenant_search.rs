//! The list in Graph mode: a real tenant answers each query itself (`$search` on names,
//! `startswith` on UPNs and directory phones). Its answer becomes a small index of just the
//! users it returned (names, UPNs, usage locations, blocks and guests; no numbers, which a
//! tenant search does not return), so the result list draws them as it draws the local index,
//! in the tenant's order.

use std::collections::HashMap;

use crate::domain::search::{Hits, Query, Row, SearchIndex, Total, Why};
use crate::domain::{Region, Upn, User, UserType};
use crate::store::{Found, Record, StoreError};

/// How many users one query asks the tenant for (Graph pages them; more follow on scrolling).
pub const TENANT_PAGE: usize = 100;

/// The tenant's answer to `query`, at most `limit` users, as an index of them and its hits.
pub fn answer(
    record: &dyn Record,
    query: &Query,
    limit: usize,
    cancelled: &dyn Fn() -> bool,
) -> Result<(SearchIndex, Hits, Option<String>), StoreError> {
    let found = record
        .user_search()?
        .find(&query.text, query.region, limit, cancelled)?;
    let now = record.now();
    let users = users_of(&found, now);
    let index = SearchIndex::build(users.iter(), &record.policy()?, &HashMap::new());
    let why = if query.text.trim().is_empty() {
        Why::Listed
    } else {
        Why::Name
    };
    let rows = users
        .iter()
        .filter_map(|u| index.find_upn(&u.upn().key()))
        .map(|entry| Row { entry, why })
        .collect::<Vec<_>>();
    let total = match found.total {
        Some(n) if !found.more => Total::Exact(n),
        Some(n) => Total::AtLeast(n),
        None if found.more => Total::AtLeast(rows.len()),
        None => Total::Exact(rows.len()),
    };
    let hits = Hits {
        query: query.clone(),
        rows,
        total,
        at: now,
    };
    Ok((index, hits, found.note))
}

fn users_of(found: &Found, now: crate::domain::Timestamp) -> Vec<User> {
    found
        .rows
        .iter()
        .filter_map(|row| {
            let mut user = User::new(Upn::parse(&row.upn).ok()?, row.display_name.clone());
            user.usage_location = row
                .usage_location
                .as_deref()
                .and_then(|l| Region::parse(l).ok());
            if row.guest {
                user.user_type = UserType::Guest;
            }
            if row.blocked {
                user.block = Some(crate::domain::Block::account_disabled(now));
            }
            Some(user)
        })
        .collect()
}
