//! The document shell and the routes.

mod home;
mod portal;
mod privacy;
mod status;
mod test_checkout;
mod withdrawal;

use leptos::prelude::*;

use crate::backoffice::pages as backoffice;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/retour.css"/>
        <Title text="Retour"/>
        <Router>
            <Routes fallback=|| view! { <main class="page"><p>"Not found."</p></main> }>
                <Route path=path!("/") view=home::HomePage/>
                <Route path=path!("/admin") view=backoffice::InboxPage/>
                <Route path=path!("/admin/login") view=backoffice::LoginPage/>
                <Route path=path!("/admin/settings") view=crate::backoffice::settings::SettingsPage/>
                <Route path=path!("/admin/rules") view=crate::backoffice::rules::RulesPage/>
                <Route path=path!("/admin/emails") view=crate::backoffice::emails::EmailsPage/>
                <Route path=path!("/admin/api-keys") view=crate::backoffice::api_keys::ApiKeysPage/>
                <Route path=path!("/admin/import") view=crate::backoffice::import::ImportPage/>
                <Route path=path!("/admin/embed") view=crate::backoffice::embed::EmbedPage/>
                <Route path=path!("/admin/webhooks") view=crate::backoffice::webhooks::WebhooksPage/>
                <Route path=path!("/admin/privacy") view=crate::backoffice::privacy::PrivacyToolsPage/>
                <Route path=path!("/admin/emails/texts") view=crate::backoffice::message_texts::MessageTextsPage/>
                <Route path=path!("/admin/returns/:id") view=backoffice::ReturnPage/>
                <Route path=path!("/admin/returns/:id/credit-note") view=backoffice::CreditNotePage/>
                // Async: the page arrives whole, with its language and title in the head.
                <Route path=path!("/:shop") view=portal::PortalPage ssr=SsrMode::Async/>
                <Route path=path!("/:shop/status/:reference") view=status::StatusPage ssr=SsrMode::Async/>
                <Route path=path!("/:shop/privacy") view=privacy::PrivacyPage ssr=SsrMode::Async/>
                <Route path=path!("/:shop/withdraw") view=withdrawal::WithdrawalPage ssr=SsrMode::Async/>
                <Route path=path!("/:shop/pay/test/:payment") view=test_checkout::TestCheckoutPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
