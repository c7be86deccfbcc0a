//! The demo shop a fresh clone starts with: orders that walk every path of the wizard.
//! Dates are relative to `today`, so the demo never goes stale.

use time::{Date, Duration};

use super::{new_id, ServiceError};
use crate::{
    domain::{
        shop::{LocalizedText, PostalAddress, Reason, Shop},
        withdrawal::Exclusion,
        Currency, EmailAddress, Locale, Money, Order, OrderLine, OrderNumber, Resolution,
        ReturnMethod, ReturnStatus, Role,
    },
    store::{
        self,
        accounts::NewMerchantUser,
        returns::{NewReturn, ReturnItemRecord, ReturnRecord},
        Db,
    },
};

fn text(en: &str, fr: &str, nl: &str, de: &str) -> LocalizedText {
    LocalizedText {
        en: en.into(),
        fr: fr.into(),
        nl: nl.into(),
        de: de.into(),
    }
}

fn reason(
    code: &str,
    label: LocalizedText,
    photo_required: bool,
    comment_required: bool,
    defective: bool,
) -> Reason {
    Reason {
        code: code.into(),
        label,
        photo_required,
        comment_required,
        defective,
    }
}

/// The reasons most shops start from.
pub fn default_reasons() -> Vec<Reason> {
    vec![
        reason(
            "too_small",
            text("Too small", "Trop petit", "Te klein", "Zu klein"),
            false,
            false,
            false,
        ),
        reason(
            "too_large",
            text("Too large", "Trop grand", "Te groot", "Zu groß"),
            false,
            false,
            false,
        ),
        reason(
            "not_as_described",
            text(
                "Not as described",
                "Non conforme à la description",
                "Niet zoals beschreven",
                "Entspricht nicht der Beschreibung",
            ),
            false,
            false,
            false,
        ),
        reason(
            "changed_mind",
            text(
                "Changed my mind",
                "J'ai changé d'avis",
                "Bedacht",
                "Meinung geändert",
            ),
            false,
            false,
            false,
        ),
        reason(
            "damaged",
            text(
                "Damaged item",
                "Article endommagé",
                "Beschadigd artikel",
                "Beschädigter Artikel",
            ),
            true,
            false,
            true,
        ),
        reason(
            "wrong_item",
            text(
                "Wrong item sent",
                "Mauvais article envoyé",
                "Verkeerd artikel verzonden",
                "Falscher Artikel geliefert",
            ),
            true,
            false,
            false,
        ),
        reason(
            "other",
            text("Other", "Autre", "Anders", "Sonstiges"),
            false,
            true,
            false,
        ),
    ]
}

/// A new shop's settings until its owner changes them: every language, the usual
/// reasons, a 30-day window, all resolutions, by mail or in store, no embedding origins.
pub fn starter_shop(id: String, slug: String, name: String) -> Shop {
    Shop {
        id,
        slug,
        name,
        default_locale: Locale::En,
        languages: Locale::ALL.to_vec(),
        return_window_days: 30,
        returns_enabled: true,
        manual_approval: true,
        reasons: default_reasons(),
        resolutions: vec![
            Resolution::Refund,
            Resolution::Exchange,
            Resolution::StoreCredit,
        ],
        methods: vec![ReturnMethod::Mail, ReturnMethod::InStore],
        allowed_origins: Vec::new(),
        policy: LocalizedText::default(),
        logo_url: String::new(),
        accent_colour: "#0f5f5a".into(),
        theme: Default::default(),
        return_address: PostalAddress::default(),
        fee: Default::default(),
        withdrawal: Default::default(),
        privacy: Default::default(),
    }
}

