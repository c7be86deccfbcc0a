//! The email texts editor: pick an email and a language, edit its subject and body with
//! `{{placeholders}}`, preview it with sample values, send a test to oneself, save it or
//! go back to our text. Staff can preview and test; only the owner saves.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    dto::{MessageTextView, MessageTextsView},
    emails::kind_label,
    pages::{error_text, failure, OfficeFrame},
};
use crate::{
    domain::{
        message::{MessageKind, MessageText, Placeholder},
        Locale,
    },
    server_fns::{
        office_message_texts, office_preview_message, office_save_message_text,
        office_send_test_message,
    },
};

fn placeholder_help(placeholder: Placeholder) -> &'static str {
    match placeholder {
        Placeholder::Name => "the shopper's name",
        Placeholder::Shop => "your shop's name",
        Placeholder::Reference => "the return reference",
        Placeholder::Order => "the order number",
        Placeholder::StatusLink => "the link to the return's status page",
        Placeholder::Explanation => "your explanation (required in this email)",
        Placeholder::FeeRefund => "a sentence about the refunded fee, or nothing",
        Placeholder::Settlement => "how the return was settled, and the amount",
        Placeholder::CreditNote => "the credit note number",
        Placeholder::Statement => "the withdrawal statement as received (required in this email)",
        Placeholder::ReceivedAt => "when the statement was received, local time and UTC (required)",
    }
}

#[component]
pub fn MessageTextsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| office_message_texts());
    view! {
        <OfficeFrame title="Email texts".to_owned()>
            <p><A href="/admin/emails">"← Emails"</A></p>
            <h1>"Email texts"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(view) => view! { <TextsEditor view/> }.into_any(),
                        Err(error) => failure(error),
                    }
                })}
            </Suspense>
        </OfficeFrame>
    }
}

#[component]
fn TextsEditor(view: MessageTextsView) -> impl IntoView {
    let MessageTextsView {
        can_edit, texts, ..
    } = view;
    let texts = RwSignal::new(texts);
    let kind = RwSignal::new(MessageKind::Received);
    let locale = RwSignal::new(Locale::En);
    let current = move || {
        texts.with(|all| {
            all.iter()
                .find(|t| t.kind == kind.get() && t.locale == locale.get())
                .cloned()
        })
    };
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    // Choosing another email or language loads its text into the form.
    Effect::new(move |_| {
        if let Some(view) = current() {
            subject.set(view.text.subject);
            body.set(view.text.body);
        }
    });
    let draft = move || MessageText {
        subject: subject.get_untracked(),
        body: body.get_untracked(),
    };

    let preview = Action::new(|input: &(MessageKind, Locale, MessageText)| {
        office_preview_message(input.0, input.1, input.2.clone())
    });
    let test = Action::new(|input: &(MessageKind, Locale, MessageText)| {
        office_send_test_message(input.0, input.1, input.2.clone())
    });
    let save = Action::new(|input: &(MessageKind, Locale, Option<MessageText>)| {
        office_save_message_text(input.0, input.1, input.2.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            let saved: MessageTextView = saved;
            subject.set(saved.text.subject.clone());
            body.set(saved.text.body.clone());
            texts.update(|all| {
                if let Some(slot) = all
                    .iter_mut()
                    .find(|t| t.kind == saved.kind && t.locale == saved.locale)
                {
                    *slot = saved;
                }
            });
        }
    });
    let selection = move || (kind.get_untracked(), locale.get_untracked());
    let busy = move || preview.pending().get() || test.pending().get() || save.pending().get();

    view! {
        <p class="muted">"Shoppers get these emails in their language. Write any text around the placeholders; "
            "a language you leave as it is uses our text."</p>
        <div class="office-address-row">
            <div>
                <label for="texts-kind">"Email"</label>
                <select id="texts-kind" on:change=move |e| {
                    if let Ok(k) = event_target_value(&e).parse::<MessageKind>() { kind.set(k) }
                }>
                    {MessageKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get() == k>{kind_label(k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="texts-locale">"Language"</label>
                <select id="texts-locale" on:change=move |e| {
                    if let Some(l) = Locale::from_tag(&event_target_value(&e)) { locale.set(l) }
                }>
                    {Locale::ALL.into_iter().map(|l| view! {
                        <option value=l.code() selected=move || locale.get() == l>{l.native_name()}</option>
                    }).collect_view()}
                </select>
            </div>
        </div>
        <section class="office-card" aria-labelledby="texts-form">
            <h2 id="texts-form">
                {move || kind_label(kind.get())} " · " {move || locale.get().native_name()} " "
                <span class="office-status">{move || if current().is_some_and(|t| t.custom) { "your text" } else { "our text" }}</span>
            </h2>
            <label for="texts-subject">"Subject"</label>
            <input id="texts-subject" maxlength="200" lang=move || locale.get().code() prop:value=subject
                on:input=move |e| subject.set(event_target_value(&e))/>
            <label for="texts-body">"Text"</label>
            <textarea id="texts-body" rows="14" lang=move || locale.get().code() prop:value=body
                on:input=move |e| body.set(event_target_value(&e))></textarea>
            <details>
                <summary>"Placeholders this email can use"</summary>
                <ul>
                    {move || kind.get().placeholders().iter().map(|p| view! {
                        <li><code>{format!("{{{{{}}}}}", p.as_str())}</code> " — " {placeholder_help(*p)}</li>
                    }).collect_view()}
                </ul>
            </details>
            <div class="office-buttons">
                <button type="button" disabled=busy on:click=move |_| { let (k, l) = selection(); preview.dispatch((k, l, draft())); }>"Preview"</button>
                <button type="button" disabled=busy on:click=move |_| { let (k, l) = selection(); test.dispatch((k, l, draft())); }>"Send me a test"</button>
                {can_edit.then(|| view! {
                    <button type="button" class="primary" disabled=busy on:click=move |_| { let (k, l) = selection(); save.dispatch((k, l, Some(draft()))); }>"Save"</button>
                    <button type="button" disabled=move || busy() || !current().is_some_and(|t| t.custom)
                        on:click=move |_| { let (k, l) = selection(); save.dispatch((k, l, None)); }>"Back to our text"</button>
                })}
            </div>
            {(!can_edit).then(|| view! { <p class="office-notice" role="note">"Only the shop's owner can save email texts."</p> })}
            {move || save.value().get().map(|result| match result {
                Ok(_) => view! { <p class="office-notice" role="status">"Saved."</p> }.into_any(),
                Err(error) => view! { <p class="office-error" role="alert">{error_text(&error)}</p> }.into_any(),
            })}
            {move || test.value().get().map(|result| match result {
                Ok(to) => view! { <p class="office-notice" role="status">{format!("Test email queued for {to}.")}</p> }.into_any(),
                Err(error) => view! { <p class="office-error" role="alert">{error_text(&error)}</p> }.into_any(),
            })}
        </section>
        {move || preview.value().get().map(|result| match result {
            Ok(shown) => view! {
                <section class="office-card" aria-labelledby="texts-preview">
                    <h2 id="texts-preview">"Preview, with sample values"</h2>
                    <p><strong>{shown.subject}</strong></p>
                    <pre class="office-email-body">{shown.body}</pre>
                </section>
            }.into_any(),
            Err(error) => view! { <p class="office-error" role="alert">{error_text(&error)}</p> }.into_any(),
        })}
    }
}
