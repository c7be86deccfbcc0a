//! The API's description: an OpenAPI 3.1 document generated from the handlers and types
//! above (so it cannot drift from them), and a reference page rendered from it.

use axum::{
    http::header,
    response::{Html, IntoResponse},
    Json,
};
use utoipa::{
    openapi::{
        path::Operation,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
        OpenApi as Document, RefOr, Schema,
    },
    Modify, OpenApi,
};

use super::{orders, problem, returns, shop};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Retour API",
        version = "1",
        description = "Push orders in, read and act on return requests, read stock movements, settings and rules. \
Authenticate with `Authorization: Bearer rtk_…`, a key the shop's owner makes under Back-office → API keys. \
Errors are `application/problem+json` with a stable `code`. Lists page with `cursor`/`next_cursor`. \
Every POST honours `Idempotency-Key` for a day.",
        license(name = "AGPL-3.0-or-later"),
    ),
    servers((url = "/api/v1")),
    paths(
        orders::upsert_order,
        orders::upsert_orders,
        returns::list_returns,
        returns::get_return,
        returns::approve_return,
        returns::reject_return,
        returns::receive_return,
        returns::settle_return,
        returns::list_stock_movements,
        shop::get_settings,
        shop::get_rules,
        shop::replace_rules,
    ),
    components(schemas(problem::Problem)),
    modifiers(&BearerKey),
    tags(
        (name = "orders", description = "Orders the shop pushes in, so shoppers can find them"),
        (name = "returns", description = "Return requests and the merchant's actions on them"),
        (name = "stock", description = "What received returns put back into stock"),
        (name = "shop", description = "Settings and return rules"),
    ),
)]
pub struct ApiDoc;

struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("rtk_<id>_<secret>")
                    .description(Some("A key made under Back-office → API keys"))
                    .build(),
            ),
        );
    }
}

pub async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(ApiDoc::openapi()),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A schema's fields as a list: name, type, and its description.
fn fields(schema: &RefOr<Schema>, document: &Document) -> String {
    let resolved = match schema {
        RefOr::Ref(reference) => {
            let name = reference.ref_location.rsplit('/').next().unwrap_or("");
            document
                .components
                .as_ref()
                .and_then(|c| c.schemas.get(name))
                .cloned()
        }
        RefOr::T(schema) => Some(RefOr::T(schema.clone())),
    };
    let Some(RefOr::T(Schema::Object(object))) = resolved else {
        return String::new();
    };
    let mut html = String::from("<ul class=\"fields\">");
    for (name, property) in &object.properties {
        let (kind, description) = match property {
            RefOr::Ref(r) => (
                r.ref_location.rsplit('/').next().unwrap_or("").to_owned(),
                String::new(),
            ),
            RefOr::T(Schema::Object(o)) => (
                serde_json::to_value(&o.schema_type)
                    .map(|v| v.to_string().replace('"', ""))
                    .unwrap_or_default(),
                o.description.clone().unwrap_or_default(),
            ),
            RefOr::T(Schema::Array(a)) => (
                "array".to_owned(),
                a.description.clone().unwrap_or_default(),
            ),
            RefOr::T(_) => ("one of several".to_owned(), String::new()),
        };
        let required = if object.required.contains(name) {
            " <em>required</em>"
        } else {
            ""
        };
        html.push_str(&format!(
            "<li><code>{}</code> <span class=\"type\">{}</span>{required} {}</li>",
            escape(name),
            escape(&kind),
            escape(&description)
        ));
    }
    html.push_str("</ul>");
    html
}

fn operation_html(method: &str, path: &str, operation: &Operation, document: &Document) -> String {
    let mut html = format!(
        "<section class=\"op\"><h3><span class=\"method\">{method}</span> <code>/api/v1{}</code></h3>",
        escape(path)
    );
    for text in [&operation.summary, &operation.description]
        .into_iter()
        .flatten()
    {
        html.push_str(&format!("<p>{}</p>", escape(text)));
    }
    if let Some(parameters) = &operation.parameters {
        html.push_str("<h4>Parameters</h4><ul class=\"fields\">");
        for parameter in parameters {
            html.push_str(&format!(
                "<li><code>{}</code> in {} {}</li>",
                escape(&parameter.name),
                serde_json::to_value(&parameter.parameter_in)
                    .map(|v| v.to_string().replace('"', ""))
                    .unwrap_or_default(),
                escape(parameter.description.as_deref().unwrap_or(""))
            ));
        }
        html.push_str("</ul>");
    }
    if let Some(body) = &operation.request_body {
        if let Some(schema) = body
            .content
            .get("application/json")
            .and_then(|c| c.schema.as_ref())
        {
            html.push_str("<h4>Body</h4>");
            html.push_str(&fields(schema, document));
        }
    }
    html.push_str("<h4>Answers</h4><ul class=\"fields\">");
    for (status, response) in &operation.responses.responses {
        let description = match response {
            RefOr::T(r) => r.description.clone(),
            RefOr::Ref(_) => String::new(),
        };
        html.push_str(&format!(
            "<li><code>{}</code> {}</li>",
            escape(status),
            escape(&description)
        ));
    }
    html.push_str("</ul></section>");
    html
}

/// A readable page for people, rendered from the same document.
pub async fn reference_page() -> Html<String> {
    let document = ApiDoc::openapi();
    let mut body = String::new();
    body.push_str(&format!(
        "<h1>{}</h1><p>{}</p><p>Machine-readable: <a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI 3.1).</p>",
        escape(&document.info.title),
        escape(document.info.description.as_deref().unwrap_or(""))
    ));
    for (path, item) in &document.paths.paths {
        let operations = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                body.push_str(&operation_html(method, path, operation, &document));
            }
        }
    }
    body.push_str("<h2 id=\"problems\">Problem codes</h2><dl>");
    for (code, meaning) in problem::CODES {
        body.push_str(&format!(
            "<dt id=\"problem-{code}\"><code>{code}</code></dt><dd>{}</dd>",
            escape(meaning)
        ));
    }
    body.push_str(
        "<dt><code>…</code></dt><dd>Refusals of the data itself (an order that cannot be taken, \
a decision without an explanation…) carry the domain's own code, e.g. <code>quantity_below_returned</code>, \
<code>explanation_required</code>, with a <code>detail</code> in words.</dd></dl>",
    );
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Retour API reference</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>"
    ))
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafaf7}\
main{max-width:52rem;margin:0 auto;padding:1rem}\
.op{border:1px solid #d8d8d0;border-radius:8px;padding:0 1rem;margin:1rem 0;background:#fff}\
.method{display:inline-block;min-width:3.5rem;font-size:.8rem;padding:.1rem .4rem;border-radius:4px;background:#0f5f5a;color:#fff;text-align:center}\
.fields{padding-left:1.2rem}.type{color:#555;font-size:.9rem}code{font-size:.95em;word-break:break-word}\
h3{font-size:1.05rem}h4{margin:.6rem 0 .2rem;font-size:.95rem}dt{margin-top:.6rem}";