pub fn demo_shop() -> Shop {
    Shop {
        allowed_origins: vec!["http://localhost:8080".into(), "http://127.0.0.1:8080".into()],
        policy: text(
            "Items can be returned within 30 days of delivery, unworn and with their labels.",
            "Les articles peuvent être retournés sous 30 jours après livraison, non portés et avec leurs étiquettes.",
            "Artikelen kunnen binnen 30 dagen na levering worden geretourneerd, ongedragen en met labels.",
            "Artikel können innerhalb von 30 Tagen nach Lieferung ungetragen und mit Etikett zurückgegeben werden.",
        ),
        return_address: PostalAddress {
            name: "Maison Démo, service retours".into(),
            lines: vec!["12 rue des Ateliers".into()],
            postcode: "69002".into(),
            city: "Lyon".into(),
            country: "FR".into(),
        },
        ..starter_shop("shop_demo".into(), "demo".into(), "Maison Démo".into())
    }
}

/// The demo shop's back-office users: email, password, its argon2id hash, role. Hashed
/// ahead of time so that seeding (once per test app) costs no hashing. Listed in the
/// README: keep them in step.
const DEMO_MERCHANTS: &[(&str, &str, &str, Role)] = &[
    ("owner@demo.test", "demo-owner-pass", "$argon2id$v=19$m=19456,t=2,p=1$ao2Xzr1/pXkKKZDkuGmdCQ$NDykzYMQLyAh+bSDBh16sE7DzW/juHHGDTxFOsGCgCk", Role::Owner),
    ("staff@demo.test", "demo-staff-pass", "$argon2id$v=19$m=19456,t=2,p=1$oFrYc6gM6XBzrKl/f4KCYw$UaN3HnuywhOQQHtiXjEA5sHygDZ2Hattu2YQxz/G9bI", Role::Staff),
];

/// Tags and categories for the demo lines, so return rules have something to test.
fn demo_tags(sku: &str) -> &'static [&'static str] {
    match sku {
        "SK-WOL-3P" => &["final-sale"],
        "HP-WRL-BK" => &["electronics", "hygiene"],
        "SC-CSH-01" | "SW-MER-L" => &["wool"],
        _ => &[],
    }
}

/// In-ear headphones come sealed, and a mug with a name is made to order: the law lets the shop
/// refuse a withdrawal of either.
fn demo_exclusion(sku: &str) -> Option<Exclusion> {
    match sku {
        "HP-WRL-BK" => Some(Exclusion::SealedHygiene),
        "MG-NAME-01" => Some(Exclusion::Personalised),
        _ => None,
    }
}

fn demo_category(sku: &str) -> &'static str {
    match sku {
        "HP-WRL-BK" | "CB-USB-2M" => "electronics",
        "SC-CSH-01" | "BL-LTH-85" | "SK-WOL-3P" | "TB-COT-01" => "accessories",
        "MG-NAME-01" => "home",
        "SN-RUN-41" => "shoes",
        _ => "clothing",
    }
}

/// Street, postcode and city of each demo order's shopper.
fn demo_address(number: &str) -> (&'static str, &'static str, &'static str) {
    match number {
        "1001" => ("8 rue Oberkampf", "75011", "Paris"),
        "1002" => ("Prinsengracht 263", "1016 GV", "Amsterdam"),
        "1003" => ("Kastanienallee 12", "10435", "Berlin"),
        "1004" => ("Rue Haute 54", "1000", "Bruxelles"),
        "1005" => ("3 place Bellecour", "69002", "Lyon"),
        "1007" => ("Schillerstraße 7", "80336", "München"),
        _ => ("Oudegracht 140", "3511 AZ", "Utrecht"),
    }
}

