//! The settings page: one form for everything the portal reads from the shop. Staff see
//! it read-only; the server refuses their saves too.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    dto::SettingsView,
    pages::{error_text, failure, OfficeFrame},
};
use crate::{
    components::portal_style,
    domain::{
        fee::FeeBasis,
        settings::ShopSettings,
        shop::{LocalizedText, PostalAddress, Reason},
        theme::{PortalFont, MAX_CORNER_RADIUS_PX},
        Currency, Locale, Resolution, ReturnMethod,
    },
    server_fns::{office_save_settings, office_settings, parse_amount, AppError},
};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| office_settings());
    view! {
        <OfficeFrame title="Settings".to_owned()>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(view) => view! { <SettingsForm view/> }.into_any(),
                        Err(error) => failure(error),
                    }
                })}
            </Suspense>
        </OfficeFrame>
    }
}

/// Adds or removes `item` from a list of choices, keeping the list's order.
pub(crate) fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T, on: bool) {
    list.retain(|x| *x != item);
    if on {
        list.push(item);
    }
}

pub(crate) fn resolution_label(resolution: Resolution) -> &'static str {
    match resolution {
        Resolution::Refund => "Refund",
        Resolution::Exchange => "Exchange",
        Resolution::StoreCredit => "Store credit",
    }
}

fn method_label(method: ReturnMethod) -> &'static str {
    match method {
        ReturnMethod::Mail => "By post (with a return label)",
        ReturnMethod::InStore => "In store",
    }
}

#[component]
fn SettingsForm(view: SettingsView) -> impl IntoView {
    let SettingsView {
        settings,
        version,
        can_edit,
        portal_path,
    } = view;
    // Which rows were added since the last save: only their codes can be typed, as past
    // requests and rules refer to the saved ones.
    let new_rows = RwSignal::new(vec![false; settings.reasons.len()]);
    let draft = RwSignal::new(settings);
    let version = RwSignal::new(version);
    let save =
        Action::new(|input: &(i64, ShopSettings)| office_save_settings(input.0, input.1.clone()));
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            version.set(saved.version);
            new_rows.set(vec![false; saved.settings.reasons.len()]);
            draft.set(saved.settings);
        }
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch((version.get_untracked(), draft.get_untracked()));
    };

    view! {
        <h1>"Settings"</h1>
        <p class="muted">"The portal reads these on every step: a saved change shows to shoppers at once. Portal address: "
            <A href=portal_path.clone()>{portal_path.clone()}</A></p>
        {(!can_edit).then(|| view! { <p class="office-notice" role="note">"Only the shop's owner can change these settings."</p> })}
        <form class="office-settings" on:submit=on_submit>
            <fieldset disabled=!can_edit>
                {view! { <ReturnsSection draft/> }.into_any()}
                {view! { <ReasonsSection draft new_rows/> }.into_any()}
                {view! { <LanguagesSection draft/> }.into_any()}
                {view! { <WithdrawalSection draft/> }.into_any()}
                {view! { <PrivacySection draft/> }.into_any()}
                {view! { <FeeSection draft/> }.into_any()}
                {view! { <ReturnAddressSection draft/> }.into_any()}
                {view! { <LookSection draft/> }.into_any()}
            </fieldset>
            {can_edit.then(|| view! {
                <div class="office-save">
                    <button type="submit" class="primary" disabled=move || save.pending().get()>"Save settings"</button>
                    {move || save.value().get().map(|result| match result {
                        Ok(_) => view! { <p class="office-notice" role="status">"Saved."</p> }.into_any(),
                        Err(AppError::Conflict) => view! { <p class="office-error" role="alert">"Someone else saved the settings meanwhile. Reload to see their changes."</p> }.into_any(),
                        Err(error) => view! { <p class="office-error" role="alert">{error_text(&error)}</p> }.into_any(),
                    })}
                </div>
            })}
        </form>
    }
}

