//! Orders from a CSV file, for shops without an integration. The owner can check a file
//! first; an import takes every order of the file or none, and the report names each
//! refused line and why.

use leptos::prelude::*;

use super::pages::{error_text, OfficeFrame};
use crate::{
    backoffice::dto::{ImportProblemView, ImportReport},
    components::urlencode,
    domain::order_import::{Column, MAX_ROWS, TEMPLATE},
    server_fns::{office_import_orders, AppError},
};

/// A `data:` URL carries the template without a round trip.
fn data_url(csv: &str) -> String {
    format!("data:text/csv;charset=utf-8,{}", urlencode(csv))
}

fn count(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}

fn numbers(label: &'static str, list: Vec<String>) -> impl IntoView {
    (!list.is_empty()).then(|| {
        view! {
            <details>
                <summary>{format!("{label} ({})", list.len())}</summary>
                <p class="import-numbers">{list.join(", ")}</p>
            </details>
        }
    })
}

fn problem_row(problem: ImportProblemView) -> impl IntoView {
    view! {
        <tr>
            <td>{if problem.line == 0 { "file".to_owned() } else { problem.line.to_string() }}</td>
            <td>{problem.order_number}</td>
            <td>{problem.message} <span class="muted">{format!(" ({})", problem.code)}</span></td>
        </tr>
    }
}

fn report_view(report: ImportReport) -> AnyView {
    let (created, updated) = (report.created.len(), report.updated.len());
    if !report.problems.is_empty() {
        let problems = report.problems.len();
        return view! {
            <section class="office-card import-report" aria-labelledby="import-report">
                <h2 id="import-report">"Report"</h2>
                <p class="office-error" role="alert">
                    {format!(
                        "Nothing was imported: {} to correct. Correct the file and check it again.",
                        count(problems, "problem")
                    )}
                </p>
                // Focusable so a keyboard can scroll it on a phone.
                <div class="table-scroll" tabindex="0" role="region" aria-label="Problems">
                    <table class="office-table">
                        <thead><tr><th scope="col">"Line"</th><th scope="col">"Order"</th><th scope="col">"Problem"</th></tr></thead>
                        <tbody>{report.problems.into_iter().map(problem_row).collect_view()}</tbody>
                    </table>
                </div>
            </section>
        }
        .into_any();
    }
    let summary = if report.imported {
        format!(
            "Imported {} from {}: {created} new, {updated} brought up to date.",
            count(created + updated, "order"),
            count(report.rows, "row")
        )
    } else {
        format!(
            "The file is ready: {}, {} and {updated} to bring up to date. Nothing has changed yet.",
            count(report.rows, "row"),
            count(created, "new order")
        )
    };
    view! {
        <section class="office-card import-report" aria-labelledby="import-report">
            <h2 id="import-report">"Report"</h2>
            <p class="office-notice" role="status">{summary}</p>
            {numbers("New orders", report.created)}
            {numbers("Orders brought up to date", report.updated)}
        </section>
    }
    .into_any()
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    let run = Action::new_local(|data: &web_sys::FormData| office_import_orders(data.clone().into()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mode = ev
            .submitter()
            .and_then(|button| button.get_attribute("value"))
            .unwrap_or_else(|| "check".to_owned());
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let (Some(file), Ok(data)) = (file, web_sys::FormData::new()) else {
            return;
        };
        // The mode first: the server reads the fields in order.
        if data.append_with_str("mode", &mode).is_ok()
            && data.append_with_blob_and_filename("file", &file, &file.name()).is_ok()
        {
            run.dispatch_local(data);
        }
    };
    let outcome = move || {
        // The last report goes while a new file is read: it no longer describes the file.
        if run.pending().get() {
            return None;
        }
        run.value().get().map(|result| match result {
            Ok(report) => report_view(report),
            Err(AppError::Forbidden) => view! {
                <p class="office-error" role="alert">"Only the shop's owner can import orders."</p>
            }
            .into_any(),
            Err(AppError::Conflict) => view! {
                <p class="office-error" role="alert">"Someone created one of these orders meanwhile, so nothing was imported. Import the file again."</p>
            }
            .into_any(),
            Err(error) => view! { <p class="office-error" role="alert">{error_text(&error)}</p> }.into_any(),
        })
    };
    view! {
        <OfficeFrame title="Import orders".to_owned()>
            <h1>"Import orders"</h1>
            <p class="muted">
                "For shops without an integration: a CSV file with one row per order line. An order already here is brought up to date, its lines matched by line_id (or SKU). Nothing is imported unless every row can be. Integrations use "
                <a href="/api/v1/reference">"the API"</a> " instead."
            </p>
            <section class="office-card" aria-labelledby="import-file-heading">
                <h2 id="import-file-heading">"File"</h2>
                <p><a download="retour-orders.csv" href=data_url(TEMPLATE)>"Download the template"</a></p>
                <form class="import-form" on:submit=submit>
                    <label for="import-file">"CSV file " <span class="muted">{format!("(UTF-8; commas, semicolons or tabs; at most 2 MB and {MAX_ROWS} rows)")}</span></label>
                    <input id="import-file" node_ref=file_input type="file" accept=".csv,text/csv,text/plain" required/>
                    <div class="office-actions">
                        <button type="submit" value="check" disabled=move || run.pending().get()>"Check the file"</button>
                        <button type="submit" value="import" class="primary" disabled=move || run.pending().get()>"Import"</button>
                    </div>
                    {move || run.pending().get().then(|| view! { <p class="muted" role="status">"Reading the file…"</p> })}
                </form>
            </section>
            {outcome}
            <section class="office-card" aria-labelledby="import-columns">
                <h2 id="import-columns">"Columns"</h2>
                <p class="muted">"The header row names the columns, in any order. An order's own columns (up to delivered_on) go on its first row; its other rows may repeat them or leave them empty."</p>
                <dl class="import-columns">
                    {Column::ALL.into_iter().map(|column| view! {
                        <dt><code>{column.name()}</code>{column.required().then_some(" (needed)")}</dt>
                        <dd>{column.help()}</dd>
                    }).collect_view()}
                </dl>
            </section>
        </OfficeFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_link_carries_the_template_byte_for_byte() {
        let encoded = data_url(TEMPLATE);
        let body = encoded.strip_prefix("data:text/csv;charset=utf-8,").unwrap();
        assert!(!body.contains([',', '\n', ' ', '|']), "{body}");
        let mut decoded = Vec::new();
        let mut bytes = body.bytes();
        while let Some(b) = bytes.next() {
            if b == b'%' {
                let hex = [bytes.next().unwrap(), bytes.next().unwrap()];
                decoded.push(u8::from_str_radix(std::str::from_utf8(&hex).unwrap(), 16).unwrap());
            } else {
                decoded.push(b);
            }
        }
        assert_eq!(String::from_utf8(decoded).unwrap(), TEMPLATE);
    }
}
