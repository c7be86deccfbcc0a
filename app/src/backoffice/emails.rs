//! The emails sent to shoppers: what went out, what waits for a retry, what failed and
//! why, with a button to try a failed one again.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    dto::EmailView,
    pages::{error_text, failure, when, OfficeFrame},
};
use crate::{
    domain::message::{DeliveryStatus, MessageKind},
    server_fns::{office_emails, office_retry_email},
};

pub(crate) fn kind_label(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Received => "Request received",
        MessageKind::ApprovedWithLabel => "Approved, with label",
        MessageKind::ApprovedWithoutLabel => "Approved, keep the item",
        MessageKind::Rejected => "Rejected",
        MessageKind::ParcelReceived => "Parcel received",
        MessageKind::Settled => "Settled",
        MessageKind::WithdrawalReceived => "Withdrawal acknowledged",
    }
}

pub(crate) fn delivery_label(email: &EmailView) -> String {
    match email.status {
        DeliveryStatus::Sent => {
            format!("Sent {}", email.sent_at_unix.map(when).unwrap_or_default())
        }
        DeliveryStatus::Pending if email.attempts == 0 => "Waiting to be sent".to_owned(),
        DeliveryStatus::Pending => format!("Retrying (attempt {} failed)", email.attempts),
        DeliveryStatus::Failed => format!("Failed after {} attempts", email.attempts),
    }
}

#[component]
pub fn EmailsPage() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    let loaded = Resource::new(move || changed.get(), |_| office_emails());
    view! {
        <OfficeFrame title="Emails".to_owned()>
            <h1>"Emails to shoppers"</h1>
            <p><A href="/admin/emails/texts">"Edit the texts of these emails"</A></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(page) => view! {
                            {(page.failed > 0).then(|| view! {
                                <p class="office-error" role="alert">{format!("{} email(s) could not be sent. Check the error, then retry.", page.failed)}</p>
                            })}
                            {page.emails.is_empty().then(|| view! { <p class="muted">"No emails yet."</p> })}
                            <EmailTable emails=page.emails changed/>
                        }.into_any(),
                        Err(error) => failure(error),
                    }
                })}
            </Suspense>
        </OfficeFrame>
    }
}

/// Emails with their status; failed ones carry a retry button. Shared with a request's page.
#[component]
pub(crate) fn EmailTable(emails: Vec<EmailView>, changed: RwSignal<u32>) -> impl IntoView {
    let retry = Action::new(|id: &String| office_retry_email(id.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = retry.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    view! {
        {move || retry.value().get().and_then(Result::err).map(|e| view! { <p class="office-error" role="alert">{error_text(&e)}</p> })}
        <table class="office-table office-emails">
            <thead><tr><th scope="col">"Email"</th><th scope="col">"To"</th><th scope="col">"Request"</th><th scope="col">"Status"</th><th scope="col">"Queued"</th></tr></thead>
            <tbody>
                {emails.into_iter().map(|email| {
                    let id = email.id.clone();
                    let status = delivery_label(&email);
                    view! {
                        <tr data-delivery=email.status.as_str()>
                            <td>
                                <details>
                                    <summary><strong>{kind_label(email.kind)}</strong><br/>{email.subject.clone()}</summary>
                                    <pre class="office-email-body">{email.body.clone()}</pre>
                                </details>
                            </td>
                            <td>{email.recipient.clone()}</td>
                            <td>{email.return_id.clone().map(|rid| view! { <A href=format!("/admin/returns/{rid}")>{email.reference.clone()}</A> })}</td>
                            <td>
                                <span class="office-delivery">{status}</span>
                                {(!email.last_error.is_empty()).then(|| view! { <br/><span class="muted">{email.last_error.clone()}</span> })}
                                {(email.status == DeliveryStatus::Failed).then(|| view! {
                                    <br/><button type="button" disabled=move || retry.pending().get()
                                        on:click=move |_| { retry.dispatch(id.clone()); }>"Retry"</button>
                                })}
                            </td>
                            <td>{when(email.created_at_unix)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