#[component]
fn WithdrawalSection(draft: RwSignal<ShopSettings>) -> impl IntoView {
    view! {
        <section class="office-card" aria-labelledby="settings-withdrawal">
            <h2 id="settings-withdrawal">"Right of withdrawal (EU)"</h2>
            <p class="muted">"Consumers in the EU may withdraw from an online purchase within 14 days of delivery, without a reason. Shops selling online must offer a \"Withdraw from contract here\" function: the portal shows it on every page, and no return rule, fee or closed return window can stop it."</p>
            <label class="office-check"><input type="checkbox" prop:checked=move || draft.with(|s| s.withdrawal.offered)
                on:change=move |e| draft.update(|s| s.withdrawal.offered = event_target_checked(&e))/>
                " We sell to consumers in the EU: offer the withdrawal function"</label>
            <label for="settings-withdrawal-days">"Withdrawal period in days " <span class="muted">"(from delivery; 14 at least)"</span></label>
            <input id="settings-withdrawal-days" type="number" min="14" max="365" inputmode="numeric"
                prop:value=move || draft.with(|s| s.withdrawal.period_days.to_string())
                on:input=move |e| draft.update(|s| s.withdrawal.period_days = event_target_value(&e).trim().parse().unwrap_or(0))/>
        </section>
    }
}

#[component]
fn PrivacySection(draft: RwSignal<ShopSettings>) -> impl IntoView {
    view! {
        <section class="office-card" aria-labelledby="settings-privacy">
            <h2 id="settings-privacy">"Shopper data"</h2>
            <p class="muted">"Photos and comments are deleted automatically once a request has been closed (rejected, settled, cancelled or expired) for this many days; the request stays for your accounts. Every portal page links to the privacy notice below; leave a language empty to show ours. To export or erase one shopper's data, see "
                <a href="/admin/privacy">"Shopper data requests"</a> "."</p>
            <label for="settings-retention">"Keep photos and comments for (days after closing)"</label>
            <input id="settings-retention" type="number" min="1" max="3650" inputmode="numeric"
                prop:value=move || draft.with(|s| s.privacy.retention_days.to_string())
                on:input=move |e| draft.update(|s| s.privacy.retention_days = event_target_value(&e).trim().parse().unwrap_or(0))/>
            <label for="settings-privacy-contact">"Privacy contact " <span class="muted">"(an email address or a postal address on one line)"</span></label>
            <input id="settings-privacy-contact" type="text" maxlength="254"
                prop:value=move || draft.with(|s| s.privacy.contact.clone())
                on:input=move |e| draft.update(|s| s.privacy.contact = event_target_value(&e))/>
            {Locale::ALL.into_iter().map(|l| {
                let id = format!("settings-privacy-{}", l.code());
                view! {
                    <label for=id.clone()>"Privacy notice (" {l.native_name()} ") " <span class="muted">"(empty: our default text)"</span></label>
                    <textarea id=id rows="3" maxlength="10000" lang=l.code() prop:value=move || draft.with(|s| s.privacy.notice.raw(l).to_owned())
                        on:input=move |e| draft.update(|s| *s.privacy.notice.raw_mut(l) = event_target_value(&e))></textarea>
                }
            }).collect_view()}
        </section>
    }
}

