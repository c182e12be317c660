//! What any `Ledger` must do for batches of any size (the SQLite one here; the PostgreSQL
//! one runs the same checks): due lookups a page at a time in (next check, seq) order,
//! staged submissions that are no batch until committed, and totals that follow every
//! transition.

use std::sync::Arc;

use mobilemoney_core::payouts::ledger::{
    Created, Due, DuePage, ItemState, ItemsPage, Ledger, NewItem, RailId, StagedBatch, Status,
};
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

fn item(i: u64) -> (u64, NewItem) {
    let key = format!("k{i}");
    (
        i,
        NewItem {
            key: key.clone(),
            provider: RailId::from("momo"),
            amount: "2.50".into(),
            currency: "EUR".into(),
            spec: json!({ "key": key, "party": "46733120001" }),
        },
    )
}

fn staged(id: &str, total: u64, fingerprint: &str) -> StagedBatch {
    StagedBatch {
        batch_id: id.into(),
        fingerprint: fingerprint.into(),
        total,
        secret_check: "check".into(),
        now_ms: 1_700_000_000_000,
    }
}

/// `prefix` keeps the batch ids of one run apart from another's (a shared database).
pub async fn paging_conformance(l: Arc<dyn Ledger>, prefix: &str) -> TestResult {
    let id = format!("{prefix}-paged");
    // Staged in two chunks, a key repeated in the second: reported, written once.
    let stage = format!("{prefix}-stage");
    assert!(l
        .stage(&stage, (0..6).map(item).collect())
        .await?
        .is_empty());
    let mut second: Vec<(u64, NewItem)> = (6..10).map(item).collect();
    second.push((10, item(3).1));
    assert_eq!(l.stage(&stage, second).await?, [10]);
    // Staged is not a batch: nothing to read, nothing to run.
    assert!(l.batch(&id).await?.is_none());
    assert!(l
        .items(&id, ItemsPage::new(&[], None, 100))
        .await?
        .is_empty());
    assert_eq!(
        l.commit_stage(&stage, staged(&id, 10, "v2:f")).await?,
        Created::New
    );
    let rows = l.items(&id, ItemsPage::new(&[], None, 100)).await?;
    assert_eq!(
        rows.iter().map(|r| r.seq).collect::<Vec<_>>(),
        (0..10).collect::<Vec<_>>()
    );
    assert_eq!(l.batch(&id).await?.ok_or("no batch")?.total, 10);

    // A second submission of the same id: nothing written, whatever was staged.
    let again = format!("{prefix}-again");
    l.stage(&again, (0..3).map(item).collect()).await?;
    assert_eq!(
        l.commit_stage(&again, staged(&id, 3, "v2:other")).await?,
        Created::Conflict
    );
    l.stage(&again, (0..10).map(item).collect()).await?;
    assert_eq!(
        l.commit_stage(&again, staged(&id, 10, "v2:f")).await?,
        Created::Existing
    );
    assert_eq!(
        l.items(&id, ItemsPage::new(&[], None, 100)).await?.len(),
        10
    );
    // An abandoned stage goes.
    let dropped = format!("{prefix}-dropped");
    l.stage(&dropped, (0..2).map(item).collect()).await?;
    l.drop_stage(&dropped).await?;
    let lone = format!("{prefix}-lone");
    assert_eq!(
        l.commit_stage(&dropped, staged(&lone, 0, "v2:z")).await?,
        Created::New
    );
    assert!(l
        .items(&lone, ItemsPage::new(&[], None, 10))
        .await?
        .is_empty());

    // Items 0..8 pending, next checks falling as seq rises; 8 unknown without one.
    for row in rows.iter().take(9) {
        let next = (row.seq < 8).then(|| 1_000 - i64::try_from(row.seq).unwrap_or(0) * 100);
        let to = ItemState {
            status: if row.seq < 8 {
                Status::Pending
            } else {
                Status::Unknown
            },
            next_check_ms: next,
            updated_ms: row.state.updated_ms + 1,
            ..row.state.clone()
        };
        l.transition(row, to).await?.ok_or("lost")?;
    }
    // Due by 600: seqs 4..8 (checks 600, 500, 400, 300), earliest first, two a page.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = l
            .due(&id, DuePage::new(Status::Pending, Due::By(600), after, 2))
            .await?;
        let Some(last) = page.last() else { break };
        assert!(page.len() <= 2);
        after = Some((last.state.next_check_ms.ok_or("no check")?, last.seq));
        seen.extend(page.iter().map(|r| r.seq));
    }
    assert_eq!(seen, [7, 6, 5, 4]);
    let unset = l
        .due(&id, DuePage::new(Status::Unknown, Due::Unset, None, 10))
        .await?;
    assert_eq!(unset.iter().map(|r| r.seq).collect::<Vec<_>>(), [8]);
    assert!(l
        .due(
            &id,
            DuePage::new(Status::Unknown, Due::By(i64::MAX), None, 10)
        )
        .await?
        .is_empty());
    assert!(l
        .due(&id, DuePage::new(Status::Pending, Due::Unset, None, 10))
        .await?
        .is_empty());

    // Totals follow the transitions: 8 pending, 1 unknown, 1 queued; one paid.
    let paid = l.item(&id, "k0").await?.ok_or("no k0")?;
    let to = ItemState {
        status: Status::Successful,
        next_check_ms: None,
        ..paid.state.clone()
    };
    l.transition(&paid, to).await?.ok_or("lost")?;
    let totals = l.totals(&id).await?;
    let mut by_status = totals.by_status.clone();
    by_status.sort_by_key(|(s, _)| s.as_str());
    assert_eq!(
        by_status,
        [
            (Status::Pending, 7),
            (Status::Queued, 1),
            (Status::Successful, 1),
            (Status::Unknown, 1)
        ]
    );
    assert_eq!(totals.amounts, [("EUR".to_owned(), 25.0, 2.5)]);
    Ok(())
}
