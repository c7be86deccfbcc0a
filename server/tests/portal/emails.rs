//! Shopper emails on both backends: queued with each change in the shopper's language,
//! delivered to a real SMTP server (aiosmtpd, from PyPI) with the label attached, retried
//! with backoff, and sent exactly once after a restart.

use app::{
    domain::{
        message::{DeliveryStatus, MessageKind, MAX_ATTEMPTS},
        settlement::{ItemCondition, ReceivedItem, Settlement},
        Decision,
    },
    services::{backoffice as office, mail, AppState},
    store,
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use crate::{
    backoffice::{demo_staff, submit, version},
    helpers::*,
    on_both_backends,
};

on_both_backends!(
    each_step_queues_one_email_in_the_shoppers_language,
    emails_reach_a_real_smtp_server_with_the_label_attached,
    the_settled_email_carries_the_credit_note_in_the_shoppers_language,
    a_failing_server_is_retried_with_backoff_then_the_email_waits_for_a_person,
    pending_emails_are_sent_exactly_once_after_a_restart,
    an_owner_writes_an_email_text_previews_it_tests_it_and_shoppers_get_it,
);

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

async fn emails_of(app: &TestApp, return_id: &str) -> Vec<store::outbox::OutboxMessage> {
    store::outbox::return_messages(&app.state.db, return_id)
        .await
        .unwrap()
        .into_iter()
        .map(|(message, _)| message)
        .collect()
}

fn state_with(app: &TestApp, mailer: mail::Mailer) -> AppState {
    AppState {
        mailer: Arc::new(mailer),
        public_url: Arc::from("https://returns.example.test"),
        ..app.state.clone()
    }
}

async fn each_step_queues_one_email_in_the_shoppers_language(backend: Backend) {
    let app = spawn_app(backend).await;
    // `submit` sends locale "Fr".
    let id = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("JN-SLM-32", 1, "too_large")],
    )
    .await;
    let queued = emails_of(&app, &id).await;
    assert_eq!(queued.len(), 1);
    assert_eq!(
        (
            queued[0].kind,
            queued[0].recipient.as_str(),
            queued[0].status
        ),
        (
            MessageKind::Received,
            "camille@example.fr",
            DeliveryStatus::Pending
        )
    );
    assert!(
        queued[0]
            .subject
            .starts_with("Nous avons bien reçu votre demande de retour R-"),
        "{}",
        queued[0].subject
    );
    assert!(
        queued[0].body.contains("Bonjour Camille Martin"),
        "{}",
        queued[0].body
    );
    assert!(
        queued[0].body.contains("/demo/status/R-"),
        "the status link: {}",
        queued[0].body
    );

    let staff = demo_staff();
    office::decide(
        &app.state,
        &staff,
        &id,
        version(&app, &id).await,
        Decision::Approve {
            with_label: true,
            refund_fee: false,
        },
        now(),
    )
    .await
    .unwrap();
    let received = vec![ReceivedItem {
        item_id: office::return_detail(&app.state, &staff, &id)
            .await
            .unwrap()
            .items[0]
            .id
            .clone(),
        quantity: 1,
        condition: ItemCondition::AsNew,
        restock: true,
    }];
    office::receive(
        &app.state,
        &staff,
        &id,
        version(&app, &id).await,
        &received,
        now(),
    )
    .await
    .unwrap();
    let settlement = Settlement::StoreCredit {
        adjusted_minor: None,
        adjustment_reason: String::new(),
    };
    let number = office::settle(
        &app.state,
        &staff,
        &id,
        version(&app, &id).await,
        &settlement,
        now(),
    )
    .await
    .unwrap();
    let kinds: Vec<MessageKind> = emails_of(&app, &id).await.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MessageKind::Received,
            MessageKind::ApprovedWithLabel,
            MessageKind::ParcelReceived,
            MessageKind::Settled
        ]
    );
    let settled = emails_of(&app, &id).await.pop().unwrap();
    assert!(
        settled.body.contains("Vous recevez un avoir de 79,90"),
        "{}",
        settled.body
    );
    assert!(
        settled.body.contains(&number),
        "the credit note number: {}",
        settled.body
    );

    // A rejection carries the explanation; a refused decision queues nothing.
    let other = submit(
        &app,
        "1002",
        "sanne@example.nl",
        &[("RC-YEL-S", 1, "changed_mind")],
    )
    .await;
    let conflict = office::decide(
        &app.state,
        &staff,
        &other,
        99,
        Decision::Reject {
            explanation: "x".into(),
        },
        now(),
    )
    .await;
    assert!(conflict.is_err());
    assert_eq!(
        emails_of(&app, &other).await.len(),
        1,
        "nothing queued for a decision that did not happen"
    );
    let explanation = "Le manteau a été porté : l'étiquette est coupée.";
    office::decide(
        &app.state,
        &staff,
        &other,
        version(&app, &other).await,
        Decision::Reject {
            explanation: explanation.into(),
        },
        now(),
    )
    .await
    .unwrap();
    let rejected = emails_of(&app, &other).await.pop().unwrap();
    assert_eq!(rejected.kind, MessageKind::Rejected);
    assert!(
        rejected.subject.contains("n'a pas été acceptée") && rejected.body.contains(explanation),
        "{}",
        rejected.body
    );
}

