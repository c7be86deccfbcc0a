//! The browser entry point: hydrates the server-rendered portal.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Lets the browser tests wait until clicks reach the WASM handlers.
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__retourHydrated".into(), &true.into());
    }
}
