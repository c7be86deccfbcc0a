//! Webhook endpoints and their delivery log. Owners add an address and the events it
//! hears, copy the signing secret into their receiver, and send a delivery again.

use leptos::prelude::*;

use super::pages::{error_text, when, OfficeFrame};
use crate::{
    backoffice::dto::{WebhookDeliveryView, WebhookEndpointView, WebhooksView},
    server_fns::{
        office_add_webhook, office_delete_webhook, office_redeliver_webhook, office_webhooks,
        AppError,
    },
};

fn problem_text(error: &AppError) -> String {
    match error {
        AppError::Invalid(key) if key.ends_with("url_invalid") => {
            "Enter an http or https address, e.g. https://shop.example/hooks/retour.".to_owned()
        }
        AppError::Invalid(key) if key.ends_with("no_events") => "Choose at least one event.".to_owned(),
        AppError::Invalid(key) if key.ends_with("too_many_endpoints") => {
            "A shop has at most 10 endpoints: delete one first.".to_owned()
        }
        other => error_text(other),
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let url = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let add = Action::new(|(url, events): &(String, Vec<String>)| office_add_webhook(url.clone(), events.clone()));
    let delete = Action::new(|id: &String| office_delete_webhook(id.clone()));
    let redeliver = Action::new(|id: &String| office_redeliver_webhook(id.clone()));
    let page = Resource::new(
        move || (add.version().get(), delete.version().get(), redeliver.version().get()),
        |_| office_webhooks(),
    );
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            url.set(String::new());
        }
    });
    let endpoint = move |e: WebhookEndpointView| {
        let id = e.id.clone();
        let secret_id = format!("secret-{}", e.id);
        view! {
            <li class="office-card">
                <p><code>{e.url.clone()}</code></p>
                <p class="muted">{e.events.join(", ")}</p>
                <label for=secret_id.clone()>"Signing secret (Standard Webhooks)"</label>
                <input id=secret_id class="secret" readonly value=e.secret.clone()/>
                <button type="button" class="danger spaced" on:click=move |_| {
                    if window().confirm_with_message("Delete this endpoint? Deliveries not yet made are dropped.").unwrap_or(false) {
                        delete.dispatch(id.clone());
                    }
                }>"Delete endpoint"</button>
            </li>
        }
    };
    let delivery = move |d: WebhookDeliveryView| {
        let id = d.id.clone();
        let status = d.status.clone();
        view! {
            <tr>
                <td>{when(d.created_at_unix)}</td>
                <td>{d.event.clone()}</td>
                <td>{d.reference.clone()}</td>
                <td><span class="office-kind" data-kind=status.clone()>{status.clone()}</span>
                    {d.next_attempt_at_unix.filter(|_| d.attempts > 0).map(|t| view! { <br/><span class="muted">{format!("next try {}", when(t))}</span> })}</td>
                <td>{d.attempts}</td>
                <td>{d.last_response.clone()}</td>
                <td><button type="button" on:click=move |_| { redeliver.dispatch(id.clone()); }>"Send again"</button></td>
            </tr>
        }
    };
    let body = move |view_data: WebhooksView| {
        let events = view_data.events.clone();
        view! {
            <section class="office-card" aria-labelledby="webhook-new">
                <h2 id="webhook-new">"New endpoint"</h2>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); add.dispatch((url.get_untracked(), chosen.get_untracked())); }>
                    <label for="webhook-url">"Address"</label>
                    <input id="webhook-url" type="url" required maxlength="2000" placeholder="https://shop.example/hooks/retour"
                        prop:value=move || url.get() on:input=move |e| url.set(event_target_value(&e))/>
                    <fieldset class="event-choices">
                        <legend>"Events"</legend>
                        {events.into_iter().map(|name| {
                            let value = name.clone();
                            let checked = name.clone();
                            let id = format!("event-{}", name.replace('.', "-"));
                            let label_for = id.clone();
                            view! {
                                <label class="check" for=label_for>
                                    <input type="checkbox" id=id prop:checked=move || chosen.with(|c| c.contains(&checked))
                                        on:change=move |e| {
                                            let on = event_target_checked(&e);
                                            chosen.update(|c| { c.retain(|x| x != &value); if on { c.push(value.clone()); } });
                                        }/>
                                    " " {name}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <button type="submit" class="primary" disabled=move || add.pending().get()>"Add endpoint"</button>
                </form>
                {move || add.value().get().and_then(|r| r.err()).map(|e| view! { <p class="office-error" role="alert">{problem_text(&e)}</p> })}
            </section>
            <section aria-labelledby="webhook-endpoints">
                <h2 id="webhook-endpoints">"Endpoints"</h2>
                {if view_data.endpoints.is_empty() {
                    view! { <p class="muted">"No endpoint yet."</p> }.into_any()
                } else {
                    view! { <ul class="plain-list">{view_data.endpoints.into_iter().map(endpoint).collect_view()}</ul> }.into_any()
                }}
            </section>
            <section class="office-card" aria-labelledby="webhook-log">
                <h2 id="webhook-log">"Deliveries"</h2>
                {if view_data.deliveries.is_empty() {
                    view! { <p class="muted">"Nothing sent yet."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll">
                            <table class="office-table">
                                <thead><tr><th scope="col">"Made"</th><th scope="col">"Event"</th><th scope="col">"Request"</th><th scope="col">"Status"</th><th scope="col">"Attempts"</th><th scope="col">"Last answer"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                                <tbody>{view_data.deliveries.into_iter().map(delivery).collect_view()}</tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
        }
    };
    view! {
        <OfficeFrame title="Webhooks".to_owned()>
            <h1>"Webhooks"</h1>
            <p class="muted">"Retour tells your systems about each change to a return request: it posts JSON to your endpoints, signed per the Standard Webhooks specification, and retries for a day with growing waits. Each request's events arrive in order."</p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(data) => body(data).into_any(),
                        Err(error) => super::pages::failure(error),
                    }
                })}
            </Suspense>
            {move || delete.value().get().and_then(|r| r.err()).or_else(|| redeliver.value().get().and_then(|r| r.err()))
                .map(|e| view! { <p class="office-error" role="alert">{problem_text(&e)}</p> })}
        </OfficeFrame>
    }
}