/// An aiosmtpd server on loopback that stores what it receives in a maildir.
struct SmtpSink {
    child: Child,
    maildir: PathBuf,
    port: u16,
}

impl SmtpSink {
    fn python() -> PathBuf {
        let python = std::env::var("RETOUR_TEST_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|_| {
                PathBuf::from(std::env::var("HOME").unwrap_or_default())
                    .join(".cache/retour/venv/bin/python")
            });
        assert!(python.exists(), "{} not found: run scripts/test (it makes a venv with aiosmtpd from PyPI), or set RETOUR_TEST_PYTHON", python.display());
        python
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    async fn start(port: u16, dir: &Path) -> SmtpSink {
        let maildir = dir.join(format!("maildir-{port}"));
        let child = Command::new(Self::python())
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return SmtpSink {
                    child,
                    maildir,
                    port,
                };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not listen on {port}");
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The raw messages received so far.
    fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect()
    }

    async fn wait_for(&self, count: usize) -> Vec<String> {
        for _ in 0..150 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {count} messages, got {}", self.messages().len());
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
}

/// The base64 body of the message part whose headers mention `marker`.
fn part_with(raw: &str, marker: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let start = raw.find(marker)?;
    let after = &raw[start..];
    let body_start = after
        .find("\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| after.find("\n\n").map(|i| i + 2))?;
    let body = &after[body_start..];
    let end = body.find("\n--").unwrap_or(body.len());
    let encoded: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()
}

fn pdf_text(pdf: &[u8], dir: &Path) -> String {
    let path = dir.join(format!("label-{}.pdf", ulid::Ulid::new()));
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn emails_reach_a_real_smtp_server_with_the_label_attached(backend: Backend) {
    let app = spawn_app(backend).await;
    let sink = SmtpSink::start(SmtpSink::free_port(), app.data_dir()).await;
    let state = state_with(
        &app,
        mail::Mailer::smtp(&sink.url(), "returns@maison-demo.test").unwrap(),
    );
    let staff = demo_staff();
    let approved = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("JN-SLM-32", 1, "too_large")],
    )
    .await;
    office::decide(
        &state,
        &staff,
        &approved,
        version(&app, &approved).await,
        Decision::Approve {
            with_label: true,
            refund_fee: false,
        },
        now(),
    )
    .await
    .unwrap();
    let rejected = submit(
        &app,
        "1002",
        "sanne@example.nl",
        &[("RC-YEL-S", 1, "changed_mind")],
    )
    .await;
    office::decide(
        &state,
        &staff,
        &rejected,
        version(&app, &rejected).await,
        Decision::Reject {
            explanation: "Worn and washed.".into(),
        },
        now(),
    )
    .await
    .unwrap();

    let delivered = mail::deliver_due(&state, now()).await.unwrap();
    assert_eq!(delivered, mail::Delivered { sent: 4, failed: 0 });
    let messages = sink.wait_for(4).await;
    assert_eq!(messages.len(), 4);
    assert_eq!(
        mail::deliver_due(&state, now() + 3600).await.unwrap().sent,
        0,
        "nothing is sent twice"
    );

    let approved_reference = office::return_detail(&app.state, &staff, &approved)
        .await
        .unwrap()
        .reference;
    let with_label: Vec<&String> = messages
        .iter()
        .filter(|m| m.contains("application/pdf"))
        .collect();
    assert_eq!(
        with_label.len(),
        1,
        "only the approval with a label carries a PDF"
    );
    let raw = with_label[0];
    assert_eq!(header(raw, "To"), Some("camille@example.fr"));
    assert!(
        header(raw, "From")
            .unwrap()
            .contains("<returns@maison-demo.test>"),
        "{raw}"
    );
    assert!(
        raw.contains(&format!("return-label-{approved_reference}.pdf")),
        "the attachment's name"
    );
    let pdf = part_with(raw, "application/pdf").expect("a base64 PDF part");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf, app.data_dir());
    assert!(
        text.contains(&approved_reference)
            && text.contains("Camille Martin")
            && text.contains("Lyon"),
        "{text}"
    );