#[component]
fn ReturnsSection(draft: RwSignal<ShopSettings>) -> impl IntoView {
    let field = move |read: fn(&ShopSettings) -> String| move || draft.with(read);
    view! {
        <section class="office-card" aria-labelledby="settings-returns">
            <h2 id="settings-returns">"Returns"</h2>
            <label for="settings-name">"Shop name"</label>
            <input id="settings-name" maxlength="80" prop:value=field(|s| s.name.clone())
                on:input=move |e| draft.update(|s| s.name = event_target_value(&e))/>
            <label class="office-check"><input type="checkbox" prop:checked=move || draft.with(|s| s.returns_enabled)
                on:change=move |e| draft.update(|s| s.returns_enabled = event_target_checked(&e))/>
                " Take returns online " <span class="muted">"(off: the portal asks shoppers to contact the shop)"</span></label>
            <label class="office-check"><input type="checkbox" prop:checked=move || draft.with(|s| s.manual_approval)
                on:change=move |e| draft.update(|s| s.manual_approval = event_target_checked(&e))/>
                " Approve each request by hand " <span class="muted">"(off: requests are approved at once unless a return rule says otherwise)"</span></label>
            <label for="settings-window">"Return window in days " <span class="muted">"(from delivery, or from the order date when there is none)"</span></label>
            <input id="settings-window" type="number" min="1" max="365" inputmode="numeric" prop:value=move || draft.with(|s| s.return_window_days.to_string())
                on:input=move |e| draft.update(|s| s.return_window_days = event_target_value(&e).trim().parse().unwrap_or(0))/>
            <fieldset>
                <legend>"Resolutions offered"</legend>
                {Resolution::ALL.iter().copied().map(|r| view! {
                    <label class="office-check"><input type="checkbox" prop:checked=move || draft.with(|s| s.resolutions.contains(&r))
                        on:change=move |e| draft.update(|s| toggle(&mut s.resolutions, r, event_target_checked(&e)))/> " " {resolution_label(r)}</label>
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>"Ways to send items back"</legend>
                {ReturnMethod::ALL.iter().copied().map(|m| view! {
                    <label class="office-check"><input type="checkbox" prop:checked=move || draft.with(|s| s.methods.contains(&m))
                        on:change=move |e| draft.update(|s| toggle(&mut s.methods, m, event_target_checked(&e)))/> " " {method_label(m)}</label>
                }).collect_view()}
            </fieldset>
        </section>
    }
}

#[component]
fn ReasonsSection(draft: RwSignal<ShopSettings>, new_rows: RwSignal<Vec<bool>>) -> impl IntoView {
    // Rows are bound by position and re-rendered only when the count changes, so typing
    // keeps the focus; a moved reason's fields follow through their reactive values.
    let reason_count = Memo::new(move |_| draft.with(|s| s.reasons.len()));
    view! {
        <section class="office-card" aria-labelledby="settings-reasons">
            <h2 id="settings-reasons">"Return reasons"</h2>
            <p class="muted">"Shown to shoppers in this order. A label left empty in a language shows the English one."</p>
            <ol class="office-reasons">
                {move || (0..reason_count.get()).map(|index| view! { <ReasonRow index new_rows draft/> }).collect_view()}
            </ol>
            <button type="button" on:click=move |_| {
                new_rows.update(|rows| rows.push(true));
                draft.update(|s| s.reasons.push(Reason {
                    code: format!("reason_{}", s.reasons.len() + 1),
                    label: LocalizedText::default(),
                    photo_required: false,
                    comment_required: false,
                    defective: false,
                }));
            }>"Add a reason"</button>
        </section>
    }
}

#[component]
fn LanguagesSection(draft: RwSignal<ShopSettings>) -> impl IntoView {
    view! {
        <section class="office-card" aria-labelledby="settings-languages">
            <h2 id="settings-languages">"Languages and return policy"</h2>
            <fieldset>
                <legend>"Languages of the portal"</legend>
                {Locale::ALL.into_iter().map(|l| view! {
                    <label class="office-check"><input type="checkbox" prop:checked=move || draft.with(|s| s.languages.contains(&l))
                        on:change=move |e| draft.update(|s| toggle(&mut s.languages, l, event_target_checked(&e)))/> " " {l.native_name()}</label>
                }).collect_view()}
            </fieldset>
            <label for="settings-default-locale">"Default language"</label>
            <select id="settings-default-locale" on:change=move |e| {
                let chosen = Locale::from_tag(&event_target_value(&e));
                draft.update(|s| if let Some(l) = chosen { s.default_locale = l });
            }>
                {Locale::ALL.into_iter().map(|l| view! {
                    <option value=l.code() selected=move || draft.with(|s| s.default_locale == l)>{l.native_name()}</option>
                }).collect_view()}
            </select>
            {Locale::ALL.into_iter().map(|l| {
                let id = format!("settings-policy-{}", l.code());
                view! {
                    <label for=id.clone()>"Return policy (" {l.native_name()} ")"</label>
                    <textarea id=id rows="3" maxlength="5000" lang=l.code() prop:value=move || draft.with(|s| s.policy.raw(l).to_owned())
                        on:input=move |e| draft.update(|s| *s.policy.raw_mut(l) = event_target_value(&e))></textarea>
                }
            }).collect_view()}
        </section>
    }
}

/// Where parcels come back to: printed on return labels. Empty means no labels.
/// The return fee: free, per request or per unit, in one currency; rules can set or waive
/// it per request. The amount is typed as the merchant writes it ("4.95" or "4,95").
#[component]
fn FeeSection(draft: RwSignal<ShopSettings>) -> impl IntoView {
    let amount_text = RwSignal::new(draft.with_untracked(|s| {
        let fee = s.fee.amount;
        let exponent = fee.currency.exponent();
        match exponent {
            0 => fee.minor.to_string(),
            _ => format!(
                "{}.{:0width$}",
                fee.minor / 10i64.pow(exponent),
                fee.minor % 10i64.pow(exponent),
                width = exponent as usize
            ),
        }
    }));
    let amount_ok = RwSignal::new(true);
    let set_amount = move |text: String| {
        amount_text.set(text.clone());
        let exponent = draft.with_untracked(|s| s.fee.amount.currency.exponent());
        match parse_amount(&text, exponent) {
            Ok(minor) => {
                amount_ok.set(true);
                draft.update(|s| s.fee.amount.minor = minor.unwrap_or(0));
            }
            Err(_) => amount_ok.set(false),
        }
    };
    let basis_value = move || match draft.with(|s| s.fee.basis) {
        FeeBasis::Free => "free",
        FeeBasis::PerRequest => "per_request",
        FeeBasis::PerItem => "per_item",
    };
    let charged = move || draft.with(|s| s.fee.basis != FeeBasis::Free);
    view! {
        <section class="office-card" aria-labelledby="settings-fee">
            <h2 id="settings-fee">"Return fee"</h2>
            <p class="muted">"Shoppers pay it before their request reaches you; return rules can set another fee or waive it (a damaged item, say). A rejected request's fee is refunded automatically."</p>
            <label for="settings-fee-basis">"Charge"</label>
            <select id="settings-fee-basis" prop:value=basis_value
                on:change=move |e| {
                    let basis = match event_target_value(&e).as_str() {
                        "per_request" => FeeBasis::PerRequest,
                        "per_item" => FeeBasis::PerItem,
                        _ => FeeBasis::Free,
                    };
                    draft.update(|s| s.fee.basis = basis);
                }>
                <option value="free">"Nothing: returns are free"</option>
                <option value="per_request">"A fee per request"</option>
                <option value="per_item">"A fee per item sent back"</option>
            </select>
            <div class="office-address-row" hidden=move || !charged()>
                <div>
                    <label for="settings-fee-amount">"Amount"</label>
                    <input id="settings-fee-amount" inputmode="decimal" prop:value=move || amount_text.get()
                        aria-invalid=move || (!amount_ok.get()).to_string()
                        on:input=move |e| set_amount(event_target_value(&e))/>
                    {move || (!amount_ok.get()).then(|| view! { <p class="office-error">"Write an amount such as 4.95."</p> })}
                </div>
                <div>
                    <label for="settings-fee-currency">"Currency"</label>
                    <input id="settings-fee-currency" maxlength="3" autocapitalize="characters" prop:value=move || draft.with(|s| s.fee.amount.currency.code().to_owned())
                        on:change=move |e| {
                            if let Ok(currency) = Currency::parse(&event_target_value(&e)) {
                                draft.update(|s| s.fee.amount.currency = currency);
                            }
                        }/>
                </div>
            </div>
            <label class="office-check" hidden=move || !charged()><input type="checkbox" prop:checked=move || draft.with(|s| s.fee.deduct_from_refund)
                on:change=move |e| draft.update(|s| s.fee.deduct_from_refund = event_target_checked(&e))/>
                " Shoppers who want a refund may have the fee kept out of it instead of paying now"</label>
        </section>
    }
}

#[component]
fn ReturnAddressSection(draft: RwSignal<ShopSettings>) -> impl IntoView {
    let text =
        move |read: fn(&PostalAddress) -> String| move || draft.with(|s| read(&s.return_address));
    let set = move |write: fn(&mut PostalAddress, String)| {
        move |e: leptos::ev::Event| {
            let value = event_target_value(&e);
            draft.update(|s| write(&mut s.return_address, value));
        }
    };
    view! {
        <section class="office-card" aria-labelledby="settings-address">
            <h2 id="settings-address">"Return address"</h2>
            <p class="muted">"Printed on return labels. Without it, requests are approved without a label."</p>
            <label for="settings-address-name">"Name on the label"</label>
            <input id="settings-address-name" maxlength="80" autocomplete="organization" prop:value=text(|a| a.name.clone())
                on:input=set(|a, v| a.name = v)/>
            <label for="settings-address-lines">"Street " <span class="muted">"(up to 4 lines)"</span></label>
            <textarea id="settings-address-lines" rows="2" autocomplete="street-address" prop:value=text(|a| a.lines.join("\n"))
                on:input=set(|a, v| a.lines = v.lines().map(str::to_owned).collect())></textarea>
            <div class="office-address-row">
                <div>
                    <label for="settings-address-postcode">"Postcode"</label>
                    <input id="settings-address-postcode" maxlength="80" autocomplete="postal-code" prop:value=text(|a| a.postcode.clone())
                        on:input=set(|a, v| a.postcode = v)/>
                </div>
                <div>
                    <label for="settings-address-city">"City"</label>
                    <input id="settings-address-city" maxlength="80" autocomplete="address-level2" prop:value=text(|a| a.city.clone())
                        on:input=set(|a, v| a.city = v)/>
                </div>
                <div>
                    <label for="settings-address-country">"Country code " <span class="muted">"(FR, NL, BE, DE…)"</span></label>
                    <input id="settings-address-country" maxlength="2" autocomplete="country" prop:value=text(|a| a.country.clone())
                        on:input=set(|a, v| a.country = v)/>
                </div>
            </div>
        </section>
    }
}

#[component]
fn LookSection(draft: RwSignal<ShopSettings>) -> impl IntoView {
    let field = move |read: fn(&ShopSettings) -> String| move || draft.with(read);
    view! {
        <section class="office-card" aria-labelledby="settings-look">
            <h2 id="settings-look">"Look and embedding"</h2>
            <label for="settings-logo">"Logo address " <span class="muted">"(https://…, shown instead of the shop name)"</span></label>
            <input id="settings-logo" type="url" maxlength="500" placeholder="https://" prop:value=field(|s| s.logo_url.clone())
                on:input=move |e| draft.update(|s| s.logo_url = event_target_value(&e))/>
            <label for="settings-accent">"Accent colour " <span class="muted">"(buttons and links; must stay readable with white text)"</span></label>
            <input id="settings-accent" type="color" prop:value=field(|s| s.accent_colour.clone())
                on:input=move |e| draft.update(|s| s.accent_colour = event_target_value(&e))/>
            <label for="settings-font">"Font"</label>
            <select id="settings-font" prop:value=move || draft.with(|s| s.theme.font.as_str())
                on:change=move |e| {
                    if let Some(font) = PortalFont::parse(&event_target_value(&e)) {
                        draft.update(|s| s.theme.font = font);
                    }
                }>
                {PortalFont::ALL.into_iter().map(|font| view! {
                    <option value=font.as_str()>{font.label()}</option>
                }).collect_view()}
            </select>
            <label for="settings-radius">"Corner radius " <span class="muted">{format!("(0 for square corners, up to {MAX_CORNER_RADIUS_PX} px)")}</span></label>
            <div class="theme-radius">
                <input id="settings-radius" type="range" min="0" max=MAX_CORNER_RADIUS_PX step="1"
                    prop:value=move || draft.with(|s| s.theme.corner_radius_px.to_string())
                    on:input=move |e| {
                        if let Ok(px) = event_target_value(&e).parse::<u8>() {
                            draft.update(|s| s.theme.corner_radius_px = px);
                        }
                    }/>
                // Not an <output>: that is a live region, announced on every step of the slider.
                <span class="radius-value">{move || format!("{} px", draft.with(|s| s.theme.corner_radius_px))}</span>
            </div>
            // What a shopper's card and button will look like, before saving.
            <div class="theme-preview" aria-label="Preview of the portal" role="group"
                style=move || draft.with(|s| portal_style(&s.accent_colour, &s.theme))>
                <div class="line">
                    <p class="line-title">"Linen shirt · M"</p>
                    <p class="line-meta">"Choose a reason and a photo."</p>
                    <span class="button primary">"Continue"</span>
                </div>
            </div>
            <label for="settings-origins">"Sites allowed to embed the portal " <span class="muted">"(one origin per line, e.g. https://shop.example)"</span></label>
            <textarea id="settings-origins" rows="3" prop:value=move || draft.with(|s| s.allowed_origins.join("\n"))
                on:change=move |e| draft.update(|s| s.allowed_origins = event_target_value(&e).lines().map(str::to_owned).collect())></textarea>
        </section>
    }
}

#[component]
fn ReasonRow(
    index: usize,
    new_rows: RwSignal<Vec<bool>>,
    draft: RwSignal<ShopSettings>,
) -> impl IntoView {
    let code = move || {
        draft.with(|s| {
            s.reasons
                .get(index)
                .map(|r| r.code.clone())
                .unwrap_or_default()
        })
    };
    let fixed = move || !new_rows.with(|rows| rows.get(index).copied().unwrap_or(false));
    // Rows and their "new" flags move together.
    let move_up = move |_| {
        if index > 0 {
            new_rows.update(|rows| {
                if index < rows.len() {
                    rows.swap(index - 1, index)
                }
            });
            draft.update(|s| {
                if index < s.reasons.len() {
                    s.reasons.swap(index - 1, index)
                }
            });
        }
    };
    let remove = move |_| {
        new_rows.update(|rows| {
            if index < rows.len() {
                rows.remove(index);
            }
        });
        draft.update(|s| {
            if index < s.reasons.len() {
                s.reasons.remove(index);
            }
        });
    };
    let reason = move |read: fn(&Reason) -> bool| {
        move || draft.with(|s| s.reasons.get(index).is_some_and(read))
    };
    let set = move |write: fn(&mut Reason, bool)| {
        move |e: leptos::ev::Event| {
            let on = event_target_checked(&e);
            draft.update(|s| {
                if let Some(r) = s.reasons.get_mut(index) {
                    write(r, on)
                }
            });
        }
    };
    let base = format!("reason-{index}");
    view! {
        <li class="office-reason">
            <div class="office-reason-head">
                <label for=format!("{base}-code")>"Code"</label>
                <input id=format!("{base}-code") readonly=fixed pattern="[a-z0-9_]+" maxlength="40"
                    prop:value=code
                    on:input=move |e| draft.update(|s| if let Some(r) = s.reasons.get_mut(index) { r.code = event_target_value(&e) })/>
                <button type="button" disabled=index == 0 on:click=move_up>"Move up"<span class="visually-hidden">" (reason " {index + 1} ")"</span></button>
                <button type="button" on:click=remove>"Remove"<span class="visually-hidden">" (reason " {index + 1} ")"</span></button>
            </div>
            <div class="office-reason-labels">
                {Locale::ALL.into_iter().map(|l| {
                    let id = format!("{base}-label-{}", l.code());
                    view! {
                        <label for=id.clone()>"Label (" {l.code().to_uppercase()} ")"</label>
                        <input id=id lang=l.code() maxlength="80" prop:value=move || draft.with(|s| s.reasons.get(index).map(|r| r.label.raw(l).to_owned()).unwrap_or_default())
                            on:input=move |e| draft.update(|s| if let Some(r) = s.reasons.get_mut(index) { *r.label.raw_mut(l) = event_target_value(&e) })/>
                    }
                }).collect_view()}
            </div>
            <div class="office-buttons">
                <label class="office-check"><input type="checkbox" prop:checked=reason(|r| r.photo_required) on:change=set(|r, on| r.photo_required = on)/> " Photo required"</label>
                <label class="office-check"><input type="checkbox" prop:checked=reason(|r| r.comment_required) on:change=set(|r, on| r.comment_required = on)/> " Comment required"</label>
                <label class="office-check"><input type="checkbox" prop:checked=reason(|r| r.defective) on:change=set(|r, on| r.defective = on)/> " Means damaged or defective " <span class="muted">"(not restocked by default)"</span></label>
            </div>
        </li>
    }
}
