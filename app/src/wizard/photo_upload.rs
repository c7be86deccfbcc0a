//! One photo per item: a local preview at once, the upload with progress, and a refusal
//! that says why while the rest of the answers stay.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::steps::Ctx;
use crate::{
    browser,
    domain::photo_check::{precheck_photo, PHOTO_ACCEPT},
    dto::UploadOutcome,
    i18n::{fill, text_for_key, Msg},
    server_fns::{AppError, UploadPhoto},
};

/// The message key for a failed upload's response body.
fn failure_key(status: u16, body: &str) -> String {
    match serde_json::from_str::<AppError>(body) {
        Ok(error) if status != 0 => error.message_key().to_owned(),
        _ => "photo.upload_failed".to_owned(),
    }
}

#[component]
pub fn PhotoField(
    ctx: Ctx,
    index: usize,
    line_id: String,
    title: String,
    required: bool,
) -> impl IntoView {
    // The object URL of the chosen file, shown before (and while) it uploads.
    let preview = RwSignal::new(None::<String>);
    let progress = RwSignal::new(None::<u32>);
    let error = RwSignal::new(None::<String>);
    let stored = move || {
        ctx.draft
            .with(|d| d.items.get(index).and_then(|i| i.photo.clone()))
    };
    let problem = ctx.problem_for(line_id);
    let input_id = format!("photo-{index}");
    let alt = fill(ctx.t(Msg::PhotoOf), &[("item", &title)]);

    let replace_preview = move |url: Option<String>| {
        if let Some(old) = preview.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        preview.set(url);
    };

    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(raw) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Cleared so that choosing the same file again still fires `change`.
        input.set_value("");
        let file = gloo_file::File::from(raw.clone());
        if let Err(key) = precheck_photo(&file.raw_mime_type(), file.size()) {
            error.set(Some(text_for_key(key, ctx.locale).to_owned()));
            return;
        }
        error.set(None);
        ctx.problem.set(None);
        let url = gloo_file::ObjectUrl::from(file);
        replace_preview(Some(url.to_string()));
        // Revoked by hand in `replace_preview`, so the preview outlives this handler.
        std::mem::forget(url);

        let Some(token) = ctx
            .draft
            .with_untracked(|d| d.order.as_ref().map(|o| o.token.clone()))
        else {
            return;
        };
        let Ok(form) = web_sys::FormData::new() else {
            return;
        };
        let _ = form.append_with_str("token", &token);
        let _ = form.append_with_blob_and_filename("file", &raw, &raw.name());
        progress.set(Some(0));
        browser::upload_form(
            UploadPhoto::PATH,
            &form,
            move |percent| progress.set(Some(percent)),
            move |status, body| {
                progress.set(None);
                match (status, serde_json::from_str::<UploadOutcome>(&body)) {
                    (200, Ok(UploadOutcome::Stored(photo))) => {
                        ctx.draft.update(|d| {
                            if let Some(item) = d.items.get_mut(index) {
                                item.photo = Some(photo)
                            }
                        });
                    }
                    (200, Ok(UploadOutcome::Refused { message_key })) => {
                        replace_preview(None);
                        error.set(Some(text_for_key(&message_key, ctx.locale).to_owned()));
                    }
                    _ => {
                        replace_preview(None);
                        error.set(Some(
                            text_for_key(&failure_key(status, &body), ctx.locale).to_owned(),
                        ));
                    }
                }
            },
        );
    };

    let remove = move |_| {
        replace_preview(None);
        error.set(None);
        ctx.draft.update(|d| {
            if let Some(item) = d.items.get_mut(index) {
                item.photo = None
            }
        });
    };

    let shown = move || preview.get().or_else(|| stored().map(|p| p.thumb_url));
    let has_photo = move || stored().is_some() || preview.get().is_some();

    view! {
        <li class="line photo-field">
            <h2 class="line-title">{title.clone()}</h2>
            <p class="hint">{if required { ctx.t(Msg::PhotoRequiredBadge) } else { ctx.t(Msg::Optional) }}</p>
            {move || shown().map(|src| view! { <img class="photo-preview" src=src alt=alt.clone()/> })}
            {move || progress.get().map(|percent| view! {
                <div class="upload-progress">
                    <progress max="100" value=percent aria-label=ctx.t(Msg::PhotosHeading)></progress>
                    <span aria-live="polite">{fill(ctx.t(Msg::Uploading), &[("percent", &percent.to_string())])}</span>
                </div>
            })}
            <Show when=move || stored().is_some() && progress.get().is_none()>
                <p class="photo-ok" aria-live="polite">{ctx.t(Msg::PhotoUploaded)}</p>
            </Show>
            <div class="photo-buttons">
                <input id=input_id.clone() class="visually-hidden photo-input" type="file" accept=PHOTO_ACCEPT
                    disabled=move || progress.get().is_some() on:change=on_change/>
                <label for=input_id class="button secondary">
                    {move || if has_photo() { ctx.t(Msg::ReplacePhoto) } else { ctx.t(Msg::ChoosePhoto) }}
                </label>
                <Show when=move || stored().is_some()>
                    <button type="button" class="link" on:click=remove>{ctx.t(Msg::RemovePhoto)}</button>
                </Show>
            </div>
            {move || error.get().or_else(problem).map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
        </li>
    }
}