    // Every message went to its own shopper; the rejection carries the explanation.
    let to_sanne: Vec<&String> = messages
        .iter()
        .filter(|m| header(m, "To") == Some("sanne@example.nl"))
        .collect();
    assert_eq!(to_sanne.len(), 2);
    assert!(
        to_sanne.iter().any(|m| m.contains("Worn and washed.")),
        "the explanation reaches the shopper"
    );
    for raw in &messages {
        assert!(
            header(raw, "Message-ID").is_some_and(|id| id.ends_with("@retour>")),
            "{raw}"
        );
        assert!(header(raw, "Subject").is_some());
    }
    let sent = emails_of(&app, &rejected).await;
    assert!(sent
        .iter()
        .all(|m| m.status == DeliveryStatus::Sent && m.sent_at.is_some()));
}

async fn the_settled_email_carries_the_credit_note_in_the_shoppers_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let sink = SmtpSink::start(SmtpSink::free_port(), app.data_dir()).await;
    let state = state_with(
        &app,
        mail::Mailer::smtp(&sink.url(), "returns@maison-demo.test").unwrap(),
    );
    let staff = demo_staff();
    // `submit` sends locale "Fr".
    let id = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("JN-SLM-32", 1, "too_large")],
    )
    .await;
    office::decide(
        &state,
        &staff,
        &id,
        version(&app, &id).await,
        Decision::Approve {
            with_label: false,
            refund_fee: false,
        },
        now(),
    )
    .await
    .unwrap();
    let number = office::settle(
        &state,
        &staff,
        &id,
        version(&app, &id).await,
        &Settlement::Refund {
            adjusted_minor: None,
            adjustment_reason: String::new(),
        },
        now(),
    )
    .await
    .unwrap();
    let delivered = mail::deliver_due(&state, now()).await.unwrap();
    assert_eq!(delivered, mail::Delivered { sent: 3, failed: 0 });
    let messages = sink.wait_for(3).await;
    let with_pdf: Vec<&String> = messages
        .iter()
        .filter(|m| m.contains("application/pdf"))
        .collect();
    assert_eq!(with_pdf.len(), 1, "only the settlement carries a PDF");
    let raw = with_pdf[0];
    assert!(
        raw.contains(&format!("credit-note-{number}.pdf")),
        "the attachment's name: {raw}"
    );
    let text = pdf_text(&part_with(raw, "application/pdf").unwrap(), app.data_dir());
    for expected in [number.as_str(), "Avoir", "Camille Martin", "JN-SLM-32", "79,90", "#1001"] {
        assert!(text.contains(expected), "{expected:?} in the credit note:\n{text}");
    }
}

