//! Shopper data requests: export everything stored about one shopper email as JSON, or erase
//! their personal data (the right of access and the right to erasure). Owners only; both are
//! written on each request's timeline.

use leptos::prelude::*;

use super::pages::{error_text, OfficeFrame};
use crate::server_fns::{office_erase_shopper, office_export_shopper, AppError};

#[component]
pub fn PrivacyToolsPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let export = Action::new(|email: &String| office_export_shopper(email.clone()));
    let erase = Action::new(|(email, confirm): &(String, String)| {
        office_erase_shopper(email.clone(), confirm.clone())
    });
    // The export is offered as a file: a data URL needs no second request.
    let download = move || {
        export.value().get().and_then(|result| result.ok()).map(|json| {
            let href = format!(
                "data:application/json;charset=utf-8,{}",
                crate::components::urlencode(&json)
            );
            let name = format!("shopper-data-{}.json", email.get_untracked().trim());
            view! {
                <p class="office-notice" role="status">"The export is ready. "
                    <a href=href download=name>"Download the JSON file"</a></p>
            }
        })
    };
    let not_found = |error: &AppError| match error {
        AppError::NotFound => "No order of this shop was placed with this email address.".to_owned(),
        other => error_text(other),
    };
    view! {
        <OfficeFrame title="Shopper data".to_owned()>
            <h1>"Shopper data requests"</h1>
            <p class="muted">"When a shopper asks what you store about them, export it; when they ask you to erase it, erase it. Requests, amounts and credit notes stay for your accounts with the personal fields blanked; photos are deleted. Both are written on each request's timeline."</p>
            <section class="office-card" aria-labelledby="privacy-export">
                <h2 id="privacy-export">"Export"</h2>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); export.dispatch(email.get_untracked()); }>
                    <label for="privacy-email">"Shopper's email address"</label>
                    <input id="privacy-email" type="email" required maxlength="254" prop:value=move || email.get()
                        on:input=move |e| email.set(event_target_value(&e))/>
                    <button type="submit" class="primary" disabled=move || export.pending().get()>"Export their data"</button>
                </form>
                {download}
                {move || export.value().get().and_then(|r| r.err()).map(|e| view! { <p class="office-error" role="alert">{not_found(&e)}</p> })}
            </section>
            <section class="office-card" aria-labelledby="privacy-erase">
                <h2 id="privacy-erase">"Erase"</h2>
                <p>"Erasing cannot be undone. Type the shopper's email address again to confirm."</p>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); erase.dispatch((email.get_untracked(), confirm.get_untracked())); }>
                    <label for="privacy-confirm">"Confirm the email address"</label>
                    <input id="privacy-confirm" type="email" required maxlength="254" prop:value=move || confirm.get()
                        on:input=move |e| confirm.set(event_target_value(&e))/>
                    <button type="submit" class="danger" disabled=move || erase.pending().get()>"Erase their personal data"</button>
                </form>
                {move || erase.value().get().map(|result| match result {
                    Ok(done) => view! { <p class="office-notice" role="status">{format!("Erased: {} order(s), {} request(s), {} photo(s).", done.orders, done.requests, done.photos)}</p> }.into_any(),
                    Err(AppError::Invalid(_)) => view! { <p class="office-error" role="alert">"The two email addresses differ."</p> }.into_any(),
                    Err(error) => view! { <p class="office-error" role="alert">{not_found(&error)}</p> }.into_any(),
                })}
            </section>
        </OfficeFrame>
    }
}
