//! The few things the wizard asks of the browser. On the server these are never called
//! (they run from effects and event handlers), and they fail quietly when an API is missing.

use wasm_bindgen::{closure::Closure, JsCast, JsValue};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn session_storage() -> Option<web_sys::Storage> {
    window()?.session_storage().ok().flatten()
}

pub fn load_session(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok().flatten()
}

pub fn save_session(key: &str, value: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(key, value);
    }
}

pub fn remove_session(key: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(key);
    }
}

/// A random UUID for idempotency keys.
pub fn random_uuid() -> String {
    window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("{:x}", (js_sys::Math::random() * 1e16) as u64))
}

pub fn focus_element_by_id(id: &str) {
    if let Some(element) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}

fn is_framed() -> bool {
    window()
        .and_then(|w| w.parent().ok().flatten())
        .is_some_and(|parent| window().is_some_and(|w| !js_sys::Object::is(&parent, &w)))
}

/// Sends the shopper to a checkout page. Payment pages refuse to be framed, so inside a
/// shop's iframe the checkout opens in a new tab (the iframe keeps the status link);
/// otherwise this tab goes there and the provider brings the shopper back.
pub fn open_checkout(url: &str) {
    let Some(window) = window() else {
        return;
    };
    if is_framed() {
        let _ = window.open_with_url_and_target(url, "_blank");
    } else {
        let _ = window.location().assign(url);
    }
}

/// Posts `{ type: "retour:<kind>", …fields }` to the parent window, only to the shop's
/// allowed origins (the browser drops a message whose target origin does not match).
pub fn post_to_parent(kind: &str, fields: &[(&str, JsValue)], allowed_origins: &[String]) {
    if !is_framed() {
        return;
    }
    let Some(parent) = window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &format!("retour:{kind}").into());
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&message, &(*name).into(), value);
    }
    for origin in allowed_origins {
        let _ = parent.post_message(&message, origin);
    }
}

/// Reports the page's height to the embedding page whenever it changes.
pub fn watch_height(allowed_origins: Vec<String>) {
    if !is_framed() {
        return;
    }
    let Some(body) = window().and_then(|w| w.document()).and_then(|d| d.body()) else {
        return;
    };
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
        let height = window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .map_or(0, |e| e.scroll_height());
        post_to_parent(
            "resize",
            &[("height", JsValue::from(height))],
            &allowed_origins,
        );
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&body);
        // Lives as long as the page.
        callback.forget();
        std::mem::forget(observer);
    }
}

/// Uploads a form with progress: `on_progress(percent)`, then `on_done(status, body)`;
/// status 0 means the request never completed (offline, aborted).
pub fn upload_form(
    url: &str,
    form: &web_sys::FormData,
    on_progress: impl Fn(u32) + 'static,
    on_done: impl Fn(u16, String) + 'static,
) {
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        on_done(0, String::new());
        return;
    };
    if xhr.open("POST", url).is_err() {
        on_done(0, String::new());
        return;
    }
    let _ = xhr.set_request_header("Accept", "application/json");
    let progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                on_progress(
                    ((event.loaded() / event.total()) * 100.0)
                        .round()
                        .clamp(0.0, 100.0) as u32,
                );
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let finished = xhr.clone();
    let done = Closure::<dyn FnMut()>::new(move || {
        let status = finished.status().unwrap_or(0);
        let body = finished.response_text().ok().flatten().unwrap_or_default();
        on_done(status, body);
    });
    xhr.set_onloadend(Some(done.as_ref().unchecked_ref()));
    if xhr.send_with_opt_form_data(Some(form)).is_err() {
        return;
    }
    // One pair of small closures per upload; they must outlive this call.
    progress.forget();
    done.forget();
}

/// The current URL's query with `name` set to `value` (other parameters such as `lang`
/// and `embed` are kept).
fn url_with_param(name: &str, value: &str) -> Option<String> {
    let href = window()?.location().href().ok()?;
    let url = web_sys::Url::new(&href).ok()?;
    url.search_params().set(name, value);
    Some(format!("{}{}", url.pathname(), url.search()))
}

/// Adds a history entry for the new step, so the back button walks back through the wizard.
pub fn push_param(name: &str, value: &str) {
    let Some(url) = url_with_param(name, value) else {
        return;
    };
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

pub fn current_param(name: &str) -> Option<String> {
    let href = window()?.location().href().ok()?;
    web_sys::Url::new(&href).ok()?.search_params().get(name)
}

/// Calls `on_change` when the shopper moves through history (back, forward).
pub fn on_history_change(on_change: impl Fn() + 'static) {
    let Some(w) = window() else { return };
    let callback = Closure::<dyn FnMut()>::new(on_change);
    let _ = w.add_event_listener_with_callback("popstate", callback.as_ref().unchecked_ref());
    callback.forget();
}

pub fn scroll_to_top() {
    if let Some(w) = window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