async fn a_failing_server_is_retried_with_backoff_then_the_email_waits_for_a_person(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    // Nothing listens on this port.
    let port = SmtpSink::free_port();
    let state = state_with(
        &app,
        mail::Mailer::smtp(
            &format!("smtp://127.0.0.1:{port}"),
            "returns@maison-demo.test",
        )
        .unwrap()
        .with_retry_base(30),
    );
    let id = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("JN-SLM-32", 1, "too_large")],
    )
    .await;
    let start = now();
    let mut at = start;
    let mut waits = Vec::new();
    for attempt in 1..=MAX_ATTEMPTS {
        let delivered = mail::deliver_due(&state, at).await.unwrap();
        assert_eq!(
            delivered,
            mail::Delivered { sent: 0, failed: 1 },
            "attempt {attempt}"
        );
        let message = emails_of(&app, &id).await.remove(0);
        assert_eq!(message.attempts, attempt);
        assert!(!message.last_error.is_empty());
        if attempt < MAX_ATTEMPTS {
            assert_eq!(message.status, DeliveryStatus::Pending);
            // Not due before its time.
            assert_eq!(
                mail::deliver_due(&state, message.next_attempt_at - 1)
                    .await
                    .unwrap(),
                mail::Delivered::default()
            );
            waits.push(message.next_attempt_at - at);
            at = message.next_attempt_at;
        } else {
            assert_eq!(
                message.status,
                DeliveryStatus::Failed,
                "after the last attempt"
            );
        }
    }
    assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920]);
    assert_eq!(
        mail::deliver_due(&state, at + 86_400).await.unwrap(),
        mail::Delivered::default(),
        "a failed email waits for a person"
    );

    // The back-office lists it first, and "retry" queues it again, once.
    let page = mail::shop_emails(&state, &demo_staff()).await.unwrap();
    assert_eq!(page.failed, 1);
    assert_eq!(page.emails[0].status, DeliveryStatus::Failed);
    assert!(
        page.emails[0].reference.starts_with("R-"),
        "listed with its request's reference"
    );
    let message_id = page.emails[0].id.clone();
    assert_eq!(
        mail::retry_email(&state, &demo_staff(), &message_id, now())
            .await
            .unwrap(),
        DeliveryStatus::Pending
    );
    // Retried, it fails once more; a second click on an email that is no longer failed
    // does not reset its attempts.
    assert_eq!(
        mail::deliver_due(&state, now()).await.unwrap(),
        mail::Delivered { sent: 0, failed: 1 }
    );
    assert_eq!(
        mail::retry_email(&state, &demo_staff(), &message_id, now())
            .await
            .unwrap(),
        DeliveryStatus::Pending
    );
    let waiting = emails_of(&app, &id).await.remove(0);
    assert_eq!(
        (waiting.attempts, waiting.status),
        (1, DeliveryStatus::Pending)
    );
    let sink = SmtpSink::start(port, app.data_dir()).await;
    assert_eq!(
        mail::deliver_due(&state, waiting.next_attempt_at)
            .await
            .unwrap()
            .sent,
        1
    );
    assert_eq!(sink.wait_for(1).await.len(), 1);
}

