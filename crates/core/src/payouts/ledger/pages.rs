//! A batch's rows read a page at a time in submission order, each page starting after the
//! last row of the one before: how every full read of a batch walks it without holding it.

use super::item::ItemRow;
use super::store::{ItemsPage, Ledger};
use crate::failure::Failure;

pub struct Pages<'a> {
    ledger: &'a dyn Ledger,
    batch_id: &'a str,
    page: ItemsPage<'a>,
}

impl<'a> Pages<'a> {
    /// From `page`'s `after_seq`, `page.limit` rows at a time.
    pub fn new(ledger: &'a dyn Ledger, batch_id: &'a str, page: ItemsPage<'a>) -> Pages<'a> {
        Pages {
            ledger,
            batch_id,
            page,
        }
    }

    /// The next page; `None` once a read finds no more rows.
    pub async fn next(&mut self) -> Result<Option<Vec<ItemRow>>, Failure> {
        let rows = self.ledger.items(self.batch_id, self.page).await?;
        let Some(last) = rows.last() else {
            return Ok(None);
        };
        self.page.after_seq = Some(last.seq);
        Ok(Some(rows))
    }

    /// Every row not read yet.
    pub async fn rest(mut self) -> Result<Vec<ItemRow>, Failure> {
        let mut out = Vec::new();
        while let Some(rows) = self.next().await? {
            out.extend(rows);
        }
        Ok(out)
    }
}
