//! The back-office's CSV import of orders: every order of a file in one transaction, or
//! none, with each problem on the line it comes from. A check runs the same import and
//! rolls it back, so it finds what only the stored orders can tell (a line that returns
//! still hold) as well as what is wrong in the file.

use super::{api, AppState, ServiceError};
use crate::{
    backoffice::dto::{ImportProblemView, ImportReport},
    domain::{
        order_import::{self, RowProblem},
        Merchant,
    },
    store::is_unique_violation,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Reports what an import would do and changes nothing.
    Check,
    Import,
}

fn problem_view(problem: &RowProblem) -> ImportProblemView {
    ImportProblemView {
        line: problem.line,
        order_number: problem.order_number.clone(),
        code: problem.problem.code().to_owned(),
        message: problem.problem.to_string(),
    }
}

pub async fn import_orders(
    state: &AppState,
    merchant: &Merchant,
    csv: &[u8],
    mode: ImportMode,
    now: i64,
) -> Result<ImportReport, ServiceError> {
    if !merchant.role.can_change_settings() {
        return Err(ServiceError::Forbidden);
    }
    let mut report = ImportReport::default();
    let file = match order_import::read(csv) {
        Ok(file) => file,
        Err(problems) => {
            report.problems = problems.iter().map(problem_view).collect();
            return Ok(report);
        }
    };
    report.rows = file.rows;
    let mut tx = state.db.begin().await?;
    for imported in file.orders {
        let number = imported.order.number.as_str().to_owned();
        match api::upsert_order_in(&mut tx, merchant, imported.order, imported.lines, now).await {
            Ok(api::Upserted::Created) => report.created.push(number),
            Ok(api::Upserted::Updated) => report.updated.push(number),
            // Found in Rust before anything of this order is written: the rest can still be
            // checked in the same transaction.
            Err(ServiceError::OrderSync(error)) => report.problems.push(problem_view(&RowProblem {
                line: imported.first_line,
                order_number: number,
                problem: error.into(),
            })),
            // Someone created one of these orders meanwhile: nothing is kept, try again.
            Err(ServiceError::Database(error)) if is_unique_violation(&error) => {
                return Err(ServiceError::Conflict)
            }
            Err(other) => return Err(other),
        }
    }
    if mode == ImportMode::Import && report.problems.is_empty() {
        tx.commit().await?;
        report.imported = true;
        tracing::info!(
            shop.id = %merchant.shop_id, user.id = %merchant.user_id,
            created = report.created.len(), updated = report.updated.len(),
            "orders imported from CSV"
        );
    } else {
        tx.rollback().await?;
    }
    Ok(report)
}