async fn pending_emails_are_sent_exactly_once_after_a_restart(backend: Backend) {
    let app = spawn_app(backend).await;
    let port = SmtpSink::free_port();
    let smtp = || {
        mail::Mailer::smtp(
            &format!("smtp://127.0.0.1:{port}"),
            "returns@maison-demo.test",
        )
        .unwrap()
        .with_retry_base(1)
    };
    // The first run: the mail server is down, the worker tries and fails.
    let first = state_with(&app, smtp());
    let worker = tokio::spawn(mail::run_worker(first.clone(), Duration::from_millis(200)));
    let ids = [
        submit(
            &app,
            "1001",
            "camille@example.fr",
            &[("JN-SLM-32", 1, "too_large")],
        )
        .await,
        submit(
            &app,
            "1002",
            "sanne@example.nl",
            &[("RC-YEL-S", 1, "changed_mind")],
        )
        .await,
    ];
    for _ in 0..50 {
        let attempts: Vec<u32> = [
            emails_of(&app, &ids[0]).await,
            emails_of(&app, &ids[1]).await,
        ]
        .iter()
        .map(|m| m[0].attempts)
        .collect();
        if attempts.iter().all(|a| *a >= 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    worker.abort();
    let _ = worker.await;
    for id in &ids {
        let message = emails_of(&app, id).await.remove(0);
        assert!(
            message.attempts >= 1 && message.status == DeliveryStatus::Pending,
            "{message:?}"
        );
    }

    // The mail server comes back; a new process starts on the same database.
    let sink = SmtpSink::start(port, app.data_dir()).await;
    let db = app::store::connect(&app.database_url).await.unwrap();
    let second = AppState {
        db,
        ..state_with(&app, smtp())
    };
    let worker = tokio::spawn(mail::run_worker(second, Duration::from_millis(200)));
    let messages = sink.wait_for(2).await;
    // Long enough for several more rounds of the worker: nothing more arrives.
    tokio::time::sleep(Duration::from_secs(3)).await;
    worker.abort();
    assert_eq!(sink.messages().len(), 2, "each email exactly once");
    let recipients: std::collections::BTreeSet<_> =
        messages.iter().filter_map(|m| header(m, "To")).collect();
    assert_eq!(
        recipients,
        ["camille@example.fr", "sanne@example.nl"]
            .into_iter()
            .collect()
    );
    for id in &ids {
        assert_eq!(emails_of(&app, id).await[0].status, DeliveryStatus::Sent);
    }
}

async fn an_owner_writes_an_email_text_previews_it_tests_it_and_shoppers_get_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = demo_owner(&app).await;
    let (status, view) = office(&app, "message_texts", Value::Null, Some(&owner)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(
        view["texts"].as_array().unwrap().len(),
        7 * 4,
        "every email in every language"
    );
    assert!(view["texts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["custom"] == false));
    let ours = |kind: &str, locale: &str| {
        view["texts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["kind"] == kind && t["locale"] == locale)
            .unwrap()["text"]
            .clone()
    };
    assert_eq!(
        ours("received", "Fr")["subject"],
        "Nous avons bien reçu votre demande de retour {{reference}}"
    );

    let text = json!({ "subject": "Retour {{reference}} bien reçu chez {{shop}}", "body": "Merci {{name}} !\n{{status_link}}" });
    let (status, preview) = office(
        &app,
        "preview_message",
        json!({ "kind": "received", "locale": "Fr", "text": text }),
        Some(&owner),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(
        preview["subject"],
        "Retour R-7K3M-9QXT bien reçu chez Maison Démo"
    );
    assert!(
        preview["body"]
            .as_str()
            .unwrap()
            .starts_with("Merci Alex Example !\n"),
        "{preview}"
    );

    // Text the email cannot use is refused with the reason, and nothing is saved.
    let bad = json!({ "subject": "Hi", "body": "Sorry: {{explanation}}" });
    let (status, body) = office(
        &app,
        "save_message_text",
        json!({ "kind": "received", "locale": "Fr", "text": bad }),
        Some(&owner),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "Template": { "UnknownPlaceholder": "explanation" } })
        )
    );
    let no_reason = json!({ "subject": "Non", "body": "Désolés." });
    let (status, body) = office(
        &app,
        "save_message_text",
        json!({ "kind": "rejected", "locale": "Fr", "text": no_reason }),
        Some(&owner),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "Template": { "Missing": "explanation" } })
        )
    );
    // Staff may preview but not save.
    let staff = session(&app, "staff@demo.test", "demo-staff-pass").await;
    let (status, _) = office(
        &app,
        "save_message_text",
        json!({ "kind": "received", "locale": "Fr", "text": text }),
        Some(&staff),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, saved) = office(
        &app,
        "save_message_text",
        json!({ "kind": "received", "locale": "Fr", "text": text }),
        Some(&owner),
    )
    .await;
    assert_eq!(
        (status, &saved["custom"]),
        (StatusCode::OK, &json!(true)),
        "{saved}"
    );
    // The next French shopper gets the merchant's text; other languages keep ours.
    let id = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("JN-SLM-32", 1, "too_large")],
    )
    .await;
    let received = emails_of(&app, &id).await.remove(0);
    let reference = office::return_detail(&app.state, &demo_staff(), &id)
        .await
        .unwrap()
        .reference;
    assert_eq!(
        received.subject,
        format!("Retour {reference} bien reçu chez Maison Démo")
    );
    assert!(
        received.body.starts_with(&format!(
            "Merci Camille Martin !\n{}/demo/status/{reference}?k=",
            app.state.public_url
        )),
        "{}",
        received.body
    );

    // A test goes to the signed-in merchant, through the outbox, marked as a test.
    let sink = SmtpSink::start(SmtpSink::free_port(), app.data_dir()).await;
    let state = state_with(
        &app,
        mail::Mailer::smtp(&sink.url(), "returns@maison-demo.test").unwrap(),
    );
    let (status, to) = office(
        &app,
        "send_test_message",
        json!({ "kind": "received", "locale": "Fr", "text": text }),
        Some(&staff),
    )
    .await;
    assert_eq!((status, to), (StatusCode::OK, json!("staff@demo.test")));
    mail::deliver_due(&state, now()).await.unwrap();
    let tests: Vec<String> = sink
        .wait_for(2)
        .await
        .into_iter()
        .filter(|m| header(m, "To") == Some("staff@demo.test"))
        .collect();
    assert_eq!(tests.len(), 1);
    assert!(
        tests[0].contains("R-7K3M-9QXT"),
        "sample values: {}",
        tests[0]
    );

    // Back to ours.
    let (status, reset) = office(
        &app,
        "save_message_text",
        json!({ "kind": "received", "locale": "Fr", "text": null }),
        Some(&owner),
    )
    .await;
    assert_eq!(
        (status, &reset["custom"], &reset["text"]),
        (StatusCode::OK, &json!(false), &ours("received", "Fr"))
    );
}