struct DemoLine(&'static str, &'static str, &'static str, u32, i64, bool);

struct DemoOrder {
    number: &'static str,
    email: &'static str,
    name: &'static str,
    country: &'static str,
    placed_days_ago: i64,
    delivered_days_ago: Option<i64>,
    lines: &'static [DemoLine],
}

/// Listed in the README: keep them in step.
const DEMO_ORDERS: &[DemoOrder] = &[
    DemoOrder {
        number: "1001",
        email: "camille@example.fr",
        name: "Camille Martin",
        country: "FR",
        placed_days_ago: 8,
        delivered_days_ago: Some(5),
        lines: &[
            DemoLine(
                "TS-ORG-M",
                "Organic cotton T-shirt",
                "White / M",
                2,
                2500,
                true,
            ),
            DemoLine("JN-SLM-32", "Slim jeans", "Indigo / 32", 1, 7990, true),
            DemoLine("SN-RUN-41", "Running sneakers", "Grey / 41", 1, 12000, true),
        ],
    },
    DemoOrder {
        number: "1002",
        email: "sanne@example.nl",
        name: "Sanne de Vries",
        country: "NL",
        placed_days_ago: 14,
        delivered_days_ago: Some(10),
        lines: &[
            DemoLine("RC-YEL-S", "Raincoat", "Yellow / S", 1, 14900, true),
            DemoLine(
                "SK-WOL-3P",
                "Wool socks (final sale)",
                "3-pack",
                3,
                1200,
                false,
            ),
        ],
    },
    DemoOrder {
        number: "1003",
        email: "lukas@example.de",
        name: "Lukas Schmidt",
        country: "DE",
        placed_days_ago: 65,
        delivered_days_ago: Some(60),
        lines: &[DemoLine(
            "BP-CNV-20",
            "Canvas backpack",
            "Olive / 20 L",
            1,
            8900,
            true,
        )],
    },
    DemoOrder {
        number: "1004",
        email: "emma@example.be",
        name: "Emma Peeters",
        country: "BE",
        placed_days_ago: 6,
        delivered_days_ago: Some(3),
        lines: &[
            DemoLine("SW-MER-L", "Merino sweater", "Navy / L", 2, 9500, true),
            DemoLine("SC-CSH-01", "Cashmere scarf", "Camel", 1, 6900, true),
        ],
    },
    DemoOrder {
        number: "1005",
        email: "chloe@example.fr",
        name: "Chloé Dubois",
        country: "FR",
        placed_days_ago: 2,
        delivered_days_ago: None,
        lines: &[
            DemoLine("DR-LIN-38", "Linen dress", "Sand / 38", 1, 11900, true),
            DemoLine("BL-LTH-85", "Leather belt", "Brown / 85", 1, 4500, true),
        ],
    },
    DemoOrder {
        number: "1006",
        email: "jan@example.nl",
        name: "Jan Jansen",
        country: "NL",
        placed_days_ago: 4,
        delivered_days_ago: Some(1),
        lines: &[
            DemoLine("HP-WRL-BK", "Wireless headphones", "Black", 1, 19900, true),
            DemoLine("CB-USB-2M", "USB-C cable", "2 m", 3, 1500, true),
        ],
    },
    DemoOrder {
        number: "1007",
        email: "lena@example.de",
        name: "Lena Fischer",
        country: "DE",
        placed_days_ago: 5,
        delivered_days_ago: Some(2),
        lines: &[
            DemoLine("TB-COT-01", "Cotton tote bag", "Natural", 6, 1800, true),
            DemoLine("MG-NAME-01", "Mug with your name", "\"Lena\"", 1, 2400, true),
        ],
    },
];

/// Creates the demo shop and its orders unless the shop already exists, and its merchant
/// users unless they exist. True when the shop was created.
pub async fn seed_demo(db: &Db, today: Date, now_unix: i64) -> Result<bool, ServiceError> {
    let shop = demo_shop();
    let created = store::shops::find_shop_by_slug(db, &shop.slug)
        .await?
        .is_none();
    if created {
        seed_demo_orders(db, &shop, today, now_unix).await?;
    }
    seed_demo_merchants(db, &shop, now_unix).await?;
    Ok(created)
}

async fn seed_demo_merchants(db: &Db, shop: &Shop, now_unix: i64) -> Result<(), ServiceError> {
    for (email, _, password_hash, role) in DEMO_MERCHANTS {
        let email = EmailAddress::parse(email)?;
        if store::accounts::find_user_by_email(db, &email)
            .await?
            .is_some()
        {
            continue;
        }
        let id = format!("user_demo_{}", role.as_str());
        let user = NewMerchantUser {
            id: &id,
            shop_id: &shop.id,
            email: &email,
            password_hash,
            role: *role,
            created_at: now_unix,
        };
        store::accounts::insert_user(db, &user).await?;
    }
    Ok(())
}

/// The shop and its orders, both or neither.
async fn seed_demo_orders(
    db: &Db,
    shop: &Shop,
    today: Date,
    now_unix: i64,
) -> Result<(), ServiceError> {
    let mut tx = db.begin().await?;
    store::shops::insert_shop(&mut *tx, shop, now_unix).await?;
    for demo in DEMO_ORDERS {
        let order = Order {
            id: format!("order_demo_{}", demo.number),
            shop_id: shop.id.clone(),
            display_number: format!("#{}", demo.number),
            number: OrderNumber::parse(demo.number)?,
            email: EmailAddress::parse(demo.email)?,
            customer_name: demo.name.into(),
            shipping_country: demo.country.into(),
            currency: Currency::EUR,
            placed_on: today - Duration::days(demo.placed_days_ago),
            delivered_on: demo.delivered_days_ago.map(|d| today - Duration::days(d)),
            shipping_address: {
                let (street, postcode, city) = demo_address(demo.number);
                PostalAddress {
                    name: demo.name.into(),
                    lines: vec![street.into()],
                    postcode: postcode.into(),
                    city: city.into(),
                    country: demo.country.into(),
                }
            },
        };
        let lines: Vec<OrderLine> = demo
            .lines
            .iter()
            .enumerate()
            .map(
                |(i, DemoLine(sku, title, variant, quantity, price, returnable))| OrderLine {
                    id: format!("{}_line_{}", order.id, i + 1),
                    sku: (*sku).into(),
                    title: (*title).into(),
                    variant: (*variant).into(),
                    quantity: *quantity,
                    unit_price: Money::new(*price, Currency::EUR),
                    discount: Money::zero(Currency::EUR),
                    image_url: String::new(),
                    returnable: *returnable,
                    tags: demo_tags(sku).iter().map(|t| (*t).to_owned()).collect(),
                    category: Some(demo_category(sku).to_owned()),
                    withdrawal_exclusion: demo_exclusion(sku),
                },
            )
            .collect();
        store::orders::insert_order(&mut tx, &order, &lines, now_unix).await?;
    }
    // Order 1004: one of the two sweaters is already on its way back.
    let earlier = ReturnRecord {
        id: "return_demo_1004".into(),
        shop_id: shop.id.clone(),
        order_id: "order_demo_1004".into(),
        reference: "R-0000-1004".into(),
        status: ReturnStatus::Requested,
        resolution: Resolution::Refund,
        method: ReturnMethod::Mail,
        locale: Locale::En,
        created_at: now_unix - 86_400,
    };
    let item = ReturnItemRecord {
        id: new_id(),
        order_line_id: "order_demo_1004_line_1".into(),
        quantity: 1,
        reason_code: "too_large".into(),
        comment: String::new(),
        photo_id: None,
    };
    store::returns::insert_return(
        &mut tx,
        NewReturn {
            record: &earlier,
            kind: crate::domain::rules::RequestKind::Commercial,
            idempotency_key: "demo-seed-1004",
            items: &[item],
        },
    )
    .await?;
    store::returns::insert_history(
        &mut tx,
        &new_id(),
        &earlier.id,
        (None, ReturnStatus::Requested, None),
        "shopper",
        "",
        earlier.created_at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::accounts::password_matches;

    #[test]
    fn the_demo_merchants_hashes_are_of_their_listed_passwords() {
        for (email, password, password_hash, _) in DEMO_MERCHANTS {
            assert!(password_matches(password, password_hash), "{email}");
        }
    }
}
